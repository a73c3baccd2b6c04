#include "perfrunner/scenarios/stress.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "perfrunner/error.hpp"
#include "perfrunner/scenarios/sampler.hpp"
#include "perfrunner/scenarios/scenario_support.hpp"

namespace perfrunner::scenarios {

StressScenario::StressScenario(const config::Config& config, bool clean_restart_first)
    : config_(config), clean_restart_first_(clean_restart_first) {
    const double interval = config.sampling.interval_seconds > 0 ? config.sampling.interval_seconds : 1.0;
    window_ = static_cast<std::size_t>(
        std::max(1.0, std::round(config.scenarios.stress_rolling_window_seconds / interval)));
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
    p["mode"] = sc.stress_mode.empty() ? std::string("ramp") : sc.stress_mode;
    return p;
}

void StressScenario::note_peaks(const model::RunResult& run, const model::Sample& sample) {
    for (const auto& c : sample.containers) {
        if (c.missing) continue;
        const std::string& name = run.container_name(c.container);
        auto [it, inserted] = peaks_.try_emplace(name);
        if (inserted) peak_order_.push_back(name);
        it->second.memory_percent = std::max(it->second.memory_percent, c.memory_percent);
        if (c.cpu_percent) it->second.cpu_percent = std::max(it->second.cpu_percent, *c.cpu_percent);
    }
}

void StressScenario::store_metadata(model::ScenarioResult& result) const {
    nlohmann::json m = nlohmann::json::object();
    m["trigger"] = trigger_ ? trigger_->to_json(false) : nlohmann::json(nullptr);
    m["total_agents_queued"] = drivers_queued_ + riders_queued_;
    m["drivers_queued"] = drivers_queued_;
    m["riders_queued"] = riders_queued_;
    nlohmann::json peaks = nlohmann::json::object();
    for (const auto& name : peak_order_) {
        const Peak& p = peaks_.at(name);
        peaks[name] = {{"memory_percent", p.memory_percent}, {"cpu_percent", p.cpu_percent}};
    }
    m["peak_values"] = peaks;
    m["duration_seconds"] = loop_end_ > loop_start_ ? loop_end_ - loop_start_ : 0.0;
    m["batch_count"] = batch_count_;
    // perfrunner additions
    m["live_drivers"] = live_drivers_ ? nlohmann::json(*live_drivers_) : nlohmann::json(nullptr);
    m["live_riders"] = live_riders_ ? nlohmann::json(*live_riders_) : nlohmann::json(nullptr);
    m["stop_reason"] = stop_reason_;
    result.metadata = std::move(m);
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
        run_ramp(ctx, result, sampler);
    } catch (const Interrupted&) {
        stop_reason_ = "user_interrupt";
        if (loop_end_ == 0.0) loop_end_ = clock.now();
        store_metadata(result);
        bring_to_rest(ctx);
        throw;
    } catch (...) {
        stop_reason_ = "error";
        if (loop_end_ == 0.0) loop_end_ = clock.now();
        store_metadata(result);
        bring_to_rest(ctx);
        throw;
    }
    store_metadata(result);
    bring_to_rest(ctx);
}

void StressScenario::run_ramp(ScenarioContext& ctx, model::ScenarioResult& result, Sampler& sampler) {
    auto& clock = ctx.ports.clock;
    const auto& sc = config_.scenarios;
    try {
        ctx.ports.simulation.start();
    } catch (const Error& e) {
        // "already running" is fine; anything else means there is nothing to stress.
        const auto status = ctx.ports.simulation.status();
        if (status.state != "running") throw;
        ctx.ports.progress.note(std::string("start: ") + e.what() + " (simulation already running)");
    }
    sampler.set_read_status(true);
    sampler.reset_pace();

    auto after_tick = [&](const TickOutcome& t) {
        note_peaks(ctx.run, result.samples[t.index]);
        if (t.status) {
            live_drivers_ = t.status->drivers_total;
            live_riders_ = t.status->riders_total;
        }
    };

    // Warm-up: W idle samples, kept in the results (peaks too) but not in the threshold windows.
    const double interval = config_.sampling.interval_seconds > 0 ? config_.sampling.interval_seconds : 1.0;
    ctx.ports.progress.phase_started({kName, "warmup", clock.now(), static_cast<double>(window_) * interval});
    const CollectEnd warm = sampler.collect(static_cast<double>(window_) * interval, interval, [&](const TickOutcome& t) {
        after_tick(t);
        return false;
    });
    if (warm == CollectEnd::stopped) throw Interrupted{};
    if (warm == CollectEnd::oom) {
        stop_reason_ = "oom";
        result.aborted = true;
        result.abort_reason = sampler.oom_reason();
        return;
    }

    ThresholdWindow window(config_, window_);
    const double max_duration = sc.stress_max_duration_minutes * 60.0;
    const double spawn_interval = sc.stress_spawn_interval_seconds > 0 ? sc.stress_spawn_interval_seconds : interval;
    const long batch = std::max(1, sc.stress_spawn_batch_size);
    loop_start_ = clock.now();
    ctx.ports.progress.phase_started({kName, "ramp", loop_start_, max_duration});
    double next_spawn = loop_start_;
    double next_sample = loop_start_;
    long spawn_k = 0, sample_k = 0;
    stop_reason_ = "max_duration";
    while (clock.now() - loop_start_ < max_duration) {
        throw_if_stopped(ctx);
        const double now = clock.now();
        if (now >= next_spawn) {
            drivers_queued_ += spawn_drivers_noting(ctx, batch);
            riders_queued_ += spawn_riders_noting(ctx, batch);
            ++batch_count_;
            sampler.set_live({drivers_queued_, riders_queued_});
            next_spawn = loop_start_ + static_cast<double>(++spawn_k) * spawn_interval;
        }
        if (clock.now() >= next_sample) {
            const TickOutcome t = sampler.tick();
            after_tick(t);
            model::Sample& s = result.samples[t.index];
            window.push(ctx.run, s);
            s.rolling_averages = window.rolling_averages();
            s.agents_queued = model::AgentsQueued{drivers_queued_, riders_queued_, drivers_queued_ + riders_queued_};
            next_sample = loop_start_ + static_cast<double>(++sample_k) * interval;
            if (!t.oom_containers.empty()) {
                stop_reason_ = "oom";
                result.aborted = true;
                result.abort_reason = sampler.oom_reason();
                break;
            }
            if (auto trig = window.check()) {
                trigger_ = trig;
                stop_reason_ = "threshold";
                ctx.ports.progress.note(fmt::format("stress trigger: {} {} {:.2f} (threshold {:.2f}) at {} drivers queued",
                                                    trig->container, trig->metric, trig->value, trig->threshold,
                                                    drivers_queued_));
                break;
            }
        }
        const double wake = std::min({next_spawn, next_sample, loop_start_ + max_duration});
        sampler.sleep_until(wake);
    }
    loop_end_ = clock.now();
}

}  // namespace perfrunner::scenarios
