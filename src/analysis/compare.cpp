#include "perfrunner/analysis/compare.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>

#include <fmt/format.h>

#include "perfrunner/analysis/stats/distributions.hpp"
#include "perfrunner/analysis/stats/holm.hpp"

namespace perfrunner::analysis {

const char* to_string(CompareMetric m) {
    switch (m) {
        case CompareMetric::cpu_percent:
            return "cpu_percent";
        case CompareMetric::memory_mb:
            return "memory_mb";
        case CompareMetric::throughput:
            return "throughput";
        case CompareMetric::status_latency_ms:
            return "status_latency_ms";
        case CompareMetric::real_time_ratio:
            return "real_time_ratio";
    }
    return "cpu_percent";
}

const char* unit_of(CompareMetric m) {
    switch (m) {
        case CompareMetric::cpu_percent:
            return "%";
        case CompareMetric::memory_mb:
            return "MB";
        case CompareMetric::throughput:
            return "events/s";
        case CompareMetric::status_latency_ms:
            return "ms";
        case CompareMetric::real_time_ratio:
            return "";
    }
    return "";
}

WorseDirection worse_direction(CompareMetric m) {
    return m == CompareMetric::throughput || m == CompareMetric::real_time_ratio ? WorseDirection::lower
                                                                                 : WorseDirection::higher;
}

std::string window_name(const std::string& scenario, const std::string& phase) {
    return phase.empty() ? scenario : scenario + "/" + phase;
}

CompareSettings compare_settings(const config::CompareConfig& config) {
    const auto tolerance = [](double percent, double floor, CompareMetric m) {
        return ChangeTolerance{percent / 100.0, floor, worse_direction(m)};
    };
    CompareSettings s;
    s.alpha = config.alpha;
    s.tolerance = {{
        tolerance(config.cpu_tolerance_percent, config.cpu_floor_percent, CompareMetric::cpu_percent),
        tolerance(config.memory_tolerance_percent, config.memory_floor_mb, CompareMetric::memory_mb),
        tolerance(config.throughput_tolerance_percent, config.throughput_floor, CompareMetric::throughput),
        tolerance(config.latency_tolerance_percent, config.latency_floor_ms,
                  CompareMetric::status_latency_ms),
        tolerance(config.rtr_tolerance_percent, config.rtr_floor, CompareMetric::real_time_ratio),
    }};
    s.capacity_tolerance = config.capacity_tolerance_percent / 100.0;
    return s;
}

stats::MedianShift pooled_shift(const std::vector<const stats::MedianShift*>& windows, double alpha) {
    stats::MedianShift r;
    std::vector<const stats::MedianShift*> used;
    for (const auto* w : windows) {
        if (w->valid && w->base.median != 0.0) {
            used.push_back(w);
        }
    }
    const auto count = static_cast<double>(used.size());
    double relative = 0, variance = 0, variance_sq_over_df = 0, base_scale = 0, rho = 0;
    for (const auto* w : used) {
        const double scale = std::fabs(w->base.median);
        const double v = (w->se / scale) * (w->se / scale);
        relative += w->change / scale;
        variance += v;
        variance_sq_over_df += w->df > 0 ? v * v / w->df : 0.0;
        base_scale += scale;
        rho += w->rho;
        r.base.median += w->base.median;
        r.next.median += w->next.median;
        r.base.n += w->base.n;
        r.next.n += w->next.n;
        r.base.n_eff += w->base.n_eff;
        r.next.n_eff += w->next.n_eff;
    }
    if (used.size() < 2) {
        r.why_not = fmt::format("{} loaded window{} with a test, needs 2 to pool", used.size(),
                                used.size() == 1 ? "" : "s");
        return r;
    }
    relative /= count;
    variance /= count * count;
    base_scale /= count;
    r.rho = rho / count;
    r.base.median /= count;
    r.next.median /= count;
    r.base.lower = r.base.upper = r.base.median;
    r.next.lower = r.next.upper = r.next.median;
    r.change = relative * base_scale;
    r.valid = true;
    if (!(variance > 0)) {
        r.df = r.base.n_eff + r.next.n_eff - 2.0;
        r.lower = r.upper = r.change;
        r.p = relative == 0.0 ? 1.0 : 0.0;
        return r;
    }
    r.df = variance_sq_over_df > 0 ? variance * variance * count * count * count * count / variance_sq_over_df
                                   : r.base.n_eff + r.next.n_eff - 2.0;
    const double se_relative = std::sqrt(variance);
    r.se = se_relative * base_scale;
    r.t = relative / se_relative;
    r.p = std::clamp(2.0 * stats::student_t_cdf(-std::fabs(r.t), r.df), 0.0, 1.0);
    const double q = stats::student_t_quantile(1.0 - alpha / 2.0, r.df);
    r.lower = (relative - q * se_relative) * base_scale;
    r.upper = (relative + q * se_relative) * base_scale;
    return r;
}

namespace {

// One pooled comparison per container and metric tested in two or more loaded windows, in the order their
// first window appears (container order, then metric order).
std::vector<MetricComparison> pooled_comparisons(const std::vector<SeriesPair>& pairs,
                                                 const std::vector<MetricComparison>& windows, double alpha) {
    struct Group {
        SeriesKey key;
        std::vector<const stats::MedianShift*> shifts;
        std::vector<std::string> from;
    };
    std::vector<Group> groups;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        if (!pairs[i].loaded || !windows[i].shift.valid || windows[i].shift.base.median == 0.0) {
            continue;
        }
        const auto& key = pairs[i].key;
        auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& g) {
            return g.key.container == key.container && g.key.metric == key.metric;
        });
        if (it == groups.end()) {
            groups.push_back({{kPooledScenario, "", key.container, key.metric}, {}, {}});
            it = std::prev(groups.end());
        }
        it->shifts.push_back(&windows[i].shift);
        it->from.push_back(window_name(key.scenario, key.phase));
    }
    std::vector<MetricComparison> out;
    for (auto& g : groups) {
        if (g.shifts.size() < 2) {
            continue;
        }
        MetricComparison c;
        c.key = g.key;
        c.shift = pooled_shift(g.shifts, alpha);
        c.pooled_from = std::move(g.from);
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace

std::vector<MetricComparison> compare_series(const std::vector<SeriesPair>& pairs,
                                             const CompareSettings& settings) {
    std::vector<MetricComparison> out;
    out.reserve(pairs.size());
    for (const auto& pair : pairs) {
        MetricComparison c;
        c.key = pair.key;
        c.shift = stats::median_shift(pair.base, pair.next, settings.alpha, settings.known_lag1);
        c.base_values = pair.base;
        c.next_values = pair.next;
        out.push_back(std::move(c));
    }
    auto pooled = pooled_comparisons(pairs, out, settings.alpha);
    std::move(pooled.begin(), pooled.end(), std::back_inserter(out));

    // The family is every comparison that has a test: one without cannot reject, so it cannot spend α.
    std::vector<double> p;
    std::vector<std::size_t> tested;  // indexes into out of the comparisons that have a test
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i].shift.valid) {
            tested.push_back(i);
            p.push_back(out[i].shift.p);
        }
    }
    const auto adjusted = stats::holm_adjust(p);
    std::vector<double> p_adjusted(out.size(), 1.0);
    for (std::size_t i = 0; i < tested.size(); ++i) {
        p_adjusted[tested[i]] = adjusted[i];
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        auto tolerance = settings.tolerance_for(out[i].key.metric);
        tolerance.worse = worse_direction(out[i].key.metric);
        out[i].verdict = judge_change(out[i].shift, p_adjusted[i], tolerance, settings.alpha);
    }
    return out;
}

