#pragma once
// duration_leak (reference-framework.md §5.3, results-schema.md §5): clean restart, start, spawn N drivers
// and N riders, a REAL wait for the spawn queue to drain (reference bug 1), settle, then three phases:
//   active   - sampling at sampling.interval_seconds for duration_active_minutes
//   drain    - pause, sample at drain_interval_seconds and read the status after each sample until the state
//   is
//              "paused" or the drain timeout (drain_end_reason paused | client_timeout; after a client
//              timeout the simulation is reset so the cooldown is really idle - reference bug 3)
//   cooldown - sampling at cooldown_interval_seconds for duration_cooldown_minutes
// The simulation is left with `reset` (stop after paused answers 500 - reference bug 2) on every exit path.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "perfrunner/model/scenario_names.hpp"
#include "perfrunner/scenarios/context.hpp"

namespace perfrunner::scenarios {

struct DurationAgents {
    long drivers = 0;
    long riders = 0;
    std::string source;  // "recommended_load" | "stress_test_drivers_queued_half" (ramp) | "cli_agents"
};

class DurationLeakScenario {
  public:
    static constexpr const char* kName = model::scenario_names::kDuration;
    // Throws UsageError unless drivers >= 1 and riders >= 1 (reference bug 9: the guards disagreed).
    DurationLeakScenario(const config::Config& config, DurationAgents agents);
    nlohmann::json params() const;
    void run(ScenarioContext& ctx, model::ScenarioResult& result);

  private:
    void run_phases(ScenarioContext& ctx, model::ScenarioResult& result, class Sampler& sampler);
    void store_metadata(model::ScenarioResult& result) const;
    model::PhaseTimestamps& timestamps() { return *metadata_.phase_timestamps; }
    model::PhaseSampleCounts& counts() { return *metadata_.phase_sample_counts; }

    const config::Config& config_;
    DurationAgents agents_;
    // What the run learned so far; stored on every exit path (phases not reached stay absent).
    model::DurationMetadata metadata_;
};

}  // namespace perfrunner::scenarios
