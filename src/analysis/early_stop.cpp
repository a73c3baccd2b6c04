#include "perfrunner/analysis/early_stop.hpp"

#include <optional>
#include <string>

namespace perfrunner::analysis {

namespace {

// The stress scenario's OOM abort (reference framework) and the duration scenario's "OOM detected: …".
bool is_oom_reason(const std::optional<std::string>& reason) {
    return reason == std::optional<std::string>("stress_test_oom") ||
           (reason && reason->rfind("OOM detected", 0) == 0);
}

}  // namespace

EarlyStop early_stop(const model::RunResult& run) {
    bool oom = run.aborted && is_oom_reason(run.abort_reason);
    bool other = run.aborted && !oom;
    for (const auto& s : run.scenarios) {
        oom = oom || !s.oom_events.empty() || (s.aborted && is_oom_reason(s.abort_reason));
        other = other || (s.aborted && s.oom_events.empty() && !is_oom_reason(s.abort_reason));
    }
    return oom ? EarlyStop::oom : other ? EarlyStop::other : EarlyStop::none;
}

}  // namespace perfrunner::analysis
