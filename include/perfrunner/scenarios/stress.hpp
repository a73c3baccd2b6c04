#pragma once
// stress_test (reference-framework.md §5.2, results-schema.md §5): start the simulation, queue batches of
// drivers and riders every spawn interval, sample at the sampling interval, and stop at the first threshold
// hit of a rolling window (memory, CPU x effective cores, host CPU, real-time ratio), at an OOM kill or at
// the maximum duration. Fixes of the reference: the window holds W = rolling_window_seconds / interval
// samples really taken at that interval and no idle warm-up samples (bug 17); metadata is stored and the
// simulation is stopped on every exit path, aborts included (bug 10).
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "perfrunner/model/scenario_names.hpp"
#include "perfrunner/scenarios/context.hpp"
#include "perfrunner/scenarios/threshold_window.hpp"

namespace perfrunner::scenarios {

class StressScenario {
  public:
    static constexpr const char* kName = model::scenario_names::kStress;
    explicit StressScenario(const config::Config& config, bool clean_restart_first = false);
    nlohmann::json params() const;
    void run(ScenarioContext& ctx, model::ScenarioResult& result);

    std::size_t window_samples() const { return window_; }

  private:
    struct Peak {
        double memory_percent = 0.0;
        double cpu_percent = 0.0;
    };
    void start_simulation(ScenarioContext& ctx);
    void run_ramp(ScenarioContext& ctx, model::ScenarioResult& result, class Sampler& sampler);
    // statistics.md §10.1: one level at a time; wait for the spawn queue, settle, judge a window of W
    // samples.
    void run_step(ScenarioContext& ctx, model::ScenarioResult& result, class Sampler& sampler);
    // statistics.md §10.3: bisection between last_healthy and breaking_point from a fresh reset per probe.
    void refine(ScenarioContext& ctx, model::ScenarioResult& result, class Sampler& sampler);
    void note_peaks(const model::RunResult& run, const model::Sample& sample);
    void store_metadata(model::ScenarioResult& result) const;

    const config::Config& config_;
    bool clean_restart_first_;
    std::size_t window_;
    // What the run learned so far; stored into metadata on every exit path.
    std::optional<Trigger> trigger_;
    long drivers_queued_ = 0, riders_queued_ = 0, batch_count_ = 0;
    std::optional<long> live_drivers_, live_riders_;
    std::map<std::string, Peak> peaks_;
    std::vector<std::string> peak_order_;
    double loop_start_ = 0.0, loop_end_ = 0.0;
    std::string stop_reason_ = "not_started";
    // step mode (statistics.md §10.2)
    bool step_mode_ = false;
    nlohmann::json steps_ = nlohmann::json::array();
    nlohmann::json step_trigger_;  // analysis::Trigger::to_json of the breach
    std::optional<long> last_healthy_, breaking_point_;
    nlohmann::json refinement_ = nlohmann::json::array();
};

}  // namespace perfrunner::scenarios
