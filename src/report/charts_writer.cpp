#include "perfrunner/report/charts_writer.hpp"

#include <future>
#include <optional>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "perfrunner/analysis/parallel.hpp"
#include "perfrunner/error.hpp"
#include "perfrunner/report/chart_page.hpp"
#include "perfrunner/report/chart_plan.hpp"
#include "perfrunner/report/text_file.hpp"
#include "perfrunner/resources.hpp"

namespace perfrunner::report {

void ChartsWriter::write(const ReportContext& context) {
    const auto charts_dir = context.run_dir / "charts";
    const auto plans = plan_charts(context);

    // plotly.js once per run; every chart refers to it relatively, so the folder opens offline. Its 4.8 MB
    // are written and fsynced (10-17 ms, mostly waiting for the disk) on a thread of their own while the
    // pages are built; the screenshots load it, so it is awaited before them.
    std::future<void> plotly_written;
    if (const auto plotly = resource("plotly.min.js")) {
        plotly_written = std::async(std::launch::async, [path = charts_dir / "plotly.min.js",
                                                         text = *plotly] { write_text_file(path, text); });
    } else {
        spdlog::warn(
            "plotly.min.js is not embedded in this binary: charts are written but need "
            "charts/plotly.min.js to display (run tests/stack/setup.sh and rebuild)");
    }

    // One chart that cannot be built (odd metadata in a hand-edited file) does not cost the others. The
    // charts are independent pure functions of the context, each into its own file: they are built on the
    // analysis's workers (a big run's timelines take most of the reports' time), in plan order for jobs and
    // errors.
    struct Built {
        std::optional<ScreenshotJob> job;
        std::string error;
    };
    const auto built = analysis::parallel_map(plans.size(), [&](std::size_t i) {
        const auto& plan = plans[i];
        const auto png_path = charts_dir / (plan.path + ".png");
        std::error_code ec;
        std::filesystem::remove(png_path, ec);  // a PNG of an earlier analysis would not match the new page
        Built b;
        try {
            const auto figure = build_chart(context, plan);
            const auto html_path = charts_dir / (plan.path + ".html");
            write_text_file(html_path,
                            render_chart_page(plan, figure, path_to_charts_root(plan) + "plotly.min.js"));
            b.job = ScreenshotJob{html_path, png_path, figure.width, figure.height + 20};
        } catch (const RuntimeFailure&) {
            throw;  // the file system or a missing template: the next chart would fail the same way
        } catch (const std::exception& e) {
            b.error = plan.path + ": " + e.what();
        }
        return b;
    });
    if (plotly_written.valid()) {
        plotly_written.get();  // rethrows its RuntimeFailure (a full disk, an unwritable folder)
    }
    std::vector<ScreenshotJob> jobs;
    std::vector<std::string> chart_errors;
    for (const auto& b : built) {
        if (b.job) {
            jobs.push_back(*b.job);
        } else {
            chart_errors.push_back(b.error);
        }
    }

    std::vector<std::string> png_errors;
    if (context.png != PngMode::never && !jobs.empty()) {
        const auto chromium = find_chromium();
        if (!chromium) {
            if (context.png == PngMode::always) {
                throw RuntimeFailure(
                    "charts: Chromium not found (looked for chromium, chromium-browser, google-chrome "
                    "on PATH and $PERFRUNNER_CHROMIUM); install it (apt-get install chromium) or "
                    "use --png never");
            }
            spdlog::warn(
                "charts: Chromium not found on PATH, PNGs skipped (install chromium, or --png never to "
                "silence this)");
        } else {
            png_errors = take_screenshots(*chromium, jobs, options_);
        }
    }

    const auto has_png = [&](const ChartPlan& p) {
        std::error_code ec;
        return std::filesystem::is_regular_file(charts_dir / (p.path + ".png"), ec);
    };
    write_text_file(charts_dir / "index.html", render_chart_index(context.run.test_id, plans, has_png));

    if (!chart_errors.empty()) {
        throw RuntimeFailure("charts: " + std::to_string(chart_errors.size()) +
                             " chart(s) could not be built, first: " + chart_errors.front() +
                             " (the other charts were written)");
    }
    if (!png_errors.empty()) {
        const std::string first = png_errors.front();
        const std::string more = png_errors.size() > 1
                                     ? " (and " + std::to_string(png_errors.size() - 1) + " more)"
                                     : std::string();
        if (context.png == PngMode::always) {
            throw RuntimeFailure("charts: PNG screenshot failed: " + first + more +
                                 " (check that Chromium runs headless, or use --png never)");
        }
        spdlog::warn("charts: PNG screenshot failed: {}{}", first, more);
    }
}

}  // namespace perfrunner::report
