// Ramp mode (the reference's, reference-framework.md §5.2): batches every spawn interval, a sample every
// sampling interval, the rolling mean of the last W samples judged after each sample.
#include "perfrunner/scenarios/stress.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "perfrunner/analysis/stress_rule.hpp"
#include "perfrunner/scenarios/rolling_window.hpp"
#include "perfrunner/scenarios/sampler.hpp"
#include "perfrunner/scenarios/scenario_support.hpp"
#include "perfrunner/scenarios/trigger_record.hpp"

namespace perfrunner::scenarios {

void StressScenario::run_ramp(ScenarioContext& ctx, model::ScenarioResult& result, Sampler& sampler) {
    auto& clock = ctx.ports.clock;
    const auto& sc = config_.scenarios;
    start_calibration(ctx);
    start_simulation(ctx);
    sampler.set_read_status(true);
    sampler.reset_pace();

    auto after_tick = [&](const TickOutcome& t) {
        note_peaks(ctx.run, result.samples[t.index]);
        if (t.status) {
            note_live(*t.status);
        }
    };

    // Warm-up: W idle samples, kept in the results (peaks too) but not in the threshold windows.
    const double interval = config_.sampling.interval_seconds;
    ctx.ports.progress.phase_started({kName, "warmup", clock.now(), static_cast<double>(window_) * interval});
    const CollectEnd warm =
        sampler.collect(static_cast<double>(window_) * interval, interval, [&](const TickOutcome& t) {
            after_tick(t);
            return false;
        });
    if (warm == CollectEnd::stopped) {
        throw Interrupted{};
    }
    if (warm == CollectEnd::oom) {
        metadata_.stop_reason = "oom";
        result.aborted = true;
        result.abort_reason = sampler.oom_reason();
        return;
    }

    // The warm-up ran the simulation without agents: the lightest load, the real-time reference when the
    // baseline had none.
    calibrate_from_window(ctx, result, window_, "warm-up");
    RollingWindow window(config_, window_);
    const auto rule = with_calibration(analysis::StressRuleSettings::rolling_mean(config_, window_));
    const double max_duration = sc.stress_max_duration_minutes * 60.0;
    const double spawn_interval = sc.stress_spawn_interval_seconds;
    const long batch = sc.stress_spawn_batch_size;
    loop_start_ = clock.now();
    ctx.ports.progress.phase_started({kName, "ramp", loop_start_, max_duration});
    double next_spawn = loop_start_;
    double next_sample = loop_start_;
    long spawn_k = 0, sample_k = 0;
    metadata_.stop_reason = "max_duration";
    while (clock.now() - loop_start_ < max_duration) {
        throw_if_stopped(ctx);
        const double now = clock.now();
        if (now >= next_spawn) {
            metadata_.drivers_queued += spawn_drivers_noting(ctx, batch);
            metadata_.riders_queued += spawn_riders_noting(ctx, batch);
            ++metadata_.batch_count;
            sampler.set_live({metadata_.drivers_queued, metadata_.riders_queued});
            next_spawn = loop_start_ + static_cast<double>(++spawn_k) * spawn_interval;
        }
        if (clock.now() >= next_sample) {
            // The window's figures belong to the sample, so they are added before it is recorded.
            const TickOutcome t = sampler.tick([&](model::Sample& s) {
                window.push(ctx.run, s);
                s.rolling_averages = window.rolling_averages();
                s.agents_queued = model::AgentsQueued{metadata_.drivers_queued, metadata_.riders_queued,
                                                      metadata_.drivers_queued + metadata_.riders_queued};
            });
            after_tick(t);
            next_sample = loop_start_ + static_cast<double>(++sample_k) * interval;
            if (!t.oom_containers.empty()) {
                note_live_at_trigger();
                metadata_.stop_reason = "oom";
                result.aborted = true;
                result.abort_reason = sampler.oom_reason();
                break;
            }
            if (auto trig = analysis::evaluate_window(window.values(), rule)) {
                metadata_.trigger = reference_trigger(*trig, /*round_threshold=*/false);
                metadata_.stop_reason = "threshold";
                note_live_at_trigger();
                ctx.ports.progress.note(fmt::format(
                    "stress trigger: {} {} {:.2f} (threshold {:.2f}) at {} drivers queued, {} live",
                    trig->container, trig->metric, trig->value, trig->threshold, metadata_.drivers_queued,
                    metadata_.live_drivers ? std::to_string(*metadata_.live_drivers) : "?"));
                break;
            }
        }
        const double wake = std::min({next_spawn, next_sample, loop_start_ + max_duration});
        sampler.sleep_until(wake);
    }
    loop_end_ = clock.now();
}

}  // namespace perfrunner::scenarios
