// What both stress modes share: params, peaks, the metadata stored on every exit path. The modes are in
// stress_ramp.cpp, stress_step.cpp and stress_refine.cpp.
#include "perfrunner/scenarios/stress.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "perfrunner/analysis/baseline_calibration.hpp"
#include "perfrunner/scenarios/rolling_window.hpp"
#include "perfrunner/scenarios/sampler.hpp"
#include "perfrunner/scenarios/scenario_support.hpp"

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

void StressScenario::note_live_at_trigger() {
    metadata_.live_drivers_at_trigger = metadata_.live_drivers;
    metadata_.live_riders_at_trigger = metadata_.live_riders;
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

void StressScenario::start_calibration(ScenarioContext& ctx) {
    if (!config_.scenarios.stress_baseline_triggers) {
        return;
    }
    calibration_ = analysis::run_calibration(ctx.run);
    ctx.ports.progress.note(calibration_ ? "stress: baseline-calibrated triggers on"
                                         : "stress: baseline-calibrated triggers on, but the run has no "
                                           "baseline status latencies (run the baseline scenario first)");
}

analysis::StressRuleSettings StressScenario::with_calibration(analysis::StressRuleSettings rule) const {
    if (calibration_) {
        analysis::apply_baseline_triggers(rule, *calibration_);
    }
    return rule;
}

analysis::StressRuleSettings StressScenario::step_rule() const {
    return with_calibration(analysis::StressRuleSettings::sustained(config_));
}

void StressScenario::calibrate_from_window(ScenarioContext& ctx, const model::ScenarioResult& result,
                                           std::size_t window, const std::string& what) {
    if (!calibration_ || calibration_->mean_real_time_ratio) {
        return;
    }
    analysis::use_real_time_reference(*calibration_, last_samples(result, window), "stress_test " + what);
    if (calibration_->real_time_ratio_floor) {
        ctx.ports.progress.note(fmt::format("stress: real-time ratio floor {:.3f} (0.8x {}'s mean)",
                                            *calibration_->real_time_ratio_floor, what));
    }
}

}  // namespace perfrunner::scenarios
