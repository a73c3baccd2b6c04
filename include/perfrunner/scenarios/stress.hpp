#pragma once
// stress_test (reference-framework.md §5.2, results-schema.md §5): start the simulation, queue batches of
// drivers and riders every spawn interval, sample at the sampling interval, and stop at the first threshold
// hit of a rolling window (memory, CPU x effective cores, host CPU, real-time ratio), at an OOM kill or at
// the maximum duration. Fixes of the reference: the window holds W = rolling_window_seconds / interval
// samples really taken at that interval and no idle warm-up samples (bug 17); metadata is stored and the
// simulation is stopped on every exit path, aborts included (bug 10).
#include <nlohmann/json.hpp>

#include "perfrunner/model/scenario_metadata.hpp"
#include "perfrunner/model/scenario_names.hpp"
#include "perfrunner/scenarios/context.hpp"

namespace perfrunner::scenarios {

class StressScenario {
  public:
    static constexpr const char* kName = model::scenario_names::kStress;
    explicit StressScenario(const config::Config& config, bool clean_restart_first = false);
    nlohmann::json params() const;
    void run(ScenarioContext& ctx, model::ScenarioResult& result);

    std::size_t window_samples() const { return window_; }

  private:
    void start_simulation(ScenarioContext& ctx);
    void run_ramp(ScenarioContext& ctx, model::ScenarioResult& result, class Sampler& sampler);
    // statistics.md §10.1: one level at a time; wait for the spawn queue, settle, judge a window of W
    // samples.
    void run_step(ScenarioContext& ctx, model::ScenarioResult& result, class Sampler& sampler);
    // statistics.md §10.3: bisection between last_healthy and breaking_point from a fresh reset per probe.
    void refine(ScenarioContext& ctx, model::ScenarioResult& result, class Sampler& sampler);
    void note_peaks(const model::RunResult& run, const model::Sample& sample);
    void note_live(const ports::SimulationStatus& status);
    void store_metadata(model::ScenarioResult& result);
    model::StressStepResult& step_result() { return *metadata_.step_mode; }

    const config::Config& config_;
    bool clean_restart_first_;
    std::size_t window_;
    // What the run learned so far; stored into the result on every exit path.
    model::StressMetadata metadata_;
    double loop_start_ = 0.0, loop_end_ = 0.0;
};

}  // namespace perfrunner::scenarios
