#pragma once
// The end of a run, shared by `perfrunner run` and `perfrunner rebuild`: the analysis attached to the run
// (analysis, verdict, exit_code), results.json, then every report. No failure stops the steps after it: a
// full disk at the end still gets every report tried and returns, so the caller's teardown runs.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "perfrunner/analysis/analysis.hpp"
#include "perfrunner/config/config.hpp"
#include "perfrunner/error.hpp"
#include "perfrunner/model/results.hpp"
#include "perfrunner/report/chromium.hpp"
#include "perfrunner/report/writer.hpp"

namespace perfrunner::report {

struct RunOutputs {
    std::optional<analysis::Analysis> analysis;  // absent when the analysis failed
    bool results_written = false;                // results.json
    std::vector<std::string> errors;             // one line per failed step (analysis, results.json, report)
    bool reports_skipped = false;                // `stop_after_results` said so
    ExitCode exit_code = ExitCode::ok;           // stored in results.json; runtime_error once a step failed
};

struct RunOutputsOptions {
    std::filesystem::path run_dir;
    PngMode png = PngMode::automatic;
    ScreenshotOptions screenshots;
    // The run's exit code from its verdict (true = FAIL); an analysis failure turns ok into runtime_error.
    std::function<ExitCode(bool verdict_fail)> exit_code_for;
    // Asked once results.json is written: true skips the reports (`rebuild` interrupted by Ctrl-C;
    // results.json comes first because it is the record, and every report can be made from it again).
    std::function<bool()> stop_after_results;
};

// "always", "never", anything else (validated "auto") -> automatic.
PngMode png_mode(const std::string& text);

RunOutputs write_run_outputs(model::RunResult& run, const config::Config& config,
                             const RunOutputsOptions& options);

}  // namespace perfrunner::report
