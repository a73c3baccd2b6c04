#include "perfrunner/scenarios/duration_leak.hpp"

#include <cmath>

#include "perfrunner/analysis/duration.hpp"
#include "perfrunner/error.hpp"
#include "perfrunner/model/rounding.hpp"
#include "perfrunner/model/scenario_metadata_json.hpp"
#include "perfrunner/scenarios/sampler.hpp"
#include "perfrunner/scenarios/scenario_support.hpp"

namespace perfrunner::scenarios {

DurationLeakScenario::DurationLeakScenario(const config::Config& config, DurationAgents agents)
    : config_(config), agents_(std::move(agents)) {
    if (agents_.drivers < 1 || agents_.riders < 1) {
        throw UsageError("duration_leak: needs at least 1 driver and 1 rider, got " +
                         std::to_string(agents_.drivers) + " and " + std::to_string(agents_.riders) +
                         " (give --agents N with N >= 1)");
    }
    metadata_.phase_timestamps.emplace();
    metadata_.phase_sample_counts.emplace();
}

nlohmann::json DurationLeakScenario::params() const {
    const auto& sc = config_.scenarios;
    nlohmann::json p = nlohmann::json::object();
    p["active_minutes"] = sc.duration_active_minutes;
    p["cooldown_minutes"] = sc.duration_cooldown_minutes;
    p["drain_timeout_seconds"] = sc.duration_drain_timeout_seconds;
    p["drivers"] = agents_.drivers;
    p["riders"] = agents_.riders;
    p["agent_count_source"] = agents_.source;
    // perfrunner additions: the cadences that shaped the phases
    p["interval_seconds"] = config_.sampling.interval_seconds;
    p["drain_interval_seconds"] = config_.sampling.drain_interval_seconds;
    p["cooldown_interval_seconds"] = config_.sampling.cooldown_interval_seconds;
    return p;
}

void DurationLeakScenario::store_metadata(model::ScenarioResult& result) const {
    result.metadata = metadata_;
}

void DurationLeakScenario::run(ScenarioContext& ctx, model::ScenarioResult& result) {
    ctx.ports.progress.phase_started({kName, "setup", ctx.ports.clock.now(), 0.0});
    clean_restart(ctx);
    Sampler sampler(ctx, result);
    try {
        run_phases(ctx, result, sampler);
    } catch (...) {
        store_metadata(result);
        bring_to_rest(ctx);
        throw;
    }
    store_metadata(result);
    bring_to_rest(ctx);
    if (!result.aborted) {
        // Phase, leak and cooldown analysis of the shared analysis module (the same code `analyze` runs).
        try {
            model::record_duration_analysis(metadata_, analysis::duration_metadata(ctx.run, result, config_));
            store_metadata(result);
        } catch (const std::exception& e) {
            ctx.ports.progress.note(std::string("duration analysis failed (samples kept): ") + e.what());
        }
    }
}

void DurationLeakScenario::run_phases(ScenarioContext& ctx, model::ScenarioResult& result, Sampler& sampler) {
    auto& clock = ctx.ports.clock;
    auto& sim = ctx.ports.simulation;
    const auto& sc = config_.scenarios;
    const auto& sampling = config_.sampling;

    start_fresh(ctx);
    // Spawn errors abort the scenario (reference behaviour): without its agents the phases mean nothing.
    const long drivers = sim.spawn_drivers(agents_.drivers);
    const long riders = sim.spawn_riders(agents_.riders);
    sampler.set_live({drivers, riders});

    double speed = 1.0;
    try {
        speed = sim.status().speed_multiplier;
    } catch (const std::exception&) {
    }
    const double timeout = spawn_wait_timeout(config_, std::max(drivers, riders), speed);
    ctx.ports.progress.phase_started({kName, "spawn", clock.now(), timeout});
    const auto wait = sim.wait_for_spawn(timeout);
    throw_if_stopped(ctx);
    auto& spawn = metadata_.spawn.emplace();
    spawn.drivers_requested = drivers;
    spawn.riders_requested = riders;
    spawn.drained = wait.drained;
    spawn.waited_seconds = model::round_half_even(wait.waited_seconds, 2);
    spawn.drivers_still_queued = wait.last.drivers_queued;
    spawn.riders_still_queued = wait.last.riders_queued;
    if (!wait.drained) {
        ctx.ports.progress.note("spawn queue not empty after " + std::to_string(timeout) + " s");
    }
    try {
        const auto st = sim.status();
        spawn.live_drivers = st.drivers_total;
        spawn.live_riders = st.riders_total;
    } catch (const std::exception& e) {
        ctx.ports.progress.note(std::string("status after spawn failed: ") + e.what());
    }

    ctx.ports.progress.phase_started({kName, "settle", clock.now(), sampling.settle_seconds});
    sampler.sleep_until(clock.now() + sampling.settle_seconds);

    sampler.set_read_status(true);
    sampler.reset_pace();
    auto abort_if = [&](CollectEnd end) {
        if (end == CollectEnd::stopped) {
            throw Interrupted{};
        }
        if (end == CollectEnd::oom) {
            result.aborted = true;
            result.abort_reason = sampler.oom_reason();
            return true;
        }
        return false;
    };

    // Active phase.
    std::size_t before = sampler.sample_count();
    const double active_seconds = sc.duration_active_minutes * 60.0;
    timestamps().active_start = clock.now();
    ctx.ports.progress.phase_started({kName, "active", clock.now(), active_seconds});
    CollectEnd end = CollectEnd::completed;
    try {
        end = sampler.collect(active_seconds, sampling.interval_seconds);
    } catch (...) {
        timestamps().active_end = clock.now();
        counts().active = sampler.sample_count() - before;
        throw;
    }
    timestamps().active_end = clock.now();
    counts().active = sampler.sample_count() - before;
    sampler.checkpoint();
    if (abort_if(end)) {
        return;
    }

    // Drain phase: pause, then sample and read the state after every sample.
    try {
        sim.pause();
    } catch (const std::exception& e) {
        ctx.ports.progress.note(std::string("pause failed: ") + e.what());
    }
    before = sampler.sample_count();
    const double drain_start = clock.now();
    timestamps().drain_start = drain_start;
    ctx.ports.progress.phase_started({kName, "drain", drain_start, sc.duration_drain_timeout_seconds});
    auto finish_drain = [&] {
        const double drain_end = clock.now();
        timestamps().drain_end = drain_end;
        counts().drain = sampler.sample_count() - before;
        metadata_.drain_duration_seconds = model::round_half_even(drain_end - drain_start, 2);
    };
    try {
        const double interval = sampling.drain_interval_seconds;
        for (long k = 1;; ++k) {
            throw_if_stopped(ctx);
            const TickOutcome t = sampler.tick();
            if (!t.oom_containers.empty()) {
                metadata_.drain_end_reason = "oom_abort";
                finish_drain();
                result.aborted = true;
                result.abort_reason = sampler.oom_reason();
                return;
            }
            if (t.status && t.status->state == "paused") {
                metadata_.drain_end_reason = "paused";
                break;
            }
            const double due = drain_start + static_cast<double>(k) * interval;
            if (due - drain_start >= sc.duration_drain_timeout_seconds) {
                metadata_.drain_end_reason = "client_timeout";
                sampler.sleep_until(std::max(clock.now(), drain_start + sc.duration_drain_timeout_seconds));
                break;
            }
            sampler.sleep_until(due);
        }
    } catch (...) {
        if (!metadata_.drain_end_reason) {
            metadata_.drain_end_reason = "interrupted";
        }
        finish_drain();
        throw;
    }
    finish_drain();
    sampler.checkpoint();
    if (metadata_.drain_end_reason == "client_timeout") {
        // The server still drains; reset so the cooldown measures an idle simulation.
        ctx.ports.progress.note(
            "drain did not reach paused within the timeout; simulation reset before cooldown");
        bring_to_rest(ctx);
    }

    // Cooldown phase.
    before = sampler.sample_count();
    const double cooldown_seconds = sc.duration_cooldown_minutes * 60.0;
    timestamps().cooldown_start = clock.now();
    ctx.ports.progress.phase_started({kName, "cooldown", clock.now(), cooldown_seconds});
    try {
        end = sampler.collect(cooldown_seconds, sampling.cooldown_interval_seconds);
    } catch (...) {
        timestamps().cooldown_end = clock.now();
        counts().cooldown = sampler.sample_count() - before;
        throw;
    }
    timestamps().cooldown_end = clock.now();
    counts().cooldown = sampler.sample_count() - before;
    if (abort_if(end)) {
        return;
    }
}

}  // namespace perfrunner::scenarios
