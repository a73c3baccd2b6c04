#include "perfrunner/analysis/duration.hpp"

#include <algorithm>
#include <cmath>

#include "perfrunner/analysis/analysis_json.hpp"
#include "perfrunner/analysis/parallel.hpp"
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

// Seed's endpoint slopes of one phase (reference formula 1); containers with neither slope are left out.
PhaseSlopes phase_slopes(const model::RunResult& run, const model::ScenarioResult& sc,
                         const config::Config& cfg, const char* phase, std::size_t begin, std::size_t end) {
    PhaseSlopes out{phase, {}};
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
        out.containers.push_back({run.container_label(id), ms, cs});
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

namespace {

// The leak rule on one container's active phase: seed slopes, tiers, and the statistical verdict on memory
// and CPU. A pure function of its arguments, so the containers run in parallel (parallel.hpp).
LeakResult leak_result(const model::RunResult& run, const model::ScenarioResult& sc,
                       const config::Config& config, model::ContainerId id, const PhaseRanges& ph,
                       std::optional<double> phase_start) {
    const std::size_t active_n = ph.active_end - ph.active_begin;
    const std::string& name = run.container_label(id);
    LeakResult lr;
    lr.container = name;
    const auto th = thresholds_for(config, name);
    const auto ws = extract(sc, id, ph.active_begin, ph.active_end, kWorkingSet);
    const auto rss = extract(sc, id, ph.active_begin, ph.active_end, kRss);
    const auto cpu = extract(sc, id, ph.active_begin, ph.active_end, kCpu);
    lr.seed_memory_slope_mb_per_min = stats::endpoint_slope(minutes_since_first(ws.t), ws.y);
    lr.seed_cpu_slope_percent_per_min = stats::endpoint_slope(minutes_since_first(cpu.t), cpu.y);
    // The seed flags compare the 3-dp slope the seed writes with the threshold.
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
    lr.memory = assess_leak(mem.t, mem.y, active_n, settings, phase_start);
    lr.verdict = lr.memory.verdict;
    lr.reason = lr.memory.reason;
    lr.signal = use_rss ? "rss" : "working_set";
    lr.threshold_mb_per_min = settings.threshold;
    if (limit > 0) {
        lr.memory_limit_mb = limit;
    }

    LeakRuleSettings cpu_settings = settings;
    cpu_settings.threshold = th.cpu_leak_percent_per_min;
    cpu_settings.monitor_threshold = th.cpu_leak_percent_per_min / 2.0;
    cpu_settings.envelope_allowed = false;
    cpu_settings.envelope_configured = false;
    cpu_settings.leak_allowed = false;
    cpu_settings.limit.reset();
    lr.cpu = assess_leak(cpu.t, cpu.y, active_n, cpu_settings, phase_start);
    return lr;
}

}  // namespace

DurationAnalysis analyze_duration(const model::RunResult& run, const model::ScenarioResult& sc,
                                  const config::Config& config) {
    DurationAnalysis d;
    const PhaseRanges ph = phase_ranges(sc);
    d.phase_analysis.push_back(phase_slopes(run, sc, config, "active", ph.active_begin, ph.active_end));
    if (ph.has_counts) {
        d.phase_analysis.push_back(phase_slopes(run, sc, config, "drain", ph.active_end, ph.drain_end));
        d.phase_analysis.push_back(phase_slopes(run, sc, config, "cooldown", ph.drain_end, ph.cooldown_end));
    }
    std::optional<double> phase_start;
    if (const auto* md = std::get_if<model::DurationMetadata>(&sc.metadata); md && md->phase_timestamps) {
        phase_start = md->phase_timestamps->active_start;
    }

    const auto ids = containers_in(run, sc, config, ph.active_begin, ph.active_end);
    d.leaks = parallel_map(
        ids.size(), [&](std::size_t i) { return leak_result(run, sc, config, ids[i], ph, phase_start); });

    // Cooldown: medians of the last W_a s of the active phase and the last W_c s of the cooldown (§9).
    if (ph.has_counts && ph.active_end > ph.active_begin && ph.cooldown_end > ph.drain_end) {
        const double wa = positive_or(config.analysis.cooldown_active_window_seconds, 60);
        const double wc = positive_or(config.analysis.cooldown_window_seconds, 120);
        std::vector<std::string> names;
        for (auto id : containers_in(run, sc, config, ph.active_begin, ph.cooldown_end)) {
            names.push_back(run.container_label(id));
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
            cr.statistics.active_window_seconds = wa;
            cr.statistics.cooldown_window_seconds = wc;
            if (a.empty() || c.empty()) {
                cr.classification = "no_data";
                d.cooldown.push_back(std::move(cr));
                continue;
            }
            const auto hl = stats::hodges_lehmann(a, c);
            const double ma = stats::median_inplace(a);
            const double mc = stats::median_inplace(c);
            cr.active_end_mb = ma;
            cr.cooldown_end_mb = mc;
            cr.delta_mb = mc - ma;
            if (ma > 0) {
                cr.delta_percent = (mc - ma) / ma * 100.0;
            }
            cr.memory_released = mc - ma < 0;
            const double tol = std::max(2.0, 0.01 * ma);
            cr.classification = hl.upper < -tol ? "released" : hl.lower > tol ? "retained" : "unchanged";
            cr.statistics.hl_shift_mb = hl.shift;
            cr.statistics.hl_ci95_lower_mb = hl.lower;
            cr.statistics.hl_ci95_upper_mb = hl.upper;
            cr.statistics.tolerance_mb = tol;
            // Same comparison on rss when both windows have it.
            const auto a_rss = window_tail(extract(sc, id, ph.active_begin, ph.active_end, kRss), wa);
            const auto c_rss = window_tail(extract(sc, id, ph.drain_end, ph.cooldown_end, kRss), wc);
            if (!a_rss.empty() && !c_rss.empty()) {
                auto ar = a_rss, crs = c_rss;
                cr.statistics.rss_active_end_mb = stats::median_inplace(ar);
                cr.statistics.rss_cooldown_end_mb = stats::median_inplace(crs);
            }
            // Compared with the baseline scenario's median for the same container, when there is one.
            if (const auto* base = run.find_scenario(model::scenario_names::kBaseline)) {
                auto b = extract(*base, id, 0, base->samples.size(), kWorkingSet).y;
                if (!b.empty()) {
                    const double mb = stats::median_inplace(b);
                    cr.statistics.baseline_median_mb = mb;
                    cr.statistics.returned_to_baseline = std::fabs(mc - mb) <= std::max(2.0, 0.01 * mb);
                }
            }
            d.cooldown.push_back(std::move(cr));
        }
    }
    return d;
}

nlohmann::json duration_metadata(const model::RunResult& run, const model::ScenarioResult& scenario,
                                 const config::Config& config) {
    return duration_analysis_json(analyze_duration(run, scenario, config));
}

}  // namespace perfrunner::analysis
