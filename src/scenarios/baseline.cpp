#include "perfrunner/scenarios/baseline.hpp"

#include "perfrunner/scenarios/sampler.hpp"
#include "perfrunner/scenarios/scenario_support.hpp"

namespace perfrunner::scenarios {

void BaselineScenario::run(ScenarioContext& ctx, model::ScenarioResult& result) {
    auto& clock = ctx.ports.clock;
    ctx.ports.progress.phase_started({kName, "setup", clock.now(), 0.0});
    clean_restart(ctx);

    Sampler sampler(ctx, result);
    // The status call's latency at rest calibrates the later scenarios' limits (issue 14); the simulation is
    // not started (reference), so a failing API leaves gaps here rather than ending the baseline.
    sampler.set_read_status(true, /*required=*/false);
    ctx.ports.progress.phase_started({kName, "warmup", clock.now(), config_.sampling.warmup_seconds});
    sampler.sleep_until(clock.now() + config_.sampling.warmup_seconds);

    ctx.ports.progress.phase_started(
        {kName, "sampling", clock.now(), config_.scenarios.baseline_duration_seconds});
    const CollectEnd end =
        sampler.collect(config_.scenarios.baseline_duration_seconds, config_.sampling.interval_seconds);
    if (end == CollectEnd::oom) {
        result.aborted = true;
        result.abort_reason = sampler.oom_reason();
    } else if (end == CollectEnd::stopped) {
        throw Interrupted{};
    }
}

}  // namespace perfrunner::scenarios
