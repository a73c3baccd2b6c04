#include "perfrunner/scenarios/stress.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "perfrunner/analysis/stress_rule.hpp"
#include "perfrunner/error.hpp"
#include "perfrunner/scenarios/rolling_window.hpp"
#include "perfrunner/scenarios/sampler.hpp"
#include "perfrunner/scenarios/scenario_support.hpp"
#include "perfrunner/scenarios/trigger_record.hpp"

namespace perfrunner::scenarios {

StressScenario::StressScenario(const config::Config& config, bool clean_restart_first)
    : config_(config), clean_restart_first_(clean_restart_first) {
    window_ = rolling_window_samples(config);
    metadata_.stop_reason = "not_started";
    if (config.scenarios.stress_mode == "step") {
        metadata_.step_mode.emplace();
    }
}

nlohmann::json StressScenario::params() const {
    const auto& sc = config_.scenarios;
    nlohmann::json p = nlohmann::json::object();
    p["cpu_threshold_percent"] = sc.stress_cpu_threshold_percent;
    p["memory_threshold_percent"] = sc.stress_memory_threshold_percent;
    p["rolling_window_seconds"] = sc.stress_rolling_window_seconds;
    p["rolling_window_samples"] = window_;
    p["spawn_batch_size"] = sc.stress_spawn_batch_size;
    p["spawn_interval_seconds"] = sc.stress_spawn_interval_seconds;
    p["max_duration_minutes"] = sc.stress_max_duration_minutes;
    // perfrunner additions
    p["sampling_interval_seconds"] = config_.sampling.interval_seconds;
    p["rtr_floor"] = sc.stress_rtr_floor;
    p["host_cpu_threshold_percent"] = sc.host_cpu_threshold_percent;
    p["mode"] = sc.stress_mode;
    return p;
}

void StressScenario::note_peaks(const model::RunResult& run, const model::Sample& sample) {
    auto& peaks = metadata_.peak_values;
    for (const auto& c : sample.containers) {
        if (c.missing) {
            continue;
        }
        const std::string& name = run.container_name(c.container);
        auto it = std::find_if(peaks.begin(), peaks.end(),
                               [&](const model::PeakValues& p) { return p.container == name; });
        if (it == peaks.end()) {
            it = peaks.insert(peaks.end(), model::PeakValues{name, 0.0, 0.0, {}});
        }
        it->memory_percent = std::max(it->memory_percent, c.memory_percent);
        if (c.cpu_percent) {
            it->cpu_percent = std::max(it->cpu_percent, *c.cpu_percent);
        }
    }
}

void StressScenario::note_live(const ports::SimulationStatus& status) {
    metadata_.live_drivers = status.drivers_total;
    metadata_.live_riders = status.riders_total;
}

void StressScenario::store_metadata(model::ScenarioResult& result) {
    metadata_.total_agents_queued = metadata_.drivers_queued + metadata_.riders_queued;
    metadata_.duration_seconds = loop_end_ > loop_start_ ? loop_end_ - loop_start_ : 0.0;
    if (metadata_.step_mode) {
        auto& step = step_result();
        step.headroom_recommendation.reset();
        if (step.last_healthy) {
            step.headroom_recommendation =
                static_cast<long>(std::floor(0.8 * static_cast<double>(*step.last_healthy)));
        }
    }
    result.metadata = metadata_;
}

void StressScenario::run(ScenarioContext& ctx, model::ScenarioResult& result) {
    auto& clock = ctx.ports.clock;
    ctx.ports.progress.phase_started({kName, "setup", clock.now(), 0.0});
    if (clean_restart_first_) {
        clean_restart(ctx);
    } else {
        wait_ready(ctx);
    }
    Sampler sampler(ctx, result);
    try {
        if (metadata_.step_mode) {
            run_step(ctx, result, sampler);
        } else {
            run_ramp(ctx, result, sampler);
        }
    } catch (const Interrupted&) {
        metadata_.stop_reason = "user_interrupt";
        if (loop_end_ == 0.0) {
            loop_end_ = clock.now();
        }
        store_metadata(result);
        bring_to_rest(ctx);
        throw;
    } catch (...) {
        metadata_.stop_reason = "error";
        if (loop_end_ == 0.0) {
            loop_end_ = clock.now();
        }
        store_metadata(result);
        bring_to_rest(ctx);
        throw;
    }
    store_metadata(result);
    bring_to_rest(ctx);
}

void StressScenario::start_simulation(ScenarioContext& ctx) {
    start_fresh(ctx);
}

void StressScenario::run_ramp(ScenarioContext& ctx, model::ScenarioResult& result, Sampler& sampler) {
    auto& clock = ctx.ports.clock;
    const auto& sc = config_.scenarios;
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

    RollingWindow window(config_, window_);
    const auto rule = analysis::StressRuleSettings::rolling_mean(config_, window_);
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
            const TickOutcome t = sampler.tick();
            after_tick(t);
            model::Sample& s = result.samples[t.index];
            window.push(ctx.run, s);
            s.rolling_averages = window.rolling_averages();
            s.agents_queued = model::AgentsQueued{metadata_.drivers_queued, metadata_.riders_queued,
                                                  metadata_.drivers_queued + metadata_.riders_queued};
            next_sample = loop_start_ + static_cast<double>(++sample_k) * interval;
            if (!t.oom_containers.empty()) {
                metadata_.stop_reason = "oom";
                result.aborted = true;
                result.abort_reason = sampler.oom_reason();
                break;
            }
            if (auto trig = analysis::evaluate_window(window.values(), rule)) {
                metadata_.trigger = reference_trigger(*trig, /*round_threshold=*/false);
                metadata_.stop_reason = "threshold";
                ctx.ports.progress.note(fmt::format(
                    "stress trigger: {} {} {:.2f} (threshold {:.2f}) at {} drivers queued", trig->container,
                    trig->metric, trig->value, trig->threshold, metadata_.drivers_queued));
                break;
            }
        }
        const double wake = std::min({next_spawn, next_sample, loop_start_ + max_duration});
        sampler.sleep_until(wake);
    }
    loop_end_ = clock.now();
}

