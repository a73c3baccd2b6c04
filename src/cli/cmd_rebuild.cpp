// `perfrunner rebuild RUN_DIR`: the run journal of a run that crashed, was killed or interrupted, or could
// not write results.json (disk full) -> results.json and every report, by the same path a run ends with
// (report::write_run_outputs). Exit code: the one the run records (0 PASS/WARNING, 1 aborted run or an output
// not written, 3 FAIL, 130 the run was interrupted); 2 when the folder has no readable journal.
//
// Ctrl-C (SIGINT/SIGTERM) is caught as in `analyze` (signals.hpp, stop_if_requested): results.json, when it
// is being written, is finished and renamed, the reports after it are skipped (a running Chromium is
// stopped), no temporary file is left, and the command exits 130 saying what it wrote.
#include <filesystem>
#include <iostream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "commands.hpp"
#include "perfrunner/error.hpp"
#include "perfrunner/model/journal.hpp"
#include "perfrunner/report/run_outputs.hpp"
#include "perfrunner/scenarios/run_flow.hpp"
#include "signals.hpp"

namespace perfrunner::cli {

namespace fs = std::filesystem;

int rebuild_command(const config::Config& config, const RebuildOptions& options) {
    const fs::path dir(options.run_dir);
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        throw InputError(fmt::format(
            "{}: no such run folder (give the folder of a run, e.g. results/<test_id>)", dir.string()));
    }
    const fs::path journal = dir / model::kJournalFileName;
    if (!fs::is_regular_file(journal, ec)) {
        throw InputError(fmt::format("{}: no run journal {} in this folder (is it a perfrunner run folder?)",
                                     dir.string(), model::kJournalFileName));
    }
    const ports::StopToken& stop = install_signal_handlers();
    model::JournalReplay replay = model::read_journal_file(journal);
    stop_if_requested(stop, "nothing written");
    model::RunResult& run = replay.run;
    if (replay.truncated_tail) {
        spdlog::warn("{}: the last line was cut off when the run ended; it was skipped", journal.string());
    }
    if (!replay.ended) {
        model::close_unfinished_run(run, "run_ended_unexpectedly");
        spdlog::warn(
            "{}: the run did not reach its end (crash, kill or power loss); rebuilt as aborted "
            "\"run_ended_unexpectedly\"",
            journal.string());
    }

    report::RunOutputsOptions outputs_options;
    outputs_options.run_dir = dir;
    outputs_options.png = report::png_mode(options.png.value_or(config.output.png));
    const bool interrupted = run.abort_reason == std::optional<std::string>("user_interrupt");
    outputs_options.exit_code_for = [&run, interrupted](bool verdict_fail) {
        return scenarios::exit_code_for(run, verdict_fail, interrupted);
    };
    outputs_options.screenshots.cancelled = [&stop] { return stop.stop_requested(); };
    outputs_options.stop_after_results = outputs_options.screenshots.cancelled;
    const report::RunOutputs outputs = report::write_run_outputs(run, config, outputs_options);
    for (const auto& e : outputs.errors) {
        spdlog::error("{}", e);
    }
    const fs::path results = dir / "results.json";
    stop_if_requested(stop, !outputs.results_written ? "results.json not written"
                            : outputs.reports_skipped
                                ? fmt::format("{} written, no report", results.string())
                                : fmt::format("{} written; the reports in {} may be incomplete",
                                              results.string(), dir.string()));
    if (!outputs.results_written) {
        throw RuntimeFailure(fmt::format("{}: results.json could not be written (see above)", dir.string()));
    }
    if (!options.global.quiet) {
        std::cout
            << fmt::format("rebuilt run {} from {}: {} samples in {} scenarios{}\n", run.test_id,
                           journal.string(), replay.samples, run.scenarios.size(),
                           replay.truncated_tail ? " (a cut last line skipped)" : "")
            << fmt::format("verdict: {}{}\n",
                           outputs.analysis ? analysis::to_string(outputs.analysis->verdict)
                                            : "none (analysis failed)",
                           run.aborted ? fmt::format(" (aborted: {})", run.abort_reason.value_or("")) : "")
            << fmt::format(
                   "outputs: {}/ (results.json, summary.json, report.md, report.html, junit.xml, charts/)\n",
                   dir.string())
            << fmt::format("exit code: {}\n", static_cast<int>(outputs.exit_code));
    }
    return static_cast<int>(outputs.exit_code);
}

}  // namespace perfrunner::cli
