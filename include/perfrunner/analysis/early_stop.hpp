#pragma once
// Did a run stop before its end, and why? One rule for the verdict (analyze) and the exit code (run,
// rebuild): a run that stopped early for any reason but an OOM kill did not measure what it was asked to, so
// it is neither "pass" nor "warning" (it printed "pass (aborted: …)" with exit 1 before), and an OOM kill is
// a FAIL.
#include "perfrunner/model/results.hpp"

namespace perfrunner::analysis {

enum class EarlyStop {
    none,   // every scenario ran to its end
    oom,    // an OOM kill stopped a scenario or the run (or OOM events were recorded)
    other,  // the run or a scenario was aborted for another reason (a dead service, too little capacity, …)
};

EarlyStop early_stop(const model::RunResult& run);

// One scenario: OOM events recorded, or aborted with an OOM reason (the run flow's stress gate asks this
// too).
bool stopped_by_oom(const model::ScenarioResult& scenario);

}  // namespace perfrunner::analysis