void StressScenario::run_step(ScenarioContext& ctx, model::ScenarioResult& result, Sampler& sampler) {
    auto& clock = ctx.ports.clock;
    auto& sim = ctx.ports.simulation;
    const auto& sc = config_.scenarios;
    const auto rule = analysis::StressRuleSettings::sustained(config_);
    const double interval = config_.sampling.interval_seconds;
    const int window = sc.stress_window_samples;
    const long batch = sc.stress_spawn_batch_size;
    const double max_duration = sc.stress_max_duration_minutes * 60.0;

    start_simulation(ctx);
    sampler.set_read_status(true);
    sampler.reset_pace();
    loop_start_ = clock.now();
    metadata_.stop_reason = "time_limit";
    auto& record = step_result();
    // The level's samples: the settle's are watched for a critical stop only, the window's are judged.
    RollingWindow samples(config_, static_cast<std::size_t>(window));
    std::optional<model::Trigger> critical;
    auto after_tick = [&](const TickOutcome& t) {
        const model::Sample& s = result.samples[t.index];
        note_peaks(ctx.run, s);
        if (t.status) {
            note_live(*t.status);
        }
        samples.push(ctx.run, s);
        critical =
            analysis::critical_breach(samples.values(), rule);  // memory >= the critical share: at once
        return critical.has_value();
    };
    for (long level = 1; clock.now() - loop_start_ < max_duration; ++level) {
        throw_if_stopped(ctx);
        metadata_.drivers_queued += spawn_drivers_noting(ctx, batch);
        metadata_.riders_queued += spawn_riders_noting(ctx, batch);
        ++metadata_.batch_count;
        sampler.set_live({metadata_.drivers_queued, metadata_.riders_queued});
        const std::string label = "level " + std::to_string(level);
        ctx.ports.progress.phase_started({kName, label + " spawn", clock.now(), 0.0});
        const auto wait = sim.wait_for_spawn(spawn_wait_timeout(config_, batch, 1.0));
        throw_if_stopped(ctx);
        long live = metadata_.drivers_queued;
        try {
            const auto st = sim.status();
            live = st.drivers_total;
            note_live(st);
        } catch (const std::exception& e) {
            ctx.ports.progress.note(std::string("status after spawn failed: ") + e.what());
        }
        // Settle (sampled: OOM and critical memory are still watched), then the judged window.
        ctx.ports.progress.phase_started({kName, label + " settle", clock.now(), sc.stress_settle_seconds});
        samples.clear();
        CollectEnd end = sampler.collect(sc.stress_settle_seconds, interval, after_tick);
        const std::size_t from = sampler.sample_count();
        if (end == CollectEnd::completed) {
            samples.clear();
            ctx.ports.progress.phase_started({kName, label + " window", clock.now(), window * interval});
            end = sampler.collect(static_cast<double>(window) * interval, interval, after_tick);
        }
        model::StressStep step;
        step.level = level;
        step.drivers_queued = metadata_.drivers_queued;
        step.live_drivers = live;
        step.live_riders = metadata_.live_riders.value_or(0);
        step.spawn_drained = wait.drained;
        step.window_samples = sampler.sample_count() - from;
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
            step.trigger = detailed_trigger(*critical);
            record.steps.push_back(step);
            record.trigger_detail = step.trigger;
            metadata_.trigger = reference_trigger(*critical, /*round_threshold=*/false);
            record.breaking_point = live;
            metadata_.stop_reason = "critical";
            break;
        }
        const auto breach = analysis::evaluate_window(samples.values(), rule);
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
        sampler.checkpoint();
    }
    loop_end_ = clock.now();
    if (sc.stress_refine && metadata_.stop_reason == "breach" && record.last_healthy &&
        record.breaking_point) {
        refine(ctx, result, sampler);
    }
}

void StressScenario::refine(ScenarioContext& ctx, model::ScenarioResult& result, Sampler& sampler) {
    auto& clock = ctx.ports.clock;
    auto& sim = ctx.ports.simulation;
    const auto& sc = config_.scenarios;
    const auto rule = analysis::StressRuleSettings::sustained(config_);
    const double interval = config_.sampling.interval_seconds;
    const int window = sc.stress_window_samples;
    auto& record = step_result();
    RollingWindow samples(config_, static_cast<std::size_t>(window));
    const auto judge = [&](const TickOutcome& t) {
        samples.push(ctx.run, result.samples[t.index]);
        return false;
    };
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
        long live = m;
        try {
            live = sim.status().drivers_total;
        } catch (const std::exception&) {
        }
        CollectEnd end = sampler.collect(sc.stress_settle_seconds, interval);
        samples.clear();
        if (end == CollectEnd::completed) {
            end = sampler.collect(static_cast<double>(window) * interval, interval, judge);
        }
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
        const auto breach = analysis::evaluate_window(samples.values(), rule);  // critical memory included
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
