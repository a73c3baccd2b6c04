#pragma once
// speed_scaling (reference-framework.md §5.4, statistics.md §10.5): one clean restart, then for multipliers
// 2, 4, 8, ... <= max: reset, set speed, start, spawn max(1, base // m) drivers and riders, a real spawn
// wait, settle, sample for the step duration, stop. Every consecutive window of W samples of the step is
// judged (not only the last 5 - reference bug 18); the first step with a hit ends the scenario (the step ends
// at the hit). max_speed_achieved keeps the reference meaning (last step run, bug 19); max_speed_passed is
// the last step without a hit (1 when none passed).
#include <vector>

#include <nlohmann/json.hpp>

#include "perfrunner/model/scenario_names.hpp"
#include "perfrunner/scenarios/context.hpp"

namespace perfrunner::scenarios {

class SpeedScalingScenario {
  public:
    static constexpr const char* kName = model::scenario_names::kSpeed;
    SpeedScalingScenario(const config::Config& config, long base_agent_count, std::string agent_count_source);
    nlohmann::json params() const;
    void run(ScenarioContext& ctx, model::ScenarioResult& result);

    static std::vector<int> multipliers(int max_multiplier);

  private:
    void store_metadata(model::ScenarioResult& result);

    const config::Config& config_;
    long base_;
    std::string source_;
    std::size_t window_;
    model::SpeedMetadata metadata_;  // what the run learned so far; stored on every exit path
};

}  // namespace perfrunner::scenarios
