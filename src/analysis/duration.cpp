#include "perfrunner/analysis/duration.hpp"

#include <algorithm>
#include <cmath>

#include "perfrunner/analysis/json_numbers.hpp"
#include "perfrunner/analysis/series.hpp"
#include "perfrunner/analysis/stats/descriptive.hpp"
#include "perfrunner/analysis/stats/endpoint_slope.hpp"
#include "perfrunner/analysis/stats/hodges_lehmann.hpp"
#include "perfrunner/analysis/stats/ols.hpp"
#include "perfrunner/model/rounding.hpp"
#include "perfrunner/model/scenario_names.hpp"

namespace perfrunner::analysis {

namespace {

const SampleValue kWorkingSet = [](const model::ContainerSample& c) -> std::optional<double> {
    return c.memory_used_mb;
};
const SampleValue kRss = [](const model::ContainerSample& c) { return c.memory_rss_mb; };
const SampleValue kCpu = [](const model::ContainerSample& c) { return c.cpu_percent; };

double positive_or(double v, double fallback) {
    return v > 0 ? v : fallback;
}

// Seed's endpoint slopes of one phase, 3 dp (reference formula 1).
nlohmann::json phase_slopes(const model::RunResult& run, const model::ScenarioResult& sc,
                            const config::Config& cfg, std::size_t begin, std::size_t end) {
    nlohmann::json out = nlohmann::json::object();
    if (end <= begin + 1) {
        return out;
    }
    for (auto id : containers_in(run, sc, cfg, begin, end)) {
        const auto mem = extract(sc, id, begin, end, kWorkingSet);
        const auto cpu = extract(sc, id, begin, end, kCpu);
        const auto ms = stats::endpoint_slope(minutes_since_first(mem.t), mem.y);
        const auto cs = stats::endpoint_slope(minutes_since_first(cpu.t), cpu.y);
        if (!ms && !cs) {
            continue;
        }
        out[run.container_name(id)] = {{"memory_slope_mb_per_min", rounded(ms, 3)},
                                       {"cpu_slope_percent_per_min", rounded(cs, 3)}};
    }
    return out;
}

std::vector<double> window_tail(const Series& s, double seconds) {
    std::vector<double> out;
    if (s.t.empty()) {
        return out;
    }
    const double from = s.t.back() - seconds;
    for (std::size_t i = 0; i < s.t.size(); ++i) {
        if (s.t[i] > from - 1e-9) {
            out.push_back(s.y[i]);
        }
    }
    return out;
}

}  // namespace

LeakRuleSettings leak_settings(const config::Config& config, const std::string& container) {
    const auto th = thresholds_for(config, container);
    const auto& a = config.analysis;
    LeakRuleSettings s;
    s.threshold = th.memory_leak_mb_per_min;
    s.monitor_threshold = th.memory_leak_monitor_mb_per_min;
    s.alpha = a.leak_alpha > 0 && a.leak_alpha < 1 ? a.leak_alpha : 0.05;
    s.warmup_seconds = a.leak_warmup_seconds >= 0 ? a.leak_warmup_seconds : s.warmup_seconds;
    s.min_samples = a.leak_min_samples > 0 ? a.leak_min_samples : s.min_samples;
    s.min_neff = a.leak_min_neff > 0 ? a.leak_min_neff : s.min_neff;
    s.min_windows = a.leak_min_windows > 0 ? a.leak_min_windows : s.min_windows;
    s.envelope_window_seconds = positive_or(a.leak_envelope_window_seconds, 30);
    if (const auto* spec = find_spec(config, container);
        spec && spec->gc_window_seconds && *spec->gc_window_seconds > 0) {
        s.envelope_window_seconds = *spec->gc_window_seconds;
        s.envelope_configured = true;
    }
    return s;
}

DurationAnalysis analyze_duration(const model::RunResult& run, const model::ScenarioResult& sc,
                                  const config::Config& config) {
    DurationAnalysis d;
    const PhaseRanges ph = phase_ranges(sc);
    d.phase_analysis["active"] = phase_slopes(run, sc, config, ph.active_begin, ph.active_end);
    if (ph.has_counts) {
        d.phase_analysis["drain"] = phase_slopes(run, sc, config, ph.active_end, ph.drain_end);
        d.phase_analysis["cooldown"] = phase_slopes(run, sc, config, ph.drain_end, ph.cooldown_end);
    }
    const std::size_t active_n = ph.active_end - ph.active_begin;
    std::optional<double> phase_start;
    if (sc.metadata.is_object() && sc.metadata.contains("phase_timestamps") &&
        sc.metadata["phase_timestamps"].is_object() &&
        sc.metadata["phase_timestamps"].contains("active_start") &&
        sc.metadata["phase_timestamps"]["active_start"].is_number()) {
        phase_start = sc.metadata["phase_timestamps"]["active_start"].get<double>();
    }

    for (auto id : containers_in(run, sc, config, ph.active_begin, ph.active_end)) {
        const std::string& name = run.container_name(id);
        LeakResult lr;
        lr.container = name;
        const auto th = thresholds_for(config, name);
        const auto ws = extract(sc, id, ph.active_begin, ph.active_end, kWorkingSet);
        const auto rss = extract(sc, id, ph.active_begin, ph.active_end, kRss);
        const auto cpu = extract(sc, id, ph.active_begin, ph.active_end, kCpu);
        lr.seed_memory_slope_mb_per_min = stats::endpoint_slope(minutes_since_first(ws.t), ws.y);
        lr.seed_cpu_slope_percent_per_min = stats::endpoint_slope(minutes_since_first(cpu.t), cpu.y);
        if (lr.seed_memory_slope_mb_per_min) {
            lr.seed_memory_slope_mb_per_min = model::round_half_even(*lr.seed_memory_slope_mb_per_min, 3);
            lr.seed_memory_leak_detected = *lr.seed_memory_slope_mb_per_min > th.memory_leak_mb_per_min;
        }
        if (lr.seed_cpu_slope_percent_per_min) {
            lr.seed_cpu_slope_percent_per_min = model::round_half_even(*lr.seed_cpu_slope_percent_per_min, 3);
            lr.seed_cpu_leak_detected = *lr.seed_cpu_slope_percent_per_min > th.cpu_leak_percent_per_min;
        }
        lr.ols_memory_slope_mb_per_min = stats::ols_slope(minutes_since_first(ws.t), ws.y);
        // Seed tiers (README) on the plain OLS slope of the active phase, the least noisy of the seed-style
        // slopes.
        if (lr.ols_memory_slope_mb_per_min) {
            const double b = *lr.ols_memory_slope_mb_per_min;
            lr.tier = b < th.memory_leak_monitor_mb_per_min ? "normal"
                      : b <= th.memory_leak_mb_per_min      ? "monitor"
                                                            : "investigate";
        }
        // rss where the samples have it (at least as many as working set ones), else working set.
        const bool use_rss = !rss.t.empty() && rss.t.size() >= ws.t.size();
        const Series& mem = use_rss ? rss : ws;
        auto settings = leak_settings(config, name);
        double limit = 0;
        for (std::size_t i = ph.active_begin; i < ph.active_end && i < sc.samples.size(); ++i) {
            if (const auto* c = sc.samples[i].find(id); c && !c->missing && c->memory_limit_mb > 0) {
                limit = c->memory_limit_mb;
            }
        }
        if (limit > 0) {
            settings.limit = limit;
        }
        const auto mem_assessment = assess_leak(mem.t, mem.y, active_n, settings, phase_start);
        lr.verdict = mem_assessment.verdict;
        lr.reason = mem_assessment.reason;
        lr.statistics = mem_assessment.to_json();
        lr.statistics["signal"] = use_rss ? "rss" : "working_set";
        lr.statistics["threshold_mb_per_min"] = settings.threshold;
        lr.statistics["memory_limit_mb"] = limit > 0 ? nlohmann::json(limit) : nlohmann::json(nullptr);

        LeakRuleSettings cpu_settings = settings;
        cpu_settings.threshold = th.cpu_leak_percent_per_min;
        cpu_settings.monitor_threshold = th.cpu_leak_percent_per_min / 2.0;
        cpu_settings.envelope_allowed = false;
        cpu_settings.envelope_configured = false;
        cpu_settings.leak_allowed = false;
        cpu_settings.limit.reset();
        const auto cpu_assessment = assess_leak(cpu.t, cpu.y, active_n, cpu_settings, phase_start);
        lr.statistics["cpu"] = cpu_assessment.to_json();
        d.leaks.push_back(std::move(lr));
    }

    // Cooldown: medians of the last W_a s of the active phase and the last W_c s of the cooldown (§9).
    if (ph.has_counts && ph.active_end > ph.active_begin && ph.cooldown_end > ph.drain_end) {
        const double wa = positive_or(config.analysis.cooldown_active_window_seconds, 60);
        const double wc = positive_or(config.analysis.cooldown_window_seconds, 120);
        std::vector<std::string> names;
        for (auto id : containers_in(run, sc, config, ph.active_begin, ph.cooldown_end)) {
            names.push_back(run.container_name(id));
        }
        for (const auto& name : names) {
            const auto id = *run.find_container(name);
            CooldownResult cr;
            cr.container = name;
            const auto a_ws = extract(sc, id, ph.active_begin, ph.active_end, kWorkingSet);
            const auto c_ws = extract(sc, id, ph.drain_end, ph.cooldown_end, kWorkingSet);
            auto a = window_tail(a_ws, wa);
            auto c = window_tail(c_ws, wc);
            cr.k_active = static_cast<int>(a.size());
            cr.k_cooldown = static_cast<int>(c.size());
            cr.statistics["active_window_seconds"] = wa;
            cr.statistics["cooldown_window_seconds"] = wc;
            if (a.empty() || c.empty()) {
                cr.classification = "no_data";
                d.cooldown.push_back(std::move(cr));
                continue;
            }
            const auto hl = stats::hodges_lehmann(a, c);
            const double ma = stats::median_inplace(a);
            const double mc = stats::median_inplace(c);
            cr.active_end_mb = model::round_half_even(ma, 2);
            cr.cooldown_end_mb = model::round_half_even(mc, 2);
            cr.delta_mb = model::round_half_even(mc - ma, 2);
            if (ma > 0) {
                cr.delta_percent = model::round_half_even((mc - ma) / ma * 100.0, 2);
            }
            cr.memory_released = mc - ma < 0;
            const double tol = std::max(2.0, 0.01 * ma);
            cr.classification = hl.upper < -tol ? "released" : hl.lower > tol ? "retained" : "unchanged";
            cr.statistics["hl_shift_mb"] = rounded(hl.shift, 2);
            cr.statistics["hl_ci95_mb"] = nlohmann::json::array({rounded(hl.lower, 2), rounded(hl.upper, 2)});
            cr.statistics["tolerance_mb"] = rounded(tol, 2);
            // Same comparison on rss when both windows have it.
            const auto a_rss = window_tail(extract(sc, id, ph.active_begin, ph.active_end, kRss), wa);
            const auto c_rss = window_tail(extract(sc, id, ph.drain_end, ph.cooldown_end, kRss), wc);
            if (!a_rss.empty() && !c_rss.empty()) {
                auto ar = a_rss, crs = c_rss;
                cr.statistics["rss_active_end_mb"] = rounded(stats::median_inplace(ar), 2);
                cr.statistics["rss_cooldown_end_mb"] = rounded(stats::median_inplace(crs), 2);
            }
            // Compared with the baseline scenario's median for the same container, when there is one.
            if (const auto* base = run.find_scenario(model::scenario_names::kBaseline)) {
                auto b = extract(*base, id, 0, base->samples.size(), kWorkingSet).y;
                if (!b.empty()) {
                    const double mb = stats::median_inplace(b);
                    cr.statistics["baseline_median_mb"] = rounded(mb, 2);
                    cr.statistics["returned_to_baseline"] = std::fabs(mc - mb) <= std::max(2.0, 0.01 * mb);
                }
            }
            d.cooldown.push_back(std::move(cr));
        }
    }
    return d;
}

nlohmann::json leak_result_json(const LeakResult& l) {
    nlohmann::json j = nlohmann::json::object();
    j["memory_slope_mb_per_min"] = rounded(l.seed_memory_slope_mb_per_min, 3);
    j["cpu_slope_percent_per_min"] = rounded(l.seed_cpu_slope_percent_per_min, 3);
    j["memory_leak_detected"] = l.seed_memory_leak_detected;
    j["cpu_leak_detected"] = l.seed_cpu_leak_detected;
    j["ols_memory_slope_mb_per_min"] = rounded(l.ols_memory_slope_mb_per_min, 3);
    j["tier"] = l.tier.empty() ? nlohmann::json(nullptr) : nlohmann::json(l.tier);
    j["verdict"] = l.verdict;
    j["reason"] = l.reason;
    j["statistics"] = l.statistics;
    return j;
}

nlohmann::json cooldown_result_json(const CooldownResult& c) {
    nlohmann::json j = nlohmann::json::object();
    j["active_end_mb"] = rounded(c.active_end_mb, 2);
    j["cooldown_end_mb"] = rounded(c.cooldown_end_mb, 2);
    j["delta_mb"] = rounded(c.delta_mb, 2);
    j["delta_percent"] = rounded(c.delta_percent, 2);
    j["memory_released"] = c.memory_released;
    j["classification"] = c.classification;
    j["k_active"] = c.k_active;
    j["k_cooldown"] = c.k_cooldown;
    j["statistics"] = c.statistics;
    return j;
}

nlohmann::json duration_metadata(const model::RunResult& run, const model::ScenarioResult& scenario,
                                 const config::Config& config) {
    const auto d = analyze_duration(run, scenario, config);
    nlohmann::json out = nlohmann::json::object();
    out["phase_analysis"] = d.phase_analysis;
    nlohmann::json leaks = nlohmann::json::object();
    for (const auto& l : d.leaks) {
        leaks[l.container] = leak_result_json(l);
    }
    out["leak_analysis"] = leaks;
    if (!d.cooldown.empty()) {
        nlohmann::json cd = nlohmann::json::object();
        for (const auto& c : d.cooldown) {
            cd[c.container] = cooldown_result_json(c);
        }
        out["cooldown_analysis"] = cd;
    }
    return out;
}

}  // namespace perfrunner::analysis
