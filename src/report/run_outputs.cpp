#include "perfrunner/report/run_outputs.hpp"

#include "perfrunner/analysis/analysis_json.hpp"
#include "perfrunner/model/journal.hpp"
#include "perfrunner/model/results_json.hpp"

namespace perfrunner::report {

PngMode png_mode(const std::string& text) {
    if (text == "always") {
        return PngMode::always;
    }
    if (text == "never") {
        return PngMode::never;
    }
    return PngMode::automatic;
}

RunOutputs write_run_outputs(model::RunResult& run, const config::Config& config,
                             const RunOutputsOptions& options) {
    RunOutputs out;
    bool verdict_fail = false;
    try {
        out.analysis = analysis::analyze(run, config);
        run.analysis = analysis::analysis_json(*out.analysis);
        run.extra["verdict"] = analysis::verdict_json(*out.analysis);
        verdict_fail = out.analysis->verdict == analysis::Verdict::fail;
    } catch (const std::exception& e) {
        out.errors.push_back(std::string("analysis failed: ") + e.what() +
                             " (results.json keeps every sample; rerun `perfrunner analyze`)");
    }
    out.exit_code = options.exit_code_for ? options.exit_code_for(verdict_fail)
                                          : (verdict_fail ? ExitCode::verdict_fail : ExitCode::ok);
    if (!out.analysis && out.exit_code == ExitCode::ok) {
        out.exit_code = ExitCode::runtime_error;
    }
    run.extra["exit_code"] = static_cast<int>(out.exit_code);

    const auto results_path = options.run_dir / "results.json";
    try {
        model::write_results_file(results_path, run);
        out.results_written = true;
    } catch (const std::exception& e) {
        out.errors.push_back(std::string("results.json not written: ") + e.what() + " (the run journal " +
                             std::string(model::kJournalFileName) +
                             " keeps every sample; `perfrunner rebuild " + options.run_dir.string() +
                             "` writes it once there is room)");
    }
    if (options.stop_after_results && options.stop_after_results()) {
        out.reports_skipped = true;
    } else if (out.analysis) {
        const ReportContext context{run, *out.analysis, config, options.run_dir, options.png};
        for (auto& e : write_all(context, options.screenshots)) {
            out.errors.push_back(std::move(e));
        }
    }
    if (!out.errors.empty() && out.exit_code == ExitCode::ok) {
        out.exit_code = ExitCode::runtime_error;
    }
    return out;
}

}  // namespace perfrunner::report
