#pragma once
// stress_test (reference-framework.md §5.2, results-schema.md §5): start the simulation, queue batches of
// drivers and riders every spawn interval, sample at the sampling interval, and stop at the first threshold
// hit of a rolling window (memory, CPU x effective cores, host CPU, real-time ratio), at an OOM kill or at
// the maximum duration. Fixes of the reference: the window holds W = rolling_window_seconds / interval
// samples really taken at that interval and no idle warm-up samples (bug 17); metadata is stored and the
// simulation is stopped on every exit path, aborts included (bug 10).
#include <nlohmann/json.hpp>

#include "perfrunner/analysis/baseline_calibration.hpp"
#include "perfrunner/analysis/stress_rule.hpp"
#include "perfrunner/model/scenario_metadata.hpp"
#include "perfrunner/model/scenario_names.hpp"
#include "perfrunner/scenarios/context.hpp"
#include "perfrunner/scenarios/rolling_window.hpp"
#include "perfrunner/scenarios/sampler.hpp"

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
    void run_ramp(ScenarioContext& ctx, model::ScenarioResult& result, Sampler& sampler);
    // statistics.md §10.1: one level at a time; wait for the spawn queue, settle, judge a window of W
    // samples.
    void run_step(ScenarioContext& ctx, model::ScenarioResult& result, Sampler& sampler);
    // statistics.md §10.3: bisection between last_healthy and breaking_point from a fresh reset per probe.
    void refine(ScenarioContext& ctx, model::ScenarioResult& result, Sampler& sampler);
    // statistics.md §10.1 steps 2-3 at the load now running: settle, then a window of W samples, which
    // `samples` holds afterwards. Every sample is noted (peaks, live counts) and watched for critical memory,
    // which ends the collection at once (CollectEnd::requested with `critical` set).
    struct LevelSamples {
        CollectEnd end = CollectEnd::completed;
        std::size_t window_samples = 0;
        std::optional<model::Trigger> critical;
    };
    LevelSamples settle_and_collect(ScenarioContext& ctx, model::ScenarioResult& result, Sampler& sampler,
                                    RollingWindow& samples, const analysis::StressRuleSettings& rule,
                                    const std::string& label);
    // The simulation's live drivers once a spawn wait ended (the live counts are noted too), or `fallback`
    // when the status call fails.
    long live_drivers_after_spawn(ScenarioContext& ctx, long fallback);
    // Mean throughput of the last `window_samples` samples (the judged window), 2 dp; none without figures.
    static std::optional<double> judged_throughput(const model::ScenarioResult& result,
                                                   std::size_t window_samples);
    void note_peaks(const model::RunResult& run, const model::Sample& sample);
    void note_live(const ports::SimulationStatus& status);
    // Ramp mode: the live counts last read, kept as the ones at the trigger (or OOM stop).
    void note_live_at_trigger();
    void store_metadata(model::ScenarioResult& result);
    model::StressStepResult& step_result() { return *metadata_.step_mode; }
    // scenarios.stress_baseline_triggers on: the run's baseline calibration into calibration_ (both modes).
    void start_calibration(ScenarioContext& ctx);
    // A mode's rule (the configured thresholds) plus the baseline-calibrated limits when calibration_ holds
    // them; step_rule() is step mode's.
    analysis::StressRuleSettings with_calibration(analysis::StressRuleSettings rule) const;
    analysis::StressRuleSettings step_rule() const;
    // With the triggers on: the lightest loaded window measured (step mode's first healthy level, ramp mode's
    // warm-up) becomes the real-time reference when the baseline measured none (the simulation does not run
    // during the baseline). `what` names the window in the note ("level 1", "the warm-up").
    void calibrate_from_window(ScenarioContext& ctx, const model::ScenarioResult& result, std::size_t window,
                               const std::string& what);

    std::optional<analysis::BaselineCalibration> calibration_;  // scenarios.stress_baseline_triggers
    const config::Config& config_;
    bool clean_restart_first_;
    std::size_t window_;
    // What the run learned so far; stored into the result on every exit path.
    model::StressMetadata metadata_;
    double loop_start_ = 0.0, loop_end_ = 0.0;
};

}  // namespace perfrunner::scenarios