CapacityComparison compare_capacity(const CapacityFigures& base, const CapacityFigures& next,
                                    double tolerance) {
    CapacityComparison c;
    c.base = base;
    c.next = next;
    if (base.last_healthy && next.last_healthy && *base.last_healthy > 0) {
        const auto b = static_cast<double>(*base.last_healthy);
        const auto n = static_cast<double>(*next.last_healthy);
        c.last_healthy_change = n / b - 1.0;
        const double step = std::max(base.step.value_or(0.0), next.step.value_or(0.0));
        c.regression = b - n > tolerance * b && b - n > step;
    }
    if (base.peak_load && next.peak_load && *base.peak_load > 0) {
        c.peak_load_change = *next.peak_load / *base.peak_load - 1.0;
    }
    return c;
}

SpeedComparison compare_speed(std::optional<int> base, std::optional<int> next) {
    SpeedComparison c;
    c.base = base;
    c.next = next;
    c.regression = base && next && *next < *base;
    return c;
}

std::vector<LeakComparison> compare_leaks(const std::vector<std::pair<std::string, std::string>>& base,
                                          const std::vector<std::pair<std::string, std::string>>& next) {
    std::vector<LeakComparison> out;
    const auto find = [&](const std::string& container) -> LeakComparison& {
        for (auto& c : out) {
            if (c.container == container) {
                return c;
            }
        }
        out.push_back({container, "", "", false});
        return out.back();
    };
    for (const auto& [container, verdict] : base) {
        find(container).base = verdict;
    }
    for (const auto& [container, verdict] : next) {
        find(container).next = verdict;
    }
    for (auto& c : out) {
        c.regression = c.next == "leak" && c.base != "leak";
    }
    return out;
}

std::vector<OomComparison> compare_ooms(const std::vector<std::pair<std::string, long>>& base,
                                        const std::vector<std::pair<std::string, long>>& next) {
    std::map<std::string, OomComparison> by_container;
    for (const auto& [container, count] : base) {
        auto& c = by_container[container];
        c.container = container;
        c.base += count;
    }
    for (const auto& [container, count] : next) {
        auto& c = by_container[container];
        c.container = container;
        c.next += count;
    }
    std::vector<OomComparison> out;
    out.reserve(by_container.size());
    for (auto& [name, c] : by_container) {
        c.regression = c.next > c.base;
        out.push_back(c);
    }
    return out;
}

}  // namespace perfrunner::analysis
