// `perfrunner run`: wire the real adapters to the run flow (recorded in the run journal as it goes), then
// results.json from the journal, analysis, reports and charts, and the final `down -v`. Exit code by verdict
// (0 PASS/WARNING, 3 FAIL or OOM abort, 1 runtime error, 130 interrupted).
//
// Ctrl-C (SIGINT/SIGTERM), counted by the handler:
//   1st: the run stops at once; a running docker call is killed (its whole process group); the simulation is
//        brought to rest; results.json, the reports and the teardown (`down -v`) still follow.
//   2nd: a running Chromium is killed and no further PNG is taken; the teardown still runs.
//   The teardown's `down -v` survives one more signal than had arrived when it started; the one after that
//   kills it, and perfrunner lists what it left running and how to remove it.
//   4th: forced exit (signals.cpp).
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <limits>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "commands.hpp"
#include "perfrunner/adapters/docker_cli.hpp"
#include "perfrunner/adapters/left_running.hpp"
#include "perfrunner/adapters/metrics_source_factory.hpp"
#include "perfrunner/adapters/multi_host_stack.hpp"
#include "perfrunner/adapters/simulation_client.hpp"
#include "perfrunner/error.hpp"
#include "perfrunner/model/journal.hpp"
#include "perfrunner/model/timestamps.hpp"
#include "perfrunner/ports/system_clock.hpp"
#include "perfrunner/progress/console_progress.hpp"
#include "perfrunner/report/run_outputs.hpp"
#include "perfrunner/scenarios/journal_sink.hpp"
#include "perfrunner/scenarios/run_flow.hpp"
#include "signals.hpp"

