#include "perfrunner/analysis/early_stop.hpp"

#include <optional>
#include <string>

namespace perfrunner::analysis {

namespace {

// The run's abort after a stress OOM (reference framework) and a scenario's "OOM detected in: …".
bool is_oom_reason(const std::optional<std::string>& reason) {
    return reason == std::optional<std::string>("stress_test_oom") ||
           (reason && reason->rfind("OOM detected", 0) == 0);
}

}  // namespace

bool stopped_by_oom(const model::ScenarioResult& scenario) {
    return !scenario.oom_events.empty() || (scenario.aborted && is_oom_reason(scenario.abort_reason));
}

EarlyStop early_stop(const model::RunResult& run) {
    bool oom = run.aborted && is_oom_reason(run.abort_reason);
    bool other = run.aborted && !oom;
    for (const auto& s : run.scenarios) {
        oom = oom || stopped_by_oom(s);
        other = other || (s.aborted && !stopped_by_oom(s));
    }
    return oom ? EarlyStop::oom : other ? EarlyStop::other : EarlyStop::none;
}

}  // namespace perfrunner::analysis
