// Issue 14 in the reports: the USL fit in the capacity block (report.md and report.html), its chart (points,
// fitted curve, N*, last healthy, breaking point) in the chart plan, and the baseline calibration rows.
#include <gtest/gtest.h>

#include "perfrunner/analysis/analysis.hpp"
#include "perfrunner/report/capacity_block.hpp"
#include "perfrunner/report/chart_figures.hpp"
#include "perfrunner/report/report_html.hpp"
#include "perfrunner/report/report_markdown.hpp"
#include "unit/report/fixtures.hpp"

namespace perfrunner::report {
namespace {

model::RunResult step_run_with_throughput(bool with_throughput) {
    auto run = testing::make_run();
    auto& md = std::get<model::StressMetadata>(run.scenarios[1].metadata);
    model::StressStepResult step;
    const std::vector<long> loads = {10, 30, 50, 70, 90, 110, 130};
    for (std::size_t i = 0; i < loads.size(); ++i) {
        model::StressStep s;
        s.level = static_cast<long>(i) + 1;
        s.live_drivers = loads[i];
        s.breach = i + 1 == loads.size();
        const double n = static_cast<double>(loads[i]);
        s.window_means = {{testing::kSim, 20.0, 0.6 * n, {}}};
        if (with_throughput) {
            s.window_throughput = analysis::stats::usl_throughput(n, 6.0, 0.03, 1e-4);  // N* = 98.5
        }
        step.steps.push_back(s);
    }
    step.last_healthy = 110;
    step.breaking_point = 130;
    md.step_mode = step;
    return run;
}

TEST(UslReport, CapacityBlockChartPlanAndFigureShowTheFit) {
    const auto run = step_run_with_throughput(true);
    const auto config = testing::make_config();
    const auto a = analysis::analyze(run, config);
    testing::TempDir dir;
    const ReportContext ctx{run, a, config, dir.path, PngMode::never};
    const auto block = capacity_block(ctx);
    std::string text;
    for (const auto& r : block.rows) {
        text += r.label + ": " + r.value + "\n";
    }
    EXPECT_NE(text.find("Scalability (USL): λ "), std::string::npos) << text;
    EXPECT_NE(text.find("events/s per driver, σ "), std::string::npos) << text;
    EXPECT_NE(text.find("over 7 levels"), std::string::npos) << text;
    EXPECT_NE(text.find("Throughput peak N*: 98.5 live drivers at "), std::string::npos) << text;

    const auto md = render_markdown_report(ctx);
    EXPECT_NE(md.find("| Scalability (USL) |"), std::string::npos);
    EXPECT_NE(md.find("charts/stress/usl_throughput.html"), std::string::npos);
    EXPECT_NE(render_html_report(ctx).find("Scalability (USL)"), std::string::npos);

    const auto plans = plan_charts(ctx);
    const auto it =
        std::find_if(plans.begin(), plans.end(), [](const ChartPlan& p) { return p.kind == ChartKind::usl; });
    ASSERT_NE(it, plans.end());
    EXPECT_EQ(it->path, kUslChartPath);
    const auto figure = build_chart(ctx, *it).figure;
    std::vector<std::string> names;
    for (const auto& t : figure["data"]) {
        names.push_back(t["name"].get<std::string>());
    }
    ASSERT_EQ(names.size(), 5u) << figure.dump();
    EXPECT_EQ(names[0], "window-mean throughput");
    EXPECT_EQ(figure["data"][0]["x"].size(), 7u);
    EXPECT_EQ(names[1].rfind("USL fit", 0), 0u);
    EXPECT_EQ(names[2].rfind("N* 98.5", 0), 0u);
    EXPECT_EQ(names[3], "last healthy 110");
    EXPECT_EQ(names[4], "breaking point 130");
}

TEST(UslReport, WithoutThroughputTheBlockSaysWhyAndNoChartIsPlanned) {
    const auto run = step_run_with_throughput(false);
    const auto config = testing::make_config();
    const auto a = analysis::analyze(run, config);
    testing::TempDir dir;
    const ReportContext ctx{run, a, config, dir.path, PngMode::never};
    bool seen = false;
    for (const auto& r : capacity_block(ctx).rows) {
        if (r.label == "Scalability (USL)") {
            seen = true;
            EXPECT_EQ(r.value.rfind("no fit: needs at least 6 load levels with a throughput, has 0", 0), 0u)
                << r.value;
        }
    }
    EXPECT_TRUE(seen);
    const auto plans = plan_charts(ctx);
    EXPECT_TRUE(std::none_of(plans.begin(), plans.end(),
                             [](const ChartPlan& p) { return p.kind == ChartKind::usl; }));
}

}  // namespace
}  // namespace perfrunner::report
