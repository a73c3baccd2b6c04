#include "perfrunner/analysis/analysis_json.hpp"

#include <algorithm>

#include "perfrunner/analysis/json_numbers.hpp"
#include "perfrunner/model/scenario_metadata_json.hpp"
#include "perfrunner/model/scenario_names.hpp"

namespace perfrunner::analysis {

namespace {

using ojson = nlohmann::ordered_json;

ojson number(const std::optional<double>& value, int digits) {
    return rounded<ojson>(value, digits);
}

// A statistic of a series, null when the series had no samples.
ojson stat(const SeriesStats& stats, double SeriesStats::*member, int digits) {
    return stats.n > 0 ? number(stats.*member, digits) : ojson(nullptr);
}

ojson optional_long(const std::optional<long>& value) {
    return value ? ojson(*value) : ojson(nullptr);
}

ojson text_or_null(const std::string& text) {
    return text.empty() ? ojson(nullptr) : ojson(text);
}

ojson container_means(const std::vector<std::pair<std::string, double>>& means, int digits) {
    ojson out = ojson::object();
    for (const auto& [container, mean] : means) {
        out[container] = number(mean, digits);
    }
    return out;
}

ojson leak_statistics_json(const LeakResult& leak) {
    ojson s = leak.memory.to_json();
    s["signal"] = leak.signal;
    s["threshold_mb_per_min"] = leak.threshold_mb_per_min;  // configured, not computed: as given
    s["memory_limit_mb"] = number(leak.memory_limit_mb, decimals::kLevel);
    s["cpu"] = leak.cpu.to_json();
    return s;
}

ojson cooldown_statistics_json(const CooldownStatistics& c) {
    ojson s = ojson::object();
    s["active_window_seconds"] = c.active_window_seconds;  // configured: as given
    s["cooldown_window_seconds"] = c.cooldown_window_seconds;
    if (c.hl_shift_mb) {
        s["hl_shift_mb"] = number(c.hl_shift_mb, decimals::kCooldown);
        s["hl_ci95_mb"] = ojson::array({number(c.hl_ci95_lower_mb, decimals::kCooldown),
                                        number(c.hl_ci95_upper_mb, decimals::kCooldown)});
        s["tolerance_mb"] = number(c.tolerance_mb, decimals::kCooldown);
    }
    if (c.rss_active_end_mb && c.rss_cooldown_end_mb) {
        s["rss_active_end_mb"] = number(c.rss_active_end_mb, decimals::kCooldown);
        s["rss_cooldown_end_mb"] = number(c.rss_cooldown_end_mb, decimals::kCooldown);
    }
    if (c.baseline_median_mb) {
        s["baseline_median_mb"] = number(c.baseline_median_mb, decimals::kCooldown);
        s["returned_to_baseline"] = c.returned_to_baseline;
    }
    return s;
}

ojson speed_step_json(const SpeedStep& s) {
    ojson o;
    o["step"] = s.step;
    o["multiplier"] = s.multiplier;
    o["agent_count"] = s.agent_count;
    o["sample_count"] = s.sample_count;
    o["threshold_hit"] = s.threshold_hit;
    o["trigger"] = model::trigger_to_json(s.trigger);  // as recorded by the scenario
    o["mean_cpu_percent"] = container_means(s.mean_cpu_percent, decimals::kLevel);
    o["mean_memory_percent"] = container_means(s.mean_memory_percent, decimals::kLevel);
    o["mean_real_time_ratio"] = number(s.mean_real_time_ratio, decimals::kRealTimeRatio);
    return o;
}

// The perfrunner additions shared by `analysis` and `verdict` (results-schema.md §9).
// The scenario ran but has no samples: its section is null (not zeros).
bool ran_unsampled(const Analysis& a, const std::string& name) {
    return std::any_of(a.scenario_summaries.begin(), a.scenario_summaries.end(),
                       [&](const ScenarioSummary& s) { return s.scenario_name == name && s.unsampled; });
}

void add_scenario_results(ojson& out, const Analysis& a) {
    if (!a.duration && ran_unsampled(a, model::scenario_names::kDuration)) {
        out["leak_detection"] = nullptr;
        out["cooldown"] = nullptr;
    }
    if (!a.stress && ran_unsampled(a, model::scenario_names::kStress)) {
        out["stress_summary"] = nullptr;
    }
    if (!a.speed && ran_unsampled(a, model::scenario_names::kSpeed)) {
        out["speed_summary"] = nullptr;
    }
    if (a.duration) {
        ojson leaks = ojson::object();
        for (const auto& l : a.duration->leaks) {
            leaks[l.container] = leak_result_json(l);
        }
        out["leak_detection"] = leaks;
        ojson cooldown = ojson::object();
        for (const auto& c : a.duration->cooldown) {
            cooldown[c.container] = cooldown_result_json(c);
        }
        out["cooldown"] = cooldown;
    }
    if (a.stress) {
        out["stress_summary"] = stress_analysis_json(*a.stress);
    }
    if (a.speed) {
        out["speed_summary"] = speed_analysis_json(*a.speed);
    }
    if (a.calibration) {
        out["baseline_calibration"] = calibration_json(*a.calibration);
    }
}

}  // namespace

ojson container_summary_json(const ContainerSummary& c) {
    ojson o;
    o["memory_mean_mb"] = stat(c.memory_mb, &SeriesStats::mean, decimals::kLevel);
    o["memory_max_mb"] = stat(c.memory_mb, &SeriesStats::max, decimals::kLevel);
    o["memory_p95_mb"] = stat(c.memory_mb, &SeriesStats::p95, decimals::kLevel);
    o["memory_limit_mb"] = number(c.memory_limit_mb, decimals::kLevel);
    o["cpu_mean_percent"] = stat(c.cpu_percent, &SeriesStats::mean, decimals::kLevel);
    o["cpu_max_percent"] = stat(c.cpu_percent, &SeriesStats::max, decimals::kLevel);
    o["memory_slope_mb_per_min"] = number(c.memory_slope_mb_per_min, decimals::kSlope);
    o["cpu_slope_percent_per_min"] = number(c.cpu_slope_percent_per_min, decimals::kSlope);
    return o;
}

ojson scenario_summary_json(const ScenarioSummary& s) {
    ojson containers = ojson::object();
    for (const auto& c : s.containers) {
        containers[c.container] = container_summary_json(c);
    }
    ojson o;
    o["total_samples"] = s.total_samples;
    o["containers_sampled"] = s.containers.size();
    o["containers"] = containers;
    o["scenario_name"] = s.scenario_name;
    if (s.unsampled) {
        o["unsampled"] = *s.unsampled;  // addition: why the scenario has no figures
    }
    return o;
}

ojson finding_json(const Finding& f) {
    ojson o;
    o["severity"] = to_string(f.severity);
    o["category"] = f.category;
    o["container"] = f.container;
    o["message"] = f.message;
    o["metric_value"] = number(f.metric_value, decimals::kFinding);
    o["threshold"] = number(f.threshold, decimals::kFinding);
    o["scenario_name"] = f.scenario_name;
    o["recommendation"] = f.recommendation;
    o["check_name"] = f.check_name;  // addition: the junit.xml test case of the finding
    return o;
}

ojson container_health_json(const ContainerHealth& h) {
    ojson o;
    o["container_name"] = h.container_name;
    o["display_name"] = h.display_name;
    o["memory_current_mb"] = number(h.memory_current_mb, decimals::kLevel);
    o["memory_limit_mb"] = number(h.memory_limit_mb, decimals::kLevel);
    o["memory_percent"] = number(h.memory_percent, decimals::kLevel);
    o["memory_leak_rate_mb_per_min"] = number(h.memory_leak_rate_mb_per_min, decimals::kSlope);
    o["cpu_current_percent"] = number(h.cpu_current_percent, decimals::kLevel);
    o["cpu_peak_percent"] = number(h.cpu_peak_percent, decimals::kLevel);
    o["status"] = h.status;
    return o;
}

ojson phase_analysis_json(const std::vector<PhaseSlopes>& phases) {
    ojson out = ojson::object();
    for (const auto& p : phases) {
        ojson containers = ojson::object();
        for (const auto& c : p.containers) {
            containers[c.container] = {
                {"memory_slope_mb_per_min", number(c.memory_slope_mb_per_min, decimals::kSlope)},
                {"cpu_slope_percent_per_min", number(c.cpu_slope_percent_per_min, decimals::kSlope)}};
        }
        out[p.phase] = containers;
    }
    return out;
}

ojson leak_result_json(const LeakResult& l) {
    ojson o;
    // Reference keys (results-schema.md §5 leak_analysis): the seed's endpoint slopes and flags.
    o["memory_slope_mb_per_min"] = number(l.seed_memory_slope_mb_per_min, decimals::kSlope);
    o["cpu_slope_percent_per_min"] = number(l.seed_cpu_slope_percent_per_min, decimals::kSlope);
    o["memory_leak_detected"] = l.seed_memory_leak_detected;
    o["cpu_leak_detected"] = l.seed_cpu_leak_detected;
    // Additions: the statistical verdict (statistics.md §6).
    o["ols_memory_slope_mb_per_min"] = number(l.ols_memory_slope_mb_per_min, decimals::kSlope);
    o["tier"] = text_or_null(l.tier);
    o["verdict"] = l.verdict;
    o["reason"] = l.reason;
    o["statistics"] = leak_statistics_json(l);
    return o;
}

ojson cooldown_result_json(const CooldownResult& c) {
    ojson o;
    // Reference keys (results-schema.md §5 cooldown_analysis).
    o["active_end_mb"] = number(c.active_end_mb, decimals::kCooldown);
    o["cooldown_end_mb"] = number(c.cooldown_end_mb, decimals::kCooldown);
    o["delta_mb"] = number(c.delta_mb, decimals::kCooldown);
    o["delta_percent"] = number(c.delta_percent, decimals::kCooldown);
    o["memory_released"] = c.memory_released;
    // Additions (statistics.md §9).
    o["classification"] = c.classification;
    o["k_active"] = c.k_active;
    o["k_cooldown"] = c.k_cooldown;
    o["statistics"] = cooldown_statistics_json(c.statistics);
    return o;
}

ojson stress_analysis_json(const StressAnalysis& s) {
    ojson o;
    o["trigger"] = model::trigger_to_json(s.trigger);              // as recorded (results-schema.md §5)
    o["peak_values"] = model::peak_values_to_json(s.peak_values);  // raw sample values
    o["drivers_queued"] = optional_long(s.drivers_queued);
    o["last_healthy"] = optional_long(s.last_healthy);
    o["breaking_point"] = optional_long(s.breaking_point);
    o["recommended_load"] = optional_long(s.recommended_load);
    if (s.usl) {
        o["usl"] = usl_capacity_json(*s.usl);
    }
    return o;
}

namespace {

ojson usl_parameter_json(const stats::UslParameter& p, int digits) {
    ojson o;
    o["value"] = number(p.value, digits);
    o["se"] = rounded<ojson>(p.se, digits);
    o["ci95_lower"] = rounded<ojson>(p.lower, digits);
    o["ci95_upper"] = rounded<ojson>(p.upper, digits);
    o["at_bound"] = p.at_bound;
    return o;
}

}  // namespace

ojson calibration_json(const CalibrationReport& r) {
    const auto& c = r.calibration;
    ojson base;
    base["latency_samples"] = c.latency_samples;
    base["status_latency_p50_ms"] = number(c.latency_p50_ms, decimals::kLatencyMs);
    base["status_latency_p95_ms"] = number(c.latency_p95_ms, decimals::kLatencyMs);
    base["mean_real_time_ratio"] = number(c.mean_real_time_ratio, decimals::kRealTimeRatio);
    base["real_time_ratio_source"] = text_or_null(c.real_time_ratio_source);
    ojson limits;
    limits["latency_degraded_ms"] = number(c.latency_degraded_ms, decimals::kLatencyMs);
    limits["latency_unhealthy_ms"] = number(c.latency_unhealthy_ms, decimals::kLatencyMs);
    limits["real_time_ratio_floor"] = number(c.real_time_ratio_floor, decimals::kRealTimeRatio);
    ojson scenarios = ojson::object();
    for (const auto& s : r.scenarios) {
        const auto& a = s.assessment;
        ojson o;
        o["latency_samples"] = a.latency_samples;
        o["status_latency_p50_ms"] = number(a.latency_p50_ms, decimals::kLatencyMs);
        o["status_latency_p95_ms"] = number(a.latency_p95_ms, decimals::kLatencyMs);
        o["latency"] = to_string(a.latency);
        o["mean_real_time_ratio"] = number(a.mean_real_time_ratio, decimals::kRealTimeRatio);
        o["real_time"] = to_string(a.real_time);
        scenarios[s.scenario_name] = o;
    }
    ojson o;
    o["baseline"] = base;
    o["limits"] = limits;
    o["scenarios"] = scenarios;
    return o;
}

ojson usl_capacity_json(const UslCapacity& u) {
    ojson points = ojson::array();
    for (const auto& p : u.points) {
        points.push_back({{"live_drivers", p.load},
                          {"throughput", number(p.throughput, decimals::kThroughput)},
                          {"source", p.source}});
    }
    const auto& f = u.fit;
    ojson o;
    o["model"] = "X(N) = lambda*N / (1 + sigma*(N-1) + kappa*N*(N-1))";
    o["load_axis"] = "live_drivers";
    o["throughput_unit"] = "events/s (GET /metrics/performance events.total_per_sec, window mean)";
    o["fitted"] = f.valid;
    o["why_not"] = f.valid ? ojson(nullptr) : ojson(f.why_not);
    o["levels"] = f.levels;
    o["points"] = points;
    if (f.valid) {
        o["lambda"] = usl_parameter_json(f.lambda, decimals::kUslLambda);
        o["sigma"] = usl_parameter_json(f.sigma, decimals::kUslSigma);
        o["kappa"] = usl_parameter_json(f.kappa, decimals::kUslKappa);
        o["rmse"] = number(f.rmse, decimals::kThroughput);
        o["peak_load"] = rounded<ojson>(f.peak_load, decimals::kUslLoad);
        o["peak_throughput"] = rounded<ojson>(f.peak_throughput, decimals::kThroughput);
        o["peak_note"] = f.peak_note.empty() ? ojson(nullptr) : ojson(f.peak_note);
    }
    o["last_healthy"] = optional_long(u.last_healthy);
    o["breaking_point"] = optional_long(u.breaking_point);
    o["disagreement"] = u.disagreement ? ojson(*u.disagreement) : ojson(nullptr);
    return o;
}

ojson speed_analysis_json(const SpeedAnalysis& s) {
    ojson steps = ojson::array();
    for (const auto& step : s.steps) {
        steps.push_back(speed_step_json(step));
    }
    ojson o;
    o["steps"] = steps;
    o["max_speed_passed"] = s.max_speed_passed;
    o["max_speed_achieved"] = s.max_speed_achieved;
    return o;
}

ojson duration_analysis_json(const DurationAnalysis& d) {
    ojson out;
    out["phase_analysis"] = phase_analysis_json(d.phase_analysis);
    ojson leaks = ojson::object();
    for (const auto& l : d.leaks) {
        leaks[l.container] = leak_result_json(l);
    }
    out["leak_analysis"] = leaks;
    if (!d.cooldown.empty()) {
        ojson cooldown = ojson::object();
        for (const auto& c : d.cooldown) {
            cooldown[c.container] = cooldown_result_json(c);
        }
        out["cooldown_analysis"] = cooldown;
    }
    return out;
}

ojson analysis_json(const Analysis& a) {
    ojson summaries = ojson::array();
    for (const auto& s : a.scenario_summaries) {
        summaries.push_back(scenario_summary_json(s));
    }
    ojson out;
    out["scenario_summaries"] = summaries;
    add_scenario_results(out, a);
    return out;
}

ojson verdict_json(const Analysis& a) {
    ojson findings = ojson::array();
    for (const auto& f : a.findings) {
        findings.push_back(finding_json(f));
    }
    ojson health = ojson::array();
    for (const auto& h : a.container_health) {
        health.push_back(container_health_json(h));
    }
    ojson out;
    out["overall_status"] = to_string(a.verdict);
    out["findings"] = findings;
    out["recommendations"] = a.recommendations;
    out["container_health"] = health;
    out["scenarios_passed"] = a.scenarios_passed;
    out["scenarios_failed"] = a.scenarios_failed;
    out["total_oom_events"] = a.total_oom_events;
    out["critical_count"] = a.critical_count;
    out["warning_count"] = a.warning_count;
    // Additions after the reference keys: where container health comes from, which scenarios have no figures.
    out["container_health_scenario"] = text_or_null(a.container_health_scenario);
    ojson unsampled = ojson::object();
    for (const auto& s : a.scenario_summaries) {
        if (s.unsampled) {
            unsampled[s.scenario_name] = *s.unsampled;
        }
    }
    out["scenarios_unsampled"] = unsampled;
    add_scenario_results(out, a);
    return out;
}

}  // namespace perfrunner::analysis
