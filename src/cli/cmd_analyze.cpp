// `perfrunner analyze RESULTS_JSON`: read a results.json (ours or the reference framework's), analyse it with
// today's config, write the analysis back (atomically, only after the analysis succeeded) and every report.
#include <cctype>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "commands.hpp"
#include "perfrunner/analysis/analysis_json.hpp"
#include "perfrunner/error.hpp"
#include "perfrunner/model/results_json.hpp"
#include "perfrunner/report/writer.hpp"

namespace perfrunner::cli {
namespace {

namespace fs = std::filesystem;

report::PngMode png_mode(const std::string& text) {
    if (text == "always") {
        return report::PngMode::always;
    }
    if (text == "never") {
        return report::PngMode::never;
    }
    return report::PngMode::automatic;
}

std::string upper(std::string text) {
    for (auto& ch : text) {
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    return text;
}

fs::path output_directory(const AnalyzeOptions& options, const fs::path& input) {
    if (options.output_dir) {
        return fs::path(*options.output_dir);
    }
    return input.has_parent_path() ? input.parent_path() : fs::path(".");
}

}  // namespace

int analyze_command(const config::Config& config, const AnalyzeOptions& options) {
    const fs::path input(options.results_json);
    std::error_code ec;
    if (!fs::is_regular_file(input, ec)) {
        throw InputError(
            fmt::format("{}: no such results file (give the path of a results.json)", input.string()));
    }
    spdlog::debug("reading {}", input.string());
    model::RunResult run = model::read_results_file(input);

    const fs::path out_dir = output_directory(options, input);
    fs::create_directories(out_dir, ec);
    if (ec) {
        throw RuntimeFailure(
            fmt::format("cannot create output directory {}: {}", out_dir.string(), ec.message()));
    }

    spdlog::debug("analysing {} scenarios", run.scenarios.size());
    const analysis::Analysis result = analysis::analyze(run, config);
    const int exit_code =
        static_cast<int>(result.verdict == analysis::Verdict::fail ? ExitCode::verdict_fail : ExitCode::ok);

    run.analysis = analysis::analysis_json(result);
    run.extra["verdict"] = analysis::verdict_json(result);
    run.extra["schema_version"] = "perfrunner-results/1";
    run.extra["generator"] = {{"name", "perfrunner"}, {"version", PERFRUNNER_VERSION}};
    run.extra["exit_code"] = exit_code;

    // Atomic: the input (when it is the target) is replaced only now, in one rename.
    const fs::path results_path = out_dir / "results.json";
    model::write_results_file(results_path, run);
    spdlog::debug("wrote {}", results_path.string());

    const report::ReportContext context{run, result, config, out_dir,
                                        png_mode(options.png.value_or(config.output.png))};
    const std::vector<std::string> errors = report::write_all(context);
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
