// `perfrunner compare BASE NEW`: read two results files (ours or the reference framework's), analyse both
// with today's config, compare them (analysis/compare_runs.hpp) and write compare.json, compare.md,
// compare.html and junit.xml into an output folder; the inputs are only read. Exit 3 on a regression.
//
// Ctrl-C (SIGINT/SIGTERM) is caught as in `analyze` (signals.hpp, stop_if_requested): the output being
// written is finished and renamed, the ones after it are skipped, no temporary file is left, and the command
// exits 130.
#include <chrono>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "commands.hpp"
#include "perfrunner/analysis/compare_runs.hpp"
#include "perfrunner/error.hpp"
#include "perfrunner/model/results_json.hpp"
#include "perfrunner/model/timestamps.hpp"
#include "perfrunner/report/compare_report.hpp"
#include "signals.hpp"

namespace perfrunner::cli {
namespace {

namespace fs = std::filesystem;

// A run folder stands for its results.json.
fs::path results_path(const std::string& argument, const char* role) {
    fs::path p(argument);
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
        p /= "results.json";
    }
    if (!fs::is_regular_file(p, ec)) {
        throw InputError(fmt::format("{} {}: no such results file (give a results.json or its run folder)",
                                     role, p.string()));
    }
    return p;
}

fs::path output_directory(const config::Config& config, const CompareOptions& options) {
    if (options.output_dir) {
        return fs::path(*options.output_dir);
    }
    const auto now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch());
    return fs::path(config.output.output_dir) / ("compare_" + model::test_id_utc(now.count()));
}

// The output folder may not be a run's own folder: its junit.xml (and a results.json named compare.json)
// would be overwritten.
void refuse_input_folder(const fs::path& out_dir, const fs::path& input, const char* role) {
    std::error_code ec;
    const fs::path parent = input.has_parent_path() ? input.parent_path() : fs::path(".");
    if (fs::exists(out_dir, ec) && fs::equivalent(out_dir, parent, ec)) {
        throw UsageError(fmt::format(
            "--output {}: is the folder of the {} file; compare writes junit.xml and compare.* there "
            "(choose another folder)",
            out_dir.string(), role));
    }
}

report::CompareInput describe_input(const fs::path& path, const model::RunResult& run) {
    return {path.string(), run.test_id, run.started_at};
}

}  // namespace

int compare_command(const config::Config& config, const CompareOptions& options) {
    const fs::path base_path = results_path(options.base, "BASE");
    const fs::path next_path = results_path(options.next, "NEW");
    const fs::path out_dir = output_directory(config, options);
    refuse_input_folder(out_dir, base_path, "BASE");
    refuse_input_folder(out_dir, next_path, "NEW");

    const ports::StopToken& stop = install_signal_handlers();
    spdlog::debug("reading {} and {}", base_path.string(), next_path.string());
    const model::RunResult base = model::read_results_file(base_path);
    const model::RunResult next = model::read_results_file(next_path);
    stop_if_requested(stop, "nothing written");
    const analysis::Analysis base_analysis = analysis::analyze(base, config);
    const analysis::Analysis next_analysis = analysis::analyze(next, config);
    stop_if_requested(stop, "nothing written");
    const analysis::CompareSettings settings = analysis::compare_settings(config.compare);
    const analysis::CompareResult result =
        analysis::compare_runs(base, base_analysis, next, next_analysis, config, settings);

    const report::CompareReportContext context{result, settings, describe_input(base_path, base),
                                               describe_input(next_path, next)};
    std::error_code ec;
    fs::create_directories(out_dir, ec);
    if (ec) {
        throw RuntimeFailure(
            fmt::format("cannot create output directory {}: {}", out_dir.string(), ec.message()));
    }
    const std::vector<std::string> errors =
        report::write_compare_outputs(context, out_dir, [&stop] { return stop.stop_requested(); });
    for (const auto& e : errors) {
        spdlog::error("{}", e);
    }
    stop_if_requested(stop, fmt::format("the outputs in {} may be incomplete", out_dir.string()));
    if (!options.global.quiet) {
        std::cout << report::render_compare_text(context)
                  << fmt::format("outputs: {}/ (compare.json, compare.md, compare.html, junit.xml)\n",
                                 out_dir.string());
    }
    if (!errors.empty()) {
        throw RuntimeFailure(
            fmt::format("{} of the outputs could not be written (first: {})", errors.size(), errors.front()));
    }
    return result.regression() ? static_cast<int>(ExitCode::verdict_fail) : static_cast<int>(ExitCode::ok);
}

}  // namespace perfrunner::cli
