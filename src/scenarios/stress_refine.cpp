// Step mode's bisection refinement (statistics.md §10.3): probes between last healthy and breaking point,
// judged like a level. A probe below the load now running (after a breach) starts from a clean simulation
// state (reset, start, the probe's load at once); a probe above a healthy probe adds the difference, as the
// climb did - the spawn queue drains at a fixed rate, so re-spawning from zero is the costly part.
#include "perfrunner/scenarios/stress.hpp"

#include <algorithm>

#include "perfrunner/analysis/stress_rule.hpp"
#include "perfrunner/analysis/stress_step_size.hpp"
#include "perfrunner/scenarios/rolling_window.hpp"
#include "perfrunner/scenarios/sampler.hpp"
#include "perfrunner/scenarios/scenario_support.hpp"
#include "perfrunner/scenarios/trigger_record.hpp"

namespace perfrunner::scenarios {

void StressScenario::refine(ScenarioContext& ctx, model::ScenarioResult& result, Sampler& sampler) {
    auto& clock = ctx.ports.clock;
    auto& sim = ctx.ports.simulation;
    const auto& sc = config_.scenarios;
    const auto rule = step_rule();
    auto& record = step_result();
    RollingWindow samples(config_, static_cast<std::size_t>(sc.stress_window_samples));
    long running = 0;              // drivers (and riders) queued since the last reset
    bool running_breached = true;  // the climb ended on a breach
    while (auto probe = analysis::next_bisection_probe(*record.last_healthy, *record.breaking_point,
                                                       sc.stress_refine_resolution)) {
        throw_if_stopped(ctx);
        const long m = *probe;
        const std::string label = "refine " + std::to_string(m);
        ctx.ports.progress.phase_started({kName, label, clock.now(), 0.0});
        long add = m - running;
        if (running_breached || add <= 0) {
            // A clean state: reset clears agents, queues and trips; then the probe load at once.
            sim.reset();
            sim.start();
            sampler.reset_pace();
            running = 0;
            add = m;
        }
        spawn_drivers_noting(ctx, add);
        spawn_riders_noting(ctx, add);
        running = m;
        (void)sim.wait_for_spawn(spawn_wait_timeout(config_, add, 1.0));
        throw_if_stopped(ctx);
        const long live = live_drivers_after_spawn(ctx, m);
        const auto collected = settle_and_collect(ctx, result, sampler, samples, rule, label);
        const CollectEnd end = collected.end;
        const auto judged = samples.values();
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
        r.window_means = round_window_means(analysis::level_window_means(judged));
        if (end == CollectEnd::completed) {
            r.window_throughput = judged_throughput(result, collected.window_samples);
        }
        const auto breach = analysis::evaluate_window(judged, rule);
        r.breach = breach.has_value();
        running_breached = r.breach;
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
