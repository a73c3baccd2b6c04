// `perfrunner run`: wire the real adapters to the run flow, then analysis, results.json, reports and charts,
// and the final `down -v`. Exit code by verdict (0 PASS/WARNING, 3 FAIL or OOM abort, 1 runtime error, 130
// interrupted).
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "commands.hpp"
#include "perfrunner/adapters/cadvisor_sampler.hpp"
#include "perfrunner/adapters/docker_cli.hpp"
#include "perfrunner/adapters/simulation_client.hpp"
#include "perfrunner/analysis/analysis_json.hpp"
#include "perfrunner/error.hpp"
#include "perfrunner/model/timestamps.hpp"
#include "perfrunner/ports/system_clock.hpp"
#include "perfrunner/progress/console_progress.hpp"
#include "perfrunner/report/writer.hpp"
#include "perfrunner/scenarios/file_results_sink.hpp"
#include "perfrunner/scenarios/run_flow.hpp"
#include "signals.hpp"

namespace perfrunner::cli {
namespace {

namespace fs = std::filesystem;

report::PngMode png_mode(const std::string& text) {
    if (text == "always") return report::PngMode::always;
    if (text == "never") return report::PngMode::never;
    return report::PngMode::automatic;
}

scenarios::RunOptions flow_options(const RunOptions& options, const std::string& test_id) {
    scenarios::RunOptions o;
    if (options.scenarios) o.scenarios = scenarios::parse_scenario_selection(*options.scenarios);
    o.agents = options.agents;
    o.keep_stack = options.keep_stack;
    o.test_id = test_id;
    scenarios::validate(o);
    return o;
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
    if (ec)
        throw RuntimeFailure(
            fmt::format("cannot create output directory {}: {} (check the path and permissions)",
                        run_dir.string(), ec.message()));

    // Waits inside the adapters (rate limits, spawn wait, health wait) end at once on SIGINT/SIGTERM.
    auto now = [&clock] { return clock.now(); };
    auto sleep = [&clock](double seconds) {
        if (!clock.sleep_for(seconds)) throw scenarios::Interrupted{};
    };
    auto sim_options = adapters::SimulationClient::options_from(config);
    sim_options.now = now;
    sim_options.sleep = sleep;
    adapters::SimulationClient simulation(sim_options);
    auto docker_options = adapters::DockerCli::options_from(config);
    docker_options.now = now;
    docker_options.sleep = sleep;
    adapters::DockerCli docker(docker_options);
    adapters::CadvisorSampler metrics(adapters::CadvisorSampler::options_from(config));
    scenarios::FileResultsSink sink(run_dir / "results.json");

    progress::NullProgress quiet;
    progress::ConsoleProgress console(config,
                                      ::isatty(STDERR_FILENO) ? progress::ConsoleProgress::Mode::terminal
                                                              : progress::ConsoleProgress::Mode::log,
                                      stderr, now);
    progress::ProgressListener& progress =
        options.global.quiet ? static_cast<progress::ProgressListener&>(quiet) : console;
    if (!options.global.quiet)
        std::cerr << fmt::format("perfrunner run {} -> {}\n", test_id, run_dir.string());

    scenarios::RunFlow flow({clock, stop, metrics, docker, simulation, sink, progress}, config, flow_opts);
    model::RunResult& run = flow.execute();
    progress.finished();

    // Analysis -> results.json -> reports and charts. results.json is complete even when analysis fails.
    bool verdict_fail = false;
    bool analysis_failed = false;
    std::optional<analysis::Analysis> result;
    try {
        result = analysis::analyze(run, config);
        run.analysis = analysis::analysis_json(*result);
        run.extra["verdict"] = analysis::verdict_json(*result);
        verdict_fail = result->verdict == analysis::Verdict::fail;
    } catch (const std::exception& e) {
        analysis_failed = true;
        spdlog::error("analysis failed: {} (results.json keeps every sample; rerun `perfrunner analyze`)",
                      e.what());
    }
    ExitCode code = scenarios::exit_code_for(run, verdict_fail, flow.interrupted());
    if (analysis_failed && code == ExitCode::ok) code = ExitCode::runtime_error;
    run.extra["exit_code"] = static_cast<int>(code);
    sink.checkpoint(run);

    std::vector<std::string> report_errors;
    if (result) {
        const report::ReportContext context{run, *result, config, run_dir,
                                            png_mode(options.png.value_or(config.output.png))};
        report_errors = report::write_all(context);
        for (const auto& e : report_errors) spdlog::error("{}", e);
    }
    flow.teardown();

    if (!options.global.quiet) {
        std::cout << fmt::format(
            "run {}: {}{}\n", run.test_id,
            result ? analysis::to_string(result->verdict) : "no verdict (analysis failed)",
            run.aborted ? fmt::format(" (aborted: {})", run.abort_reason.value_or("")) : "");
        if (result) {
            std::cout << fmt::format("findings: {} ({} critical, {} warning)\n", result->findings.size(),
                                     result->critical_count, result->warning_count);
        }
        std::cout
            << fmt::format(
                   "outputs: {}/ (results.json, summary.json, report.md, report.html, junit.xml, charts/)\n",
                   run_dir.string())
            << fmt::format("exit code: {}\n", static_cast<int>(code));
    }
    if (!report_errors.empty() && code == ExitCode::ok) code = ExitCode::runtime_error;
    return static_cast<int>(code);
}

}  // namespace perfrunner::cli
