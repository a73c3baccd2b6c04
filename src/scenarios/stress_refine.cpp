// Step mode's bisection refinement (statistics.md §10.3): probes between last healthy and breaking point,
// each from a clean simulation state, judged like a level.
#include "perfrunner/scenarios/stress.hpp"

#include <algorithm>

#include "perfrunner/analysis/stress_rule.hpp"
#include "perfrunner/scenarios/rolling_window.hpp"
#include "perfrunner/scenarios/sampler.hpp"
#include "perfrunner/scenarios/scenario_support.hpp"
#include "perfrunner/scenarios/trigger_record.hpp"

namespace perfrunner::scenarios {

void StressScenario::refine(ScenarioContext& ctx, model::ScenarioResult& result, Sampler& sampler) {
    auto& clock = ctx.ports.clock;
    auto& sim = ctx.ports.simulation;
    const auto& sc = config_.scenarios;
    const auto rule = analysis::StressRuleSettings::sustained(config_);
    auto& record = step_result();
    RollingWindow samples(config_, static_cast<std::size_t>(sc.stress_window_samples));
    while (auto probe = analysis::next_bisection_probe(*record.last_healthy, *record.breaking_point,
                                                       sc.stress_refine_resolution)) {
        throw_if_stopped(ctx);
        const long m = *probe;
        const std::string label = "refine " + std::to_string(m);
        ctx.ports.progress.phase_started({kName, label, clock.now(), 0.0});
        // A clean state per probe: reset clears agents, queues and trips; then the probe load at once.
        sim.reset();
        sim.start();
        sampler.reset_pace();
        spawn_drivers_noting(ctx, m);
        spawn_riders_noting(ctx, m);
        (void)sim.wait_for_spawn(spawn_wait_timeout(config_, m, 1.0));
        throw_if_stopped(ctx);
        const long live = live_drivers_after_spawn(ctx, m);
        const CollectEnd end = settle_and_collect(ctx, result, sampler, samples, rule, label).end;
        if (end == CollectEnd::stopped) {
            throw Interrupted{};
        }
        model::RefinementProbe r;
        r.probe = m;
        r.live_drivers = live;
        if (end == CollectEnd::oom) {
            r.breach = true;
            r.critical = "oom";
            record.refinement.push_back(r);
            result.aborted = true;
            result.abort_reason = sampler.oom_reason();
            record.breaking_point = std::min(*record.breaking_point, live);
            return;
        }
        // Critical memory (which ended the collection early) comes first in the rule.
        const auto breach = analysis::evaluate_window(samples.values(), rule);
        r.breach = breach.has_value();
        if (breach) {
            r.trigger = detailed_trigger(*breach);
        }
        record.refinement.push_back(r);
        if (breach) {
            record.breaking_point = live;
        } else {
            record.last_healthy = live;
        }
        sampler.checkpoint();
        if (*record.breaking_point <= *record.last_healthy) {
            break;  // live counts fell short of the probe: nothing left between
        }
    }
}

}  // namespace perfrunner::scenarios
