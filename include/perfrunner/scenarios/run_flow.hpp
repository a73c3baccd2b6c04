#pragma once
// `perfrunner run` without the command line: baseline -> stress -> (gate) -> duration -> speed scaling, with
// the reference abort rules and its known bugs fixed (reference-framework.md §3, §7, §11):
//   - every exception inside a scenario aborts that scenario with the reason and keeps its results (bug 8);
//   - a stress abort by OOM aborts the run "stress_test_oom"; any other stress abort keeps its own reason
//   (bug 11);
//   - duration and speed run at --agents N when given; else step mode sizes them at the recommended load
//     (80 % of the last healthy live drivers), ramp mode by the reference rule drivers_queued // 2; a
//     stress test that gives no such number (last healthy or drivers queued < 2) aborts the run
//     "stress_test_insufficient_agents" (bug 9). derived_config records the number, its source
//     (recommended_load | ramp_queued_half | --agents) and the stress figures it came from;
//   - a stop request (SIGINT/SIGTERM) ends sampling, brings the simulation to rest and aborts the run
//     "user_interrupt"; the interrupted scenario keeps every sample.
// Every sample is recorded through the sink as it is taken, and the run's state at every scenario start and
// end, phase change and OOM event (the run journal of a real run).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "perfrunner/error.hpp"
#include "perfrunner/scenarios/context.hpp"

namespace perfrunner::scenarios {

enum class ScenarioKind { baseline, stress, duration, speed };

// "baseline,stress,duration,speed" or the scenario_name values (stress_test, duration_leak, speed_scaling);
// returned in run order without duplicates. Throws UsageError naming the unknown entry.
std::vector<ScenarioKind> parse_scenario_selection(std::string_view csv);
const char* scenario_name(ScenarioKind kind);

struct RunOptions {
    std::vector<ScenarioKind> scenarios{ScenarioKind::baseline, ScenarioKind::stress, ScenarioKind::duration,
                                        ScenarioKind::speed};
    std::optional<long> agents;  // --agents N: drivers (and riders) for duration and the speed-scaling base
    bool keep_stack = false;     // --keep-stack: no final `down -v`
    std::optional<std::string> test_id;  // the run directory's name; default: test_id_utc(start)
};

// Throws UsageError: duration/speed without stress need --agents N; N must be >= 1; at least one scenario.
void validate(const RunOptions& options);

// The reference `config` keys of results.json (results-schema.md §3) plus `perfrunner` (full config,
// redacted).
nlohmann::json results_config_json(const config::Config& config);

class RunFlow {
  public:
    RunFlow(Ports ports, const config::Config& config, RunOptions options);

    // Runs the selected scenarios; never throws for a scenario's failure (it is recorded). Returns the run.
    model::RunResult& execute();

    model::RunResult& run() { return run_; }
    bool interrupted() const { return interrupted_; }
    // Final `down -v` unless keep_stack; a failure is a note, never an error. False when it failed.
    bool teardown();

  private:
    template <class Scenario>
    model::ScenarioResult& run_scenario(Scenario& scenario);
    void gate_after_stress(const model::ScenarioResult& stress);
    void preflight();

    Ports ports_;
    const config::Config& config_;
    RunOptions options_;
    model::RunResult run_;
    ScenarioContext ctx_;
    bool interrupted_ = false;
    std::optional<long> derived_agents_;
    std::string derived_source_ = "stress_test_drivers_queued_half";
};

// 130 interrupted; 3 verdict FAIL or an OOM abort; 1 another scenario/run abort (setup failure, exception,
// insufficient agents); 0 otherwise (PASS/WARNING).
ExitCode exit_code_for(const model::RunResult& run, bool verdict_fail, bool interrupted);

}  // namespace perfrunner::scenarios
