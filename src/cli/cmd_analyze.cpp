// `perfrunner analyze RESULTS_JSON`: read a results.json (ours or the reference framework's), analyse it with
// today's config and write a new folder with the analysed results.json and every report. The input is never
// written: a results file a soak run wrote for hours is worth more than any analysis of it.
//
// SIGINT/SIGTERM are caught and checked between the steps (read while results.json is written, then analyse;
// reports; signals.hpp, stop_if_requested), so a Ctrl-C never leaves a half-written temporary file behind:
// the file being written is finished and renamed, the steps after it are skipped (a running Chromium is
// stopped), and the command exits 130. A file that cannot be read leaves nothing: the output folder, made
// before the read, is removed.
#include <cctype>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <optional>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "commands.hpp"
#include "perfrunner/analysis/analysis_json.hpp"
#include "perfrunner/error.hpp"
#include "perfrunner/model/results_json.hpp"
#include "perfrunner/report/run_outputs.hpp"
#include "perfrunner/report/writer.hpp"
#include "signals.hpp"

namespace perfrunner::cli {
namespace {

namespace fs = std::filesystem;

std::string upper(std::string text) {
    for (auto& ch : text) {
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    return text;
}

bool is_empty_directory(const fs::path& dir) {
    std::error_code ec;
    return fs::is_directory(dir, ec) && fs::directory_iterator(dir, ec) == fs::directory_iterator();
}

// --output DIR must be new or empty, so that nothing there (another run, the input itself) is replaced.
void check_output_option(const AnalyzeOptions& options) {
    if (!options.output_dir) {
        return;
    }
    const fs::path dir(*options.output_dir);
    std::error_code ec;
    if (fs::exists(dir, ec) && !is_empty_directory(dir)) {
        throw UsageError(
            fmt::format("--output {}: exists and is not an empty folder (analyze never replaces "
                        "files; give a new folder)",
                        dir.string()));
    }
}

std::string utc_stamp() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    char text[32];
    const std::size_t n = std::strftime(text, sizeof text, "%Y%m%d_%H%M%S", &tm);
    return std::string(text, n);
}

// The folder the outputs go to, created now. The default sits beside the input,
// "<stem>-analysis-<UTC time>[-N]"; mkdir fails when the name exists, so it can never be an existing folder.
fs::path create_output_directory(const AnalyzeOptions& options, const fs::path& input) {
    std::error_code ec;
    if (options.output_dir) {
        fs::path dir(*options.output_dir);
        fs::create_directories(dir, ec);
        if (ec || !is_empty_directory(dir)) {
            throw RuntimeFailure(fmt::format("cannot create output directory {}: {}", dir.string(),
                                             ec ? ec.message() : "not an empty folder"));
        }
        return dir;
    }
    const fs::path parent = input.has_parent_path() ? input.parent_path() : fs::path(".");
    const std::string base = input.stem().string() + "-analysis-" + utc_stamp();
    constexpr int kAttempts = 100;
    for (int i = 1; i <= kAttempts; ++i) {
        fs::path dir = parent / (i == 1 ? base : fmt::format("{}-{}", base, i));
        if (fs::create_directory(dir, ec)) {
            return dir;
        }
        if (ec) {
            throw RuntimeFailure(fmt::format("cannot create output directory {}: {} (give --output DIR)",
                                             dir.string(), ec.message()));
        }
    }
    throw RuntimeFailure(
        fmt::format("cannot create an output directory beside {}: {} names taken (give "
                    "--output DIR)",
                    input.string(), kAttempts));
}

}  // namespace

int analyze_command(const config::Config& config, const AnalyzeOptions& options) {
    const fs::path input(options.results_json);
    std::error_code ec;
    if (!fs::is_regular_file(input, ec)) {
        throw InputError(
            fmt::format("{}: no such results file (give the path of a results.json)", input.string()));
    }
    check_output_option(options);
    const ports::StopToken& stop = install_signal_handlers();
    const fs::path out_dir = create_output_directory(options, input);
    const fs::path results_path = out_dir / "results.json";
    // Read, and written again while it is read (another thread follows the reader: the samples are nearly all
    // of the bytes, and none of them does the analysis change); the analysis runs when the read is done, and
    // its members follow.
    std::optional<analysis::Analysis> analysed;
    int exit_code = 0;
    spdlog::debug("reading {}", input.string());
    model::RunResult run;
    try {
        run = model::rewrite_results_file(input, results_path, [&](model::RunResult& r) {
            spdlog::debug("analysing {} scenarios", r.scenarios.size());
            analysed = analysis::analyze(r, config);
            // As `run` exits: FAIL 3; no scenario completed 1 (like the run's own abort); else 0.
            exit_code = static_cast<int>(analysed->verdict == analysis::Verdict::fail ? ExitCode::verdict_fail
                                         : analysed->verdict == analysis::Verdict::incomplete
                                             ? ExitCode::runtime_error
                                             : ExitCode::ok);
            r.analysis = analysis::analysis_json(*analysed);
            r.extra["verdict"] = analysis::verdict_json(*analysed);
            r.extra["schema_version"] = "perfrunner-results/1";
            r.extra["generator"] = {{"name", "perfrunner"}, {"version", PERFRUNNER_VERSION}};
            r.extra["exit_code"] = exit_code;
        });
    } catch (...) {
        std::error_code ignored;
        fs::remove(out_dir, ignored);  // the folder this command created, still empty: nothing is left behind
        throw;
    }
    const analysis::Analysis& result = *analysed;
    spdlog::debug("wrote {}", results_path.string());
    stop_if_requested(stop, fmt::format("{} written, no report", results_path.string()));

    const report::ReportContext context{run, result, config, out_dir,
                                        report::png_mode(options.png.value_or(config.output.png))};
    report::ScreenshotOptions screenshots;
    screenshots.cancelled = [&stop] { return stop.stop_requested(); };
    const std::vector<std::string> errors = report::write_all(context, screenshots);
    stop_if_requested(stop, fmt::format("the reports in {} may be incomplete", out_dir.string()));
    for (const auto& e : errors) {
        spdlog::error("{}", e);
    }

    if (!options.global.quiet) {
        std::cout
            << fmt::format("verdict: {} ({} findings: {} critical, {} warning)\n",
                           upper(analysis::to_string(result.verdict)), result.findings.size(),
                           result.critical_count, result.warning_count)
            << fmt::format(
                   "outputs: {}/ (results.json, summary.json, report.md, report.html, junit.xml, charts/)\n",
                   out_dir.string());
    }
    if (!errors.empty()) {
        throw RuntimeFailure(
            fmt::format("{} of the outputs could not be written (first: {})", errors.size(), errors.front()));
    }
    return exit_code;
}

}  // namespace perfrunner::cli
