#include "perfrunner/scenarios/stress.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "perfrunner/analysis/stress_rule.hpp"
#include "perfrunner/error.hpp"
#include "perfrunner/scenarios/sampler.hpp"
#include "perfrunner/scenarios/scenario_support.hpp"

namespace perfrunner::scenarios {

StressScenario::StressScenario(const config::Config& config, bool clean_restart_first)
    : config_(config), clean_restart_first_(clean_restart_first), step_mode_(config.scenarios.stress_mode == "step") {
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
    if (step_mode_) {
        m["steps"] = steps_;
        m["last_healthy"] = last_healthy_ ? nlohmann::json(*last_healthy_) : nlohmann::json(nullptr);
        m["breaking_point"] = breaking_point_ ? nlohmann::json(*breaking_point_) : nlohmann::json(nullptr);
        m["headroom_recommendation"] =
            last_healthy_ ? nlohmann::json(static_cast<long>(std::floor(0.8 * static_cast<double>(*last_healthy_))))
                          : nlohmann::json(nullptr);
        if (!step_trigger_.is_null()) m["trigger_detail"] = step_trigger_;
        if (!refinement_.empty()) m["refinement"] = refinement_;
    }
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
        if (step_mode_) {
            run_step(ctx, result, sampler);
        } else {
            run_ramp(ctx, result, sampler);
        }
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

void StressScenario::start_simulation(ScenarioContext& ctx) { start_fresh(ctx); }

void StressScenario::run_ramp(ScenarioContext& ctx, model::ScenarioResult& result, Sampler& sampler) {
    auto& clock = ctx.ports.clock;
    const auto& sc = config_.scenarios;
    start_simulation(ctx);
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

namespace perfrunner::scenarios {
namespace {

// The analysis module's window shape from the samples [from, to) of the scenario.
analysis::StressWindow window_of(const model::RunResult& run, const config::Config& config,
                                 const std::vector<model::Sample>& samples, std::size_t from) {
    analysis::StressWindow w;
    for (const auto& spec : config.containers) {
        const auto id = run.find_container(spec.name);
        if (!id) continue;
        analysis::ContainerWindow c;
        c.container = spec.name;
        c.cpu_cores = spec.cpu_cores.value_or(1.0);
        for (std::size_t i = from; i < samples.size(); ++i) {
            const auto* cs = samples[i].find(*id);
            if (cs == nullptr || cs->missing) continue;
            if (cs->cpu_cores_effective && *cs->cpu_cores_effective > 0) c.cpu_cores = *cs->cpu_cores_effective;
            c.memory_percent.push_back(cs->memory_percent);
            if (cs->cpu_percent) c.cpu_percent.push_back(*cs->cpu_percent);
        }
        if (!c.memory_percent.empty()) w.containers.push_back(std::move(c));
    }
    for (std::size_t i = from; i < samples.size(); ++i) {
        const auto& s = samples[i];
        if (s.pace && s.pace->real_time_ratio) w.real_time_ratio.push_back(*s.pace->real_time_ratio);
        if (s.host && s.host->cpu_percent_of_host) w.host_cpu_percent.push_back(*s.host->cpu_percent_of_host);
    }
    return w;
}

}  // namespace

void StressScenario::run_step(ScenarioContext& ctx, model::ScenarioResult& result, Sampler& sampler) {
    auto& clock = ctx.ports.clock;
    auto& sim = ctx.ports.simulation;
    const auto& sc = config_.scenarios;
    const auto settings = analysis::StressRuleSettings::from(config_);
    const double interval = config_.sampling.interval_seconds > 0 ? config_.sampling.interval_seconds : 1.0;
    const int window = std::max(1, sc.stress_window_samples);
    const long batch = std::max(1, sc.stress_spawn_batch_size);
    const double max_duration = sc.stress_max_duration_minutes * 60.0;

    start_simulation(ctx);
    sampler.set_read_status(true);
    sampler.reset_pace();
    loop_start_ = clock.now();
    stop_reason_ = "time_limit";
    auto after_tick = [&](const TickOutcome& t) {
        const model::Sample& s = result.samples[t.index];
        note_peaks(ctx.run, s);
        if (t.status) {
            live_drivers_ = t.status->drivers_total;
            live_riders_ = t.status->riders_total;
        }
        // Critical: memory at or above the critical share in any sample stops at once.
        const auto critical = analysis::critical_breach(window_of(ctx.run, config_, result.samples, t.index), settings);
        if (critical) {
            step_trigger_ = critical->to_json();
            trigger_ = Trigger{critical->container, critical->metric, critical->value, critical->threshold};
            return true;
        }
        return false;
    };
    for (long level = 1; clock.now() - loop_start_ < max_duration; ++level) {
        throw_if_stopped(ctx);
        drivers_queued_ += spawn_drivers_noting(ctx, batch);
        riders_queued_ += spawn_riders_noting(ctx, batch);
        ++batch_count_;
        sampler.set_live({drivers_queued_, riders_queued_});
        const std::string label = "level " + std::to_string(level);
        ctx.ports.progress.phase_started({kName, label + " spawn", clock.now(), 0.0});
        const auto wait = sim.wait_for_spawn(spawn_wait_timeout(config_, batch, 1.0));
        throw_if_stopped(ctx);
        long live = drivers_queued_;
        try {
            const auto st = sim.status();
            live = st.drivers_total;
            live_drivers_ = st.drivers_total;
            live_riders_ = st.riders_total;
        } catch (const std::exception& e) {
            ctx.ports.progress.note(std::string("status after spawn failed: ") + e.what());
        }
        // Settle (sampled: OOM and critical memory are still watched), then the judged window.
        ctx.ports.progress.phase_started({kName, label + " settle", clock.now(), sc.stress_settle_seconds});
        CollectEnd end = sampler.collect(sc.stress_settle_seconds, interval, after_tick);
        std::size_t from = sampler.sample_count();
        if (end == CollectEnd::completed) {
            ctx.ports.progress.phase_started({kName, label + " window", clock.now(), window * interval});
            end = sampler.collect(static_cast<double>(window) * interval, interval, after_tick);
        }
        nlohmann::json step = {{"level", level},         {"drivers_queued", drivers_queued_},
                               {"live_drivers", live},     {"live_riders", live_riders_.value_or(0)},
                               {"spawn_drained", wait.drained}, {"window_samples", sampler.sample_count() - from}};
        if (end == CollectEnd::stopped) {
            steps_.push_back(step);
            throw Interrupted{};
        }
        if (end == CollectEnd::oom) {
            step["breach"] = true;
            step["critical"] = "oom";
            steps_.push_back(step);
            breaking_point_ = live;
            stop_reason_ = "oom";
            result.aborted = true;
            result.abort_reason = sampler.oom_reason();
            break;
        }
        if (end == CollectEnd::requested) {  // critical memory
            step["breach"] = true;
            step["trigger"] = step_trigger_;
            steps_.push_back(step);
            breaking_point_ = live;
            stop_reason_ = "critical";
            break;
        }
        const auto breach = analysis::evaluate_window(window_of(ctx.run, config_, result.samples, from), settings);
        step["breach"] = breach.has_value();
        if (breach) {
            step_trigger_ = breach->to_json();
            step["trigger"] = step_trigger_;
            steps_.push_back(step);
            trigger_ = Trigger{breach->container, breach->metric, breach->value, breach->threshold};
            breaking_point_ = live;
            stop_reason_ = "breach";
            ctx.ports.progress.note(fmt::format("stress breach at level {} ({} live drivers): {} {} {:.2f}", level, live,
                                                breach->container, breach->metric, breach->value));
            break;
        }
        steps_.push_back(step);
        last_healthy_ = live;
        sampler.checkpoint();
    }
    loop_end_ = clock.now();
    if (sc.stress_refine && stop_reason_ == "breach" && last_healthy_ && breaking_point_) refine(ctx, result, sampler);
}

void StressScenario::refine(ScenarioContext& ctx, model::ScenarioResult& result, Sampler& sampler) {
    auto& clock = ctx.ports.clock;
    auto& sim = ctx.ports.simulation;
    const auto& sc = config_.scenarios;
    const auto settings = analysis::StressRuleSettings::from(config_);
    const double interval = config_.sampling.interval_seconds > 0 ? config_.sampling.interval_seconds : 1.0;
    const int window = std::max(1, sc.stress_window_samples);
    const long resolution = std::max(1, sc.stress_refine_resolution);
    while (auto probe = analysis::next_bisection_probe(*last_healthy_, *breaking_point_, resolution)) {
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
        const std::size_t from = sampler.sample_count();
        if (end == CollectEnd::completed) end = sampler.collect(static_cast<double>(window) * interval, interval);
        if (end == CollectEnd::stopped) throw Interrupted{};
        nlohmann::json r = {{"probe", m}, {"live_drivers", live}};
        if (end == CollectEnd::oom) {
            r["breach"] = true;
            r["critical"] = "oom";
            refinement_.push_back(r);
            result.aborted = true;
            result.abort_reason = sampler.oom_reason();
            breaking_point_ = std::min(*breaking_point_, live);
            return;
        }
        const auto w = window_of(ctx.run, config_, result.samples, from);
        auto breach = analysis::critical_breach(w, settings);
        if (!breach) breach = analysis::evaluate_window(w, settings);
        r["breach"] = breach.has_value();
        if (breach) r["trigger"] = breach->to_json();
        refinement_.push_back(r);
        if (breach) {
            breaking_point_ = live;
        } else {
            last_healthy_ = live;
        }
        sampler.checkpoint();
        if (*breaking_point_ <= *last_healthy_) break;  // live counts fell short of the probe: nothing left between
    }
}

}  // namespace perfrunner::scenarios
