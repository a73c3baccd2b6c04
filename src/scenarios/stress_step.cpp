// Step mode (statistics.md §10.1-10.2): one load level at a time, measured in live agents; the
// sustained-breach rules judge a window of W samples after the spawn queue drained and the load settled.
// Levels grow by whole batches, coarse far from the thresholds and one batch near them
// (analysis/stress_step_size.hpp).
#include "perfrunner/scenarios/stress.hpp"

#include <algorithm>
#include <span>

#include <fmt/format.h>

#include "perfrunner/analysis/stress_rule.hpp"
#include "perfrunner/analysis/stress_step_size.hpp"
#include "perfrunner/analysis/usl_capacity.hpp"
#include "perfrunner/model/rounding.hpp"
#include "perfrunner/scenarios/rolling_window.hpp"
#include "perfrunner/scenarios/sampler.hpp"
#include "perfrunner/scenarios/scenario_support.hpp"
#include "perfrunner/scenarios/trigger_record.hpp"

namespace perfrunner::scenarios {

StressScenario::LevelSamples StressScenario::settle_and_collect(ScenarioContext& ctx,
                                                                model::ScenarioResult& result,
                                                                Sampler& sampler, RollingWindow& samples,
                                                                const analysis::StressRuleSettings& rule,
                                                                const std::string& label) {
    auto& clock = ctx.ports.clock;
    const auto& sc = config_.scenarios;
    const double interval = config_.sampling.interval_seconds;
    LevelSamples out;
    auto after_tick = [&](const TickOutcome& t) {
        const model::Sample& s = result.samples[t.index];
        note_peaks(ctx.run, s);
        if (t.status) {
            note_live(*t.status);
        }
        samples.push(ctx.run, s);
        out.critical = analysis::critical_breach(samples.values(), rule);
        return out.critical.has_value();
    };
    ctx.ports.progress.phase_started({kName, label + " settle", clock.now(), sc.stress_settle_seconds});
    samples.clear();
    out.end = sampler.collect(sc.stress_settle_seconds, interval, after_tick);
    const std::size_t from = sampler.sample_count();
    if (out.end == CollectEnd::completed) {
        samples.clear();  // only the window is judged
        const double seconds = static_cast<double>(sc.stress_window_samples) * interval;
        ctx.ports.progress.phase_started({kName, label + " window", clock.now(), seconds});
        out.end = sampler.collect(seconds, interval, after_tick);
    }
    out.window_samples = sampler.sample_count() - from;
    return out;
}

std::optional<double> StressScenario::judged_throughput(const model::ScenarioResult& result,
                                                        std::size_t window_samples) {
    // The judged window is the level's last samples; its mean throughput is one point of the USL fit.
    return model::round_half_even(analysis::window_throughput(last_samples(result, window_samples)), 2);
}

long StressScenario::live_drivers_after_spawn(ScenarioContext& ctx, long fallback) {
    try {
        const auto status = ctx.ports.simulation.status();
        note_live(status);
        return status.drivers_total;
    } catch (const std::exception& e) {
        ctx.ports.progress.note(std::string("status after spawn failed: ") + e.what());
    }
    return fallback;
}

void StressScenario::run_step(ScenarioContext& ctx, model::ScenarioResult& result, Sampler& sampler) {
    auto& clock = ctx.ports.clock;
    auto& sim = ctx.ports.simulation;
    const auto& sc = config_.scenarios;
    start_calibration(ctx);
    auto rule = step_rule();
    const int window = sc.stress_window_samples;
    const long batch = sc.stress_spawn_batch_size;
    const double max_duration = sc.stress_max_duration_minutes * 60.0;

    start_simulation(ctx);
    sampler.set_read_status(true);
    sampler.reset_pace();
    loop_start_ = clock.now();
    metadata_.stop_reason = "time_limit";
    const long max_step = batch * static_cast<long>(sc.stress_max_step_batches);
    auto& record = step_result();
    RollingWindow samples(config_, static_cast<std::size_t>(window));
    std::vector<analysis::JudgedLevel> healthy;  // what sizes the next step
    for (long level = 1; clock.now() - loop_start_ < max_duration; ++level) {
        throw_if_stopped(ctx);
        const long step_agents = analysis::next_step_increment(healthy, batch, max_step);
        metadata_.drivers_queued += spawn_drivers_noting(ctx, step_agents);
        metadata_.riders_queued += spawn_riders_noting(ctx, step_agents);
        metadata_.batch_count += step_agents / batch;
        sampler.set_live({metadata_.drivers_queued, metadata_.riders_queued});
        const std::string label = "level " + std::to_string(level);
        ctx.ports.progress.phase_started({kName, label + " spawn", clock.now(), 0.0});
        const auto wait = sim.wait_for_spawn(spawn_wait_timeout(config_, step_agents, 1.0));
        throw_if_stopped(ctx);
        const long live = live_drivers_after_spawn(ctx, metadata_.drivers_queued);
        const auto level_samples = settle_and_collect(ctx, result, sampler, samples, rule, label);
        const CollectEnd end = level_samples.end;
        model::StressStep step;
        step.level = level;
        step.drivers_queued = metadata_.drivers_queued;
        step.live_drivers = live;
        step.live_riders = metadata_.live_riders.value_or(0);
        step.spawn_drained = wait.drained;
        step.window_samples = level_samples.window_samples;
        if (end == CollectEnd::stopped) {
            record.steps.push_back(step);
            throw Interrupted{};
        }
        if (end == CollectEnd::oom) {
            step.breach = true;
            step.critical = "oom";
            record.steps.push_back(step);
            record.breaking_point = live;
            metadata_.stop_reason = "oom";
            result.aborted = true;
            result.abort_reason = sampler.oom_reason();
            break;
        }
        if (end == CollectEnd::requested) {  // critical memory
            step.breach = true;
            step.trigger = detailed_trigger(*level_samples.critical);
            record.steps.push_back(step);
            record.trigger_detail = step.trigger;
            metadata_.trigger = reference_trigger(*level_samples.critical, /*round_threshold=*/false);
            record.breaking_point = live;
            metadata_.stop_reason = "critical";
            break;
        }
        const auto judged = samples.values();
        step.window_means = round_window_means(analysis::level_window_means(judged));
        step.window_throughput = judged_throughput(result, level_samples.window_samples);
        const auto breach = analysis::evaluate_window(judged, rule);
        step.breach = breach.has_value();
        if (breach) {
            step.trigger = detailed_trigger(*breach);
            record.steps.push_back(step);
            record.trigger_detail = step.trigger;
            metadata_.trigger = reference_trigger(*breach, /*round_threshold=*/false);
            record.breaking_point = live;
            metadata_.stop_reason = "breach";
            ctx.ports.progress.note(fmt::format("stress breach at level {} ({} live drivers): {} {} {:.2f}",
                                                level, live, breach->container, breach->metric,
                                                breach->value));
            break;
        }
        record.steps.push_back(step);
        record.last_healthy = live;
        healthy.push_back({live, analysis::threshold_shares(judged, rule)});
        calibrate_from_window(ctx, result, level_samples.window_samples, "level " + std::to_string(level));
        rule = step_rule();
        sampler.checkpoint();
    }
    loop_end_ = clock.now();
    if (sc.stress_refine && metadata_.stop_reason == "breach" && record.last_healthy &&
        record.breaking_point) {
        refine(ctx, result, sampler);
    }
}

}  // namespace perfrunner::scenarios
