#pragma once
// baseline: clean restart, warm-up, then sampling of the idle stack for baseline_duration_seconds
// (reference-framework.md §5.1). The simulation is not started. Params {}, metadata {}.
#include <nlohmann/json.hpp>

#include "perfrunner/model/scenario_names.hpp"
#include "perfrunner/scenarios/context.hpp"

namespace perfrunner::scenarios {

class BaselineScenario {
  public:
    static constexpr const char* kName = model::scenario_names::kBaseline;
    explicit BaselineScenario(const config::Config& config) : config_(config) {}
    nlohmann::json params() const { return nlohmann::json::object(); }
    // Throws SetupFailed, RuntimeFailure, Interrupted; OOM ends it aborted.
    void run(ScenarioContext& ctx, model::ScenarioResult& result);

  private:
    const config::Config& config_;
};

}  // namespace perfrunner::scenarios
