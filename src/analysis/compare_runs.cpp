#include "perfrunner/analysis/compare_runs.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <variant>

#include <fmt/format.h>

#include "perfrunner/analysis/series.hpp"
#include "perfrunner/analysis/stats/order_statistics.hpp"
#include "perfrunner/model/scenario_names.hpp"

namespace perfrunner::analysis {

namespace {

namespace names = model::scenario_names;

// A stretch of one scenario's samples at one steady load: what a series comparison compares.
struct Window {
    std::string scenario, phase;
    const model::ScenarioResult* result = nullptr;
    std::size_t begin = 0, end = 0;
};

std::vector<Window> windows_of(const model::RunResult& run, const Analysis& analysis) {
    std::vector<Window> out;
    if (const auto* s = run.find_scenario(names::kBaseline)) {
        out.push_back({names::kBaseline, "", s, 0, s->samples.size()});
    }
    if (const auto* s = run.find_scenario(names::kDuration)) {
        const auto ranges = phase_ranges(*s);
        out.push_back({names::kDuration, "active", s, ranges.active_begin, ranges.active_end});
    }
    if (const auto* s = run.find_scenario(names::kSpeed); s != nullptr && analysis.speed) {
        std::size_t begin = 0;
        for (const auto& step : analysis.speed->steps) {
            const std::size_t end = std::min(begin + step.sample_count, s->samples.size());
            out.push_back({names::kSpeed, fmt::format("x{}", step.multiplier), s, begin, end});
            begin = end;
        }
    }
    return out;
}

const Window* find_window(const std::vector<Window>& windows, const Window& like) {
    for (const auto& w : windows) {
        if (w.scenario == like.scenario && w.phase == like.phase) {
            return &w;
        }
    }
    return nullptr;
}

std::optional<double> container_value(const model::ContainerSample& c, CompareMetric metric) {
    if (c.missing) {
        return std::nullopt;
    }
    if (metric == CompareMetric::cpu_percent) {
        return c.cpu_percent;
    }
    return c.memory_used_mb;
}

std::optional<double> simulation_value(const model::Sample& s, CompareMetric metric) {
    if (!s.pace) {
        return std::nullopt;
    }
    switch (metric) {
        case CompareMetric::throughput:
            return s.pace->events_per_sec;
        case CompareMetric::status_latency_ms:
            return s.pace->status_latency_ms;
        case CompareMetric::real_time_ratio:
            return s.pace->real_time_ratio;
        default:
            return std::nullopt;
    }
}

std::vector<double> series(const model::RunResult& run, const Window& w, const std::string& container,
                           CompareMetric metric) {
    std::vector<double> y;
    const auto id = container.empty() ? std::nullopt : run.find_container(container);
    if (!container.empty() && !id) {
        return y;
    }
    for (std::size_t i = w.begin; i < w.end; ++i) {
        const auto& sample = w.result->samples[i];
        std::optional<double> v;
        if (container.empty()) {
            v = simulation_value(sample, metric);
        } else if (const auto* c = sample.find(*id)) {
            v = container_value(*c, metric);
        }
        if (v && std::isfinite(*v)) {
            y.push_back(*v);
        }
    }
    return y;
}

std::vector<std::string> containers_in(const model::RunResult& run, const Window& w) {
    std::vector<std::string> names;
    for (std::size_t i = w.begin; i < w.end; ++i) {
        for (const auto& c : w.result->samples[i].containers) {
            if (!c.missing) {
                names.push_back(run.container_label(c.container));
            }
        }
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

std::optional<double> agents(const model::ScenarioResult& s) {
    const auto& p = s.scenario_params;
    if (p.is_object() && p.contains("drivers") && p["drivers"].is_number()) {
        return p["drivers"].get<double>();
    }
    return std::nullopt;
}

std::vector<SeriesPair> series_pairs(const model::RunResult& base, const Analysis& base_analysis,
                                     const model::RunResult& next, const Analysis& next_analysis,
                                     const config::Config& config, std::vector<std::string>& notes) {
    std::vector<SeriesPair> pairs;
    const auto next_windows = windows_of(next, next_analysis);
    for (const auto& bw : windows_of(base, base_analysis)) {
        const Window* nw = find_window(next_windows, bw);
        const std::string where = window_name(bw.scenario, bw.phase);
        if (nw == nullptr) {
            notes.push_back(where + ": only in the base run, not compared");
            continue;
        }
        if (bw.scenario == names::kDuration) {
            const auto a = agents(*bw.result), b = agents(*nw->result);
            if (a && b && *a != *b) {
                notes.push_back(
                    fmt::format("{}: {:g} drivers in the base run, {:g} in the new run: its series "
                                "compare different loads (pin them with --agents)",
                                where, *a, *b));
            }
        }
        const bool loaded = bw.scenario != names::kBaseline;
        auto containers = containers_in(base, bw);
        const auto in_next = containers_in(next, *nw);
        std::erase_if(containers, [&](const std::string& c) {
            return !std::binary_search(in_next.begin(), in_next.end(), c);
        });
        sort_containers(containers, config);
        for (const auto& container : containers) {
            for (const auto metric : {CompareMetric::cpu_percent, CompareMetric::memory_mb}) {
                pairs.push_back({{bw.scenario, bw.phase, container, metric},
                                 series(base, bw, container, metric),
                                 series(next, *nw, container, metric),
                                 loaded});
            }
        }
        for (const auto metric :
             {CompareMetric::throughput, CompareMetric::status_latency_ms, CompareMetric::real_time_ratio}) {
            SeriesPair pair{{bw.scenario, bw.phase, "", metric},
                            series(base, bw, "", metric),
                            series(next, *nw, "", metric),
                            loaded};
            if (!pair.base.empty() && !pair.next.empty()) {
                pairs.push_back(std::move(pair));
            }
        }
    }
    return pairs;
}

const model::StressStepResult* step_mode(const model::RunResult& run) {
    const auto* s = run.find_scenario(names::kStress);
    const auto* md = s == nullptr ? nullptr : std::get_if<model::StressMetadata>(&s->metadata);
    return md == nullptr || !md->step_mode ? nullptr : &*md->step_mode;
}

std::optional<double> level_spacing(const model::StressStepResult& steps) {
    std::vector<double> levels;
    for (const auto& s : steps.steps) {
        levels.push_back(static_cast<double>(s.live_drivers));
    }
    std::sort(levels.begin(), levels.end());
    std::vector<double> gaps;
    for (std::size_t i = 1; i < levels.size(); ++i) {
        if (levels[i] > levels[i - 1]) {
            gaps.push_back(levels[i] - levels[i - 1]);
        }
    }
    if (gaps.empty()) {
        return std::nullopt;
    }
    return stats::median_by_selection(gaps);
}

std::optional<double> usl_peak(const model::RunResult& run) {
    const auto usl = usl_capacity(run);
    return usl ? usl->fit.peak_load : std::nullopt;
}

void compare_capacity_of(const model::RunResult& base, const Analysis& base_analysis,
                         const model::RunResult& next, const Analysis& next_analysis,
                         const CompareSettings& settings, CompareResult& out) {
    const auto* base_steps = step_mode(base);
    const auto* next_steps = step_mode(next);
    CapacityFigures b, n;
    if (base_steps != nullptr && next_steps != nullptr) {
        out.capacity_kind = "live drivers (step mode)";
        b = {base_steps->last_healthy, base_steps->breaking_point, level_spacing(*base_steps),
             usl_peak(base)};
        n = {next_steps->last_healthy, next_steps->breaking_point, level_spacing(*next_steps),
             usl_peak(next)};
    } else if (base_steps == nullptr && next_steps == nullptr && base_analysis.stress &&
               next_analysis.stress && base_analysis.stress->drivers_queued &&
               next_analysis.stress->drivers_queued) {
        out.capacity_kind = "drivers queued (ramp)";
        b.last_healthy = base_analysis.stress->drivers_queued;
        n.last_healthy = next_analysis.stress->drivers_queued;
    } else if (base_analysis.stress || next_analysis.stress) {
        out.notes.push_back(
            "stress_test: capacity not compared (one run used step mode, the other the ramp, "
            "or a run has no stress figures)");
    }
    out.capacity = compare_capacity(b, n, settings.capacity_tolerance);
}

std::vector<std::pair<std::string, std::string>> leak_verdicts(const Analysis& a) {
    std::vector<std::pair<std::string, std::string>> out;
    if (a.duration) {
        for (const auto& l : a.duration->leaks) {
            out.emplace_back(l.container, l.verdict);
        }
    }
    return out;
}

std::vector<std::pair<std::string, long>> oom_counts(const model::RunResult& run) {
    std::vector<std::pair<std::string, long>> out;
    for (const auto& s : run.scenarios) {
        for (const auto& e : s.oom_events) {
            out.emplace_back(e.container_name, 1);
        }
    }
    return out;
}

std::string percent(std::optional<double> fraction) {
    return fraction ? fmt::format("{:+.1f} %", *fraction * 100.0) : "n/a";
}

void list_regressions(CompareResult& out) {
    for (const auto& m : out.metrics) {
        if (m.verdict.change_class != ChangeClass::regression) {
            continue;
        }
        const std::string change = m.verdict.relative
                                       ? percent(m.verdict.relative)
                                       : fmt::format("{:+.3g} {}", m.shift.change, unit_of(m.key.metric));
        const std::string median =
            m.pooled() ? fmt::format("mean of {} loaded windows' medians", m.pooled_from.size()) : "median";
        out.regressions.push_back(fmt::format(
            "{}: {} ({} {:.4g} → {:.4g} {}, p = {:.2g} after Holm)", describe(m.key), change, median,
            m.shift.base.median, m.shift.next.median, unit_of(m.key.metric), m.verdict.p_adjusted));
    }
    if (out.capacity.regression) {
        out.regressions.push_back(fmt::format(
            "stress_test capacity: last healthy {} → {} {} ({})", *out.capacity.base.last_healthy,
            *out.capacity.next.last_healthy, out.capacity_kind, percent(out.capacity.last_healthy_change)));
    }
    if (out.speed.regression) {
        out.regressions.push_back(
            fmt::format("speed_scaling: max speed passed x{} → x{}", *out.speed.base, *out.speed.next));
    }
    for (const auto& l : out.leaks) {
        if (l.regression) {
            out.regressions.push_back(fmt::format("duration_leak {} memory: leak (base run: {})", l.container,
                                                  l.base.empty() ? "not analysed" : l.base));
        }
    }
    for (const auto& o : out.ooms) {
        if (o.regression) {
            out.regressions.push_back(fmt::format("OOM events {}: {} → {}", o.container, o.base, o.next));
        }
    }
}

}  // namespace

std::string describe(const SeriesKey& key) {
    std::string s = window_name(key.scenario, key.phase);
    if (!key.container.empty()) {
        s += " " + key.container;
    }
    return s + " " + to_string(key.metric);
}

CompareResult compare_runs(const model::RunResult& base, const Analysis& base_analysis,
                           const model::RunResult& next, const Analysis& next_analysis,
                           const config::Config& config, const CompareSettings& settings) {
    CompareResult out;
    out.metrics =
        compare_series(series_pairs(base, base_analysis, next, next_analysis, config, out.notes), settings);
    compare_capacity_of(base, base_analysis, next, next_analysis, settings, out);
    if (base_analysis.speed && next_analysis.speed) {
        out.speed =
            compare_speed(base_analysis.speed->max_speed_passed, next_analysis.speed->max_speed_passed);
    }
    out.leaks = compare_leaks(leak_verdicts(base_analysis), leak_verdicts(next_analysis));
    out.ooms = compare_ooms(oom_counts(base), oom_counts(next));
    list_regressions(out);
    return out;
}

}  // namespace perfrunner::analysis