namespace perfrunner::cli {
namespace {

namespace fs = std::filesystem;

scenarios::RunOptions flow_options(const RunOptions& options, const std::string& test_id) {
    scenarios::RunOptions o;
    if (options.scenarios) {
        o.scenarios = scenarios::parse_scenario_selection(*options.scenarios);
    }
    o.agents = options.agents;
    o.keep_stack = options.keep_stack;
    o.test_id = test_id;
    scenarios::validate(o);
    return o;
}

// The run as its journal holds it, when the journal took every record; the analysis and results.json then
// see exactly what `perfrunner rebuild` would. Else (a record could not be appended) the run in memory.
void adopt_journal(model::RunResult& run, const scenarios::JournalSink& sink) {
    if (!sink.complete()) {
        spdlog::warn("{}: some records could not be written; results.json is written from memory",
                     sink.path().string());
        return;
    }
    try {
        model::JournalReplay replay = model::read_journal_file(sink.path());
        std::size_t held = 0;
        for (const auto& s : run.scenarios) {
            held += s.samples.size();
        }
        if (replay.samples != held || replay.run.scenarios.size() != run.scenarios.size()) {
            spdlog::warn("{}: holds {} samples, the run {}; results.json is written from memory",
                         sink.path().string(), replay.samples, held);
            return;
        }
        run = std::move(replay.run);
    } catch (const std::exception& e) {
        spdlog::warn("{}: cannot be read back ({}); results.json is written from memory",
                     sink.path().string(), e.what());
    }
}

}  // namespace

int run_command(const config::Config& config, const RunOptions& options) {
    ports::StopToken& stop = install_signal_handlers();
    ports::SystemClock clock(&stop);
    const double start = clock.now();
    const std::string test_id = model::test_id_utc(start);
    const scenarios::RunOptions flow_opts =
        flow_options(options, test_id);  // usage errors before anything runs

    const fs::path run_dir =
        options.output_dir ? fs::path(*options.output_dir) : fs::path(config.output.output_dir) / test_id;
    std::error_code ec;
    fs::create_directories(run_dir, ec);
    if (ec) {
        throw RuntimeFailure(
            fmt::format("cannot create output directory {}: {} (check the path and permissions)",
                        run_dir.string(), ec.message()));
    }

    // Waits inside the adapters (rate limits, spawn wait, health wait) end at once on SIGINT/SIGTERM.
    auto now = [&clock] { return clock.now(); };
    auto sleep = [&clock](double seconds) {
        if (!clock.sleep_for(seconds)) {
            throw scenarios::Interrupted{};
        }
    };
    auto sim_options = adapters::SimulationClient::options_from(config);
    sim_options.now = now;
    sim_options.sleep = sleep;
    adapters::SimulationClient simulation(sim_options);
    // Docker calls end once more signals arrived than `tolerated` (raised for the teardown, see above).
    int tolerated = 0;
    auto docker_options = adapters::DockerCli::options_from(config);
    docker_options.now = now;
    docker_options.sleep = sleep;
    docker_options.cancelled = [&stop, &tolerated] { return stop.requests() > tolerated; };
    // One DockerCli per docker.hosts entry (one for the default engine when none is configured).
    adapters::MultiHostStack stack = adapters::MultiHostStack::from_config(config, docker_options);
    const std::unique_ptr<ports::MetricsSource> metrics = adapters::make_metrics_source(config);
    scenarios::JournalSink sink(run_dir / model::kJournalFileName,
                                static_cast<std::size_t>(config.sampling.checkpoint_every_samples));

    progress::NullProgress quiet;
    progress::ConsoleProgress console(config,
                                      ::isatty(STDERR_FILENO) ? progress::ConsoleProgress::Mode::terminal
                                                              : progress::ConsoleProgress::Mode::log,
                                      stderr, now);
    progress::ProgressListener& progress =
        options.global.quiet ? static_cast<progress::ProgressListener&>(quiet) : console;
    if (!options.global.quiet) {
        std::cerr << fmt::format("perfrunner run {} -> {}\n", test_id, run_dir.string());
    }

    scenarios::RunFlow flow({clock, stop, *metrics, stack, simulation, sink, progress}, config, flow_opts);
    model::RunResult& run = flow.execute();
    progress.finished();
    adopt_journal(run, sink);

    // Analysis -> results.json -> reports and charts; none of them failing skips the teardown.
    report::RunOutputsOptions outputs_options;
    outputs_options.run_dir = run_dir;
    outputs_options.png = report::png_mode(options.png.value_or(config.output.png));
    const int signals_before_reports = stop.requests();
    outputs_options.screenshots.cancelled = [&stop, signals_before_reports] {
        return stop.requests() > signals_before_reports;
    };
    outputs_options.exit_code_for = [&run, &flow](bool verdict_fail) {
        return scenarios::exit_code_for(run, verdict_fail, flow.interrupted());
    };
    const report::RunOutputs outputs = report::write_run_outputs(run, config, outputs_options);
    for (const auto& e : outputs.errors) {
        spdlog::error("{}", e);
    }

    tolerated = stop.requests() + 1;
    if (!flow.teardown()) {
        tolerated = std::numeric_limits<int>::max();  // listing what is left must not be cut short too
        // exactly what is left on every host, and how to remove it there
        for (const auto& line : adapters::left_running_lines(adapters::left_running(stack))) {
            spdlog::error("{}", line);
        }
    }

    ExitCode code = outputs.exit_code;
    if (!options.global.quiet) {
        const auto& result = outputs.analysis;
        std::cout << fmt::format(
            "run {}: {}{}\n", run.test_id,
            result ? analysis::to_string(result->verdict) : "no verdict (analysis failed)",
            run.aborted ? fmt::format(" (aborted: {})", run.abort_reason.value_or("")) : "");
        if (result) {
            std::cout << fmt::format("findings: {} ({} critical, {} warning)\n", result->findings.size(),
                                     result->critical_count, result->warning_count);
        }
        std::cout << fmt::format(
                         "outputs: {}/ (results.json, summary.json, report.md, report.html, junit.xml, "
                         "charts/, {})\n",
                         run_dir.string(), model::kJournalFileName)
                  << fmt::format("exit code: {}\n", static_cast<int>(code));
    }
    return static_cast<int>(code);
}

}  // namespace perfrunner::cli
