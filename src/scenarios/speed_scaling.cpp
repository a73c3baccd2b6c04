#include "perfrunner/scenarios/speed_scaling.hpp"

#include <algorithm>

#include "perfrunner/analysis/stress_rule.hpp"
#include "perfrunner/error.hpp"
#include "perfrunner/model/rounding.hpp"
#include "perfrunner/scenarios/rolling_window.hpp"
#include "perfrunner/scenarios/sampler.hpp"
#include "perfrunner/scenarios/scenario_support.hpp"
#include "perfrunner/scenarios/trigger_record.hpp"

namespace perfrunner::scenarios {

SpeedScalingScenario::SpeedScalingScenario(const config::Config& config, long base_agent_count,
                                           std::string agent_count_source)
    : config_(config), base_(base_agent_count), source_(std::move(agent_count_source)) {
    if (base_ < 1) {
        throw UsageError("speed_scaling: base agent count must be >= 1 (give --agents N)");
    }
    window_ = rolling_window_samples(config);
}

std::vector<int> SpeedScalingScenario::multipliers(int max_multiplier) {
    std::vector<int> out;
    for (long m = 2; m <= max_multiplier; m *= 2) {
        out.push_back(static_cast<int>(m));
    }
    return out;
}

nlohmann::json SpeedScalingScenario::params() const {
    const auto& sc = config_.scenarios;
    nlohmann::json p = nlohmann::json::object();
    p["base_agent_count"] = base_;
    p["step_duration_minutes"] = sc.speed_scaling_step_duration_minutes;
    p["max_multiplier"] = sc.speed_scaling_max_multiplier;
    p["agent_count_source"] = source_;
    p["settle_seconds"] = sc.speed_scaling_settle_seconds;
    p["rolling_window_samples"] = window_;
    return p;
}

void SpeedScalingScenario::store_metadata(model::ScenarioResult& result) {
    metadata_.total_steps = metadata_.step_results.size();
    result.metadata = metadata_;
}

void SpeedScalingScenario::run(ScenarioContext& ctx, model::ScenarioResult& result) {
    auto& clock = ctx.ports.clock;
    auto& sim = ctx.ports.simulation;
    const auto& sc = config_.scenarios;
    ctx.ports.progress.phase_started({kName, "setup", clock.now(), 0.0});
    clean_restart(ctx);
    Sampler sampler(ctx, result);
    sampler.set_read_status(true);

    metadata_.max_speed_achieved = 1;
    metadata_.max_speed_passed = 1;
    const auto rule = analysis::StressRuleSettings::rolling_mean(config_, window_);
    int step = 0;
    try {
        for (const int m : multipliers(sc.speed_scaling_max_multiplier)) {
            throw_if_stopped(ctx);
            ++step;
            const double step_start = clock.now();
            sim.reset();
            sim.set_speed(m);
            sim.start();
            const long n = std::max(1L, base_ / m);
            const long drivers = spawn_drivers_noting(ctx, n);
            const long riders = spawn_riders_noting(ctx, n);
            sampler.set_live({drivers, riders});
            const std::string label = "step " + std::to_string(step) + " (x" + std::to_string(m) + ")";
            ctx.ports.progress.phase_started({kName, label + " spawn", clock.now(), 0.0});
            (void)sim.wait_for_spawn(spawn_wait_timeout(config_, n, m));
            throw_if_stopped(ctx);
            sampler.sleep_until(clock.now() + sc.speed_scaling_settle_seconds);
            sampler.reset_pace();
            metadata_.max_speed_achieved = m;  // the reference's meaning: the last step run

            RollingWindow window(config_, window_);
            std::optional<model::Trigger> trigger;
            double rtr_sum = 0.0;
            long rtr_n = 0;
            const std::size_t before = sampler.sample_count();
            const double duration = sc.speed_scaling_step_duration_minutes * 60.0;
            ctx.ports.progress.phase_started({kName, label, clock.now(), duration});
            const CollectEnd end =
                sampler.collect(duration, config_.sampling.interval_seconds, [&](const TickOutcome& t) {
                    const model::Sample& s = result.samples[t.index];
                    if (s.pace && s.pace->real_time_ratio) {
                        rtr_sum += *s.pace->real_time_ratio;
                        ++rtr_n;
                    }
                    window.push(ctx.run, s);
                    trigger = analysis::evaluate_window(window.values(), rule);  // every window of W samples
                    return trigger.has_value();
                });
            const bool hit = trigger.has_value();
            model::SpeedStepResult r;
            r.step = step;
            r.multiplier = m;
            r.agent_count = n;
            r.sample_count = sampler.sample_count() - before;
            r.duration_seconds = model::round_half_even(clock.now() - step_start, 2);
            r.threshold_hit = hit;
            if (hit) {
                r.trigger = reference_trigger(*trigger, /*round_threshold=*/true);
            }
            if (rtr_n > 0) {
                r.mean_real_time_ratio = model::round_half_even(rtr_sum / static_cast<double>(rtr_n), 3);
            }
            metadata_.step_results.push_back(r);
            if (end == CollectEnd::stopped) {
                throw Interrupted{};
            }
            if (end == CollectEnd::oom) {
                result.aborted = true;
                result.abort_reason = sampler.oom_reason();
                break;
            }
            try {
                sim.stop();
            } catch (const std::exception& e) {
                ctx.ports.progress.note(std::string("stop after step failed: ") + e.what());
            }
            sampler.checkpoint();
            if (hit) {
                metadata_.stopped_by_threshold = true;
                ctx.ports.progress.note("speed x" + std::to_string(m) + " breached: " + trigger->container +
                                        " " + trigger->metric);
                break;
            }
            metadata_.max_speed_passed = m;
        }
    } catch (...) {
        store_metadata(result);
        bring_to_rest(ctx);
        throw;
    }
    store_metadata(result);
    bring_to_rest(ctx);
}

}  // namespace perfrunner::scenarios
