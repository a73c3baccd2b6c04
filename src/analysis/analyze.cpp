#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "perfrunner/analysis/analysis.hpp"
#include "perfrunner/analysis/duration.hpp"
#include "perfrunner/analysis/early_stop.hpp"
#include "perfrunner/analysis/parallel.hpp"
#include "perfrunner/analysis/series.hpp"
#include "perfrunner/analysis/stats/descriptive.hpp"
#include "perfrunner/analysis/stats/ols.hpp"
#include "perfrunner/analysis/stress_speed.hpp"
#include "perfrunner/model/rounding.hpp"
#include "perfrunner/model/scenario_names.hpp"

namespace perfrunner::analysis {

const char* to_string(Severity s) {
    switch (s) {
        case Severity::info:
            return "info";
        case Severity::warning:
            return "warning";
        case Severity::critical:
            return "critical";
    }
    return "info";
}

const char* to_string(Verdict v) {
    switch (v) {
        case Verdict::pass:
            return "pass";
        case Verdict::warning:
            return "warning";
        case Verdict::fail:
            return "fail";
        case Verdict::incomplete:
            return "incomplete";
    }
    return "pass";
}

namespace {

constexpr const char* kRecOom = "Increase memory limit or optimize memory usage";
constexpr const char* kRecMemory = "Increase memory limit or investigate memory usage";
constexpr const char* kRecCpu = "Investigate CPU hotspots or increase CPU allocation";
constexpr const char* kRecLeak = "Profile memory allocation and check for leaks";
constexpr const char* kRecOomGeneral = "Review memory limits - OOM events detected during testing";
constexpr const char* kRecLeakGeneral = "Run profiling to identify memory leak sources";

bool is_duration(const std::string& n) {
    return n == model::scenario_names::kDuration;
}
bool is_level_scenario(const std::string& n) {
    return n == model::scenario_names::kBaseline || is_duration(n);
}

ContainerSummary summarize(const model::ScenarioResult& sc, model::ContainerId id, const std::string& name) {
    ContainerSummary cs;
    cs.container = name;
    std::vector<double> t_mem, mem, pct, t_cpu, cpu;
    std::optional<double> cores;
    for (const auto& sample : sc.samples) {
        const auto* c = sample.find(id);
        if (c == nullptr || c->missing) {
            continue;
        }
        t_mem.push_back(sample.timestamp);
        mem.push_back(c->memory_used_mb);
        pct.push_back(c->memory_percent);
        if (c->memory_limit_mb > 0) {
            cs.memory_limit_mb = c->memory_limit_mb;
        }
        if (c->cpu_cores_effective) {
            cores = c->cpu_cores_effective;
        }
        if (c->cpu_percent) {
            t_cpu.push_back(sample.timestamp);
            cpu.push_back(*c->cpu_percent);
        }
    }
    cs.memory_mb = stats::describe(mem);
    cs.memory_percent = stats::describe(pct);
    cs.cpu_percent = stats::describe(cpu);
    if (cores) {
        cs.cpu_cores_effective = *cores;
    }
    cs.memory_slope_mb_per_min = stats::ols_slope(minutes_since_first(t_mem), mem);
    cs.cpu_slope_percent_per_min = stats::ols_slope(minutes_since_first(t_cpu), cpu);
    // n ≥ 2 with identical timestamps: the reference writes 0.0 (var = 0); keep null only for n < 2.
    if (!cs.memory_slope_mb_per_min && mem.size() >= 2) {
        cs.memory_slope_mb_per_min = 0.0;
    }
    if (!cs.cpu_slope_percent_per_min && cpu.size() >= 2) {
        cs.cpu_slope_percent_per_min = 0.0;
    }
    return cs;
}

void add(Analysis& a, Finding f) {
    a.findings.push_back(std::move(f));
}

}  // namespace

Analysis analyze(const model::RunResult& run, const config::Config& config) {
    Analysis a;
    // Scenario summaries.
    for (const auto& sc : run.scenarios) {
        ScenarioSummary ss;
        ss.scenario_name = sc.scenario_name;
        ss.total_samples = sc.samples.size();
        const auto ids = containers_in(run, sc, config, 0, sc.samples.size());
        ss.containers = parallel_map(
            ids.size(), [&](std::size_t i) { return summarize(sc, ids[i], run.container_label(ids[i])); });
        if (sc.samples.empty()) {
            ss.unsampled = sc.aborted
                               ? "aborted before sampling: " + sc.abort_reason.value_or("no reason recorded")
                               : std::string("no samples recorded");
        }
        a.scenario_summaries.push_back(std::move(ss));
        if (sc.aborted) {
            ++a.scenarios_failed;
        } else {
            ++a.scenarios_passed;
        }
    }

    // Sections come from scenarios with samples only (a scenario aborted before sampling says so instead).
    const model::ScenarioResult* duration = nullptr;
    for (const auto& sc : run.scenarios) {
        if (is_duration(sc.scenario_name) && !sc.samples.empty()) {
            duration = &sc;
        }
    }
    if (duration != nullptr) {
        a.duration = analyze_duration(run, *duration, config);
    }
    if (const auto* st = run.find_scenario(model::scenario_names::kStress);
        st != nullptr && !st->samples.empty()) {
        a.stress = analyze_stress(run, *st);
        a.stress->usl = usl_capacity(run);
    }
    a.calibration = calibration_report(run);
    if (const auto* sp = run.find_scenario(model::scenario_names::kSpeed);
        sp != nullptr && !sp->samples.empty()) {
        a.speed = analyze_speed(run, *sp, config);
    }

    // Findings.
    for (std::size_t si = 0; si < run.scenarios.size(); ++si) {
        const auto& sc = run.scenarios[si];
        for (const auto& ev : sc.oom_events) {
            std::string name = ev.container_name;
            if (name.empty() && ev.extra.is_object() && ev.extra.contains("container") &&
                ev.extra["container"].is_string()) {
                name = ev.extra["container"].get<std::string>();
            }
            if (name.empty()) {
                name = "unknown";
            }
            ++a.total_oom_events;
            add(a, {Severity::critical, "oom_event", name, "OOM event detected in " + name, std::nullopt,
                    std::nullopt, sc.scenario_name, kRecOom, sc.scenario_name + "/" + name + "/oom_event"});
        }
        if (sc.samples.empty() || !is_level_scenario(sc.scenario_name)) {
            continue;  // bug 23: saturation is no finding
        }
        for (const auto& cs : a.scenario_summaries[si].containers) {
            const auto th = thresholds_for(config, cs.container);
            const std::string disp = display_name(config, cs.container);
            if (cs.memory_limit_mb > 0 && cs.memory_mb.n > 0) {
                const double pct = cs.memory_mb.max / cs.memory_limit_mb * 100.0;
                const bool crit = pct >= th.memory_critical_percent;
                if (crit || pct >= th.memory_warning_percent) {
                    add(a, {crit ? Severity::critical : Severity::warning, "high_memory_usage", cs.container,
                            fmt::format("{} memory at {:.1f}% of limit", disp, pct),
                            model::round_half_even(pct, 2),
                            crit ? th.memory_critical_percent : th.memory_warning_percent, sc.scenario_name,
                            crit ? kRecMemory : "", sc.scenario_name + "/" + cs.container + "/memory"});
                }
            }
            if (cs.cpu_percent.n > 0) {
                const double cores = effective_cores(config, cs.container, cs.cpu_cores_effective);
                const double crit_at = th.cpu_critical_percent * cores;
                const double warn_at = th.cpu_warning_percent * cores;
                const bool crit = cs.cpu_percent.max >= crit_at;
                if (crit || cs.cpu_percent.max >= warn_at) {
                    add(a, {crit ? Severity::critical : Severity::warning, "high_cpu_usage", cs.container,
                            fmt::format("{} CPU peaked at {:.1f}% ({:.2g} cores)", disp, cs.cpu_percent.max,
                                        cores),
                            model::round_half_even(cs.cpu_percent.max, 2),
                            model::round_half_even(crit ? crit_at : warn_at, 2), sc.scenario_name,
                            crit ? kRecCpu : "", sc.scenario_name + "/" + cs.container + "/cpu"});
                }
            }
        }
    }
    if (a.duration) {
        for (const auto& l : a.duration->leaks) {
            const std::string disp = display_name(config, l.container);
            const bool has_slope = l.memory.computed && std::isfinite(l.memory.theil_sen.slope);
            const double slope_value = has_slope ? l.memory.theil_sen.slope : 0.0;
            const std::optional<double> metric =
                has_slope ? std::optional<double>(model::round_half_even(slope_value, 2))
                          : std::optional<double>();
            const double threshold = thresholds_for(config, l.container).memory_leak_mb_per_min;
            const std::string check = duration->scenario_name + "/" + l.container + "/memory_leak";
            if (l.verdict == "leak") {
                const bool soon = l.memory.t_limit_minutes && *l.memory.t_limit_minutes < 24 * 60;
                add(a, {soon ? Severity::critical : Severity::warning, "memory_leak", l.container,
                        fmt::format("{} memory growing at {:.2f} MB/min", disp, slope_value), metric,
                        threshold, duration->scenario_name, kRecLeak, check});
            } else if (l.seed_memory_leak_detected && l.seed_memory_slope_mb_per_min &&
                       (l.verdict == "suspect" || l.verdict == "inconclusive")) {
                // The reference rule flags a leak the statistics cannot confirm (issue 10): never silent, at
                // least a warning that says so and how long an active phase would settle it.
                const double seed_slope = *l.seed_memory_slope_mb_per_min;
                std::string longer = "a longer active phase";
                if (l.memory.needed_active_minutes) {
                    longer = fmt::format("an active phase of at least {:.0f} min",
                                         std::ceil(*l.memory.needed_active_minutes));
                }
                add(a, {Severity::warning, "memory_leak", l.container,
                        fmt::format(
                            "{} memory rose {:.2f} MB/min over the active phase, a leak by the reference "
                            "rule that the statistics cannot confirm ({}: {}); {} would tell",
                            disp, seed_slope, l.verdict, l.reason, longer),
                        model::round_half_even(seed_slope, 2), threshold, duration->scenario_name, kRecLeak,
                        check});
            } else if (l.verdict == "suspect") {
                add(a, {Severity::info, "memory_leak", l.container,
                        fmt::format("{} memory may be growing at {:.2f} MB/min (suspect)", disp, slope_value),
                        metric, threshold, duration->scenario_name, kRecLeak, check});
            }
            if (l.cpu.verdict == "suspect") {
                const double cs =
                    l.cpu.computed && std::isfinite(l.cpu.theil_sen.slope) ? l.cpu.theil_sen.slope : 0.0;
                add(a, {Severity::info, "cpu_leak", l.container,
                        fmt::format("{} CPU growing at {:.2f} %/min (suspect)", disp, cs),
                        model::round_half_even(cs, 2),
                        thresholds_for(config, l.container).cpu_leak_percent_per_min, duration->scenario_name,
                        "", duration->scenario_name + "/" + l.container + "/cpu_leak"});
            }
        }
    }
    if (a.stress && a.stress->trigger) {
        const auto& t = *a.stress->trigger;
        const std::string c = t.container.empty() ? std::string("unknown") : t.container;
        add(a,
            {Severity::info, "stress_threshold", c,
             fmt::format("Stress test stopped by {} {} (measurement, not a finding of the platform's health)",
                         display_name(config, c), t.metric.empty() ? std::string("?") : t.metric),
             t.value, t.threshold, model::scenario_names::kStress, "",
             std::string(model::scenario_names::kStress) + "/" + c + "/trigger"});
    }

    // Verdict, counts, recommendations.
    bool any_leak = false;
    for (const auto& f : a.findings) {
        if (f.severity == Severity::critical) {
            ++a.critical_count;
        }
        if (f.severity == Severity::warning) {
            ++a.warning_count;
        }
        if (f.category == "memory_leak" && f.severity != Severity::info) {
            any_leak = true;
        }
    }
    const EarlyStop stop = early_stop(run);
    a.verdict = (a.critical_count > 0 || a.total_oom_events > 0 || stop == EarlyStop::oom) ? Verdict::fail
                : (a.scenarios_passed == 0 || stop == EarlyStop::other) ? Verdict::incomplete
                : a.warning_count > 0                                   ? Verdict::warning
                                                                        : Verdict::pass;
    std::set<std::string> seen;
    const auto recommend = [&](const std::string& r) {
        if (!r.empty() && seen.insert(r).second) {
            a.recommendations.push_back(r);
        }
    };
    for (const auto& f : a.findings) {
        if (f.severity != Severity::info) {
            recommend(f.recommendation);
        }
    }
    if (a.total_oom_events > 0) {
        recommend(kRecOomGeneral);
    }
    if (any_leak) {
        recommend(kRecLeakGeneral);
    }

    // Container health: the duration scenario if it has samples, else the last scenario with samples (an
    // aborted scenario's leftovers would read as an idle platform).
    const model::ScenarioResult* hs = duration;
    for (auto it = run.scenarios.rbegin(); hs == nullptr && it != run.scenarios.rend(); ++it) {
        if (!it->samples.empty()) {
            hs = &*it;
        }
    }
    if (hs != nullptr) {
        a.container_health_scenario = hs->scenario_name;
        for (auto id : containers_in(run, *hs, config, 0, hs->samples.size())) {
            const std::string& name = run.container_label(id);
            ContainerHealth h;
            h.container_name = name;
            h.display_name = display_name(config, name);
            std::optional<double> cores;
            for (const auto& sample : hs->samples) {
                const auto* c = sample.find(id);
                if (c == nullptr || c->missing) {
                    continue;
                }
                h.memory_current_mb = c->memory_used_mb;
                if (c->memory_limit_mb > 0) {
                    h.memory_limit_mb = c->memory_limit_mb;
                }
                if (c->cpu_percent) {
                    h.cpu_current_percent = *c->cpu_percent;
                    h.cpu_peak_percent = std::max(h.cpu_peak_percent, *c->cpu_percent);
                }
                if (c->cpu_cores_effective) {
                    cores = c->cpu_cores_effective;
                }
            }
            h.memory_percent = h.memory_limit_mb > 0 ? h.memory_current_mb / h.memory_limit_mb * 100.0 : 0.0;
            if (duration != nullptr && a.duration) {
                for (const auto& l : a.duration->leaks) {
                    if (l.container == name) {
                        h.memory_leak_rate_mb_per_min = l.ols_memory_slope_mb_per_min;
                    }
                }
            } else {
                for (const auto& ss : a.scenario_summaries) {
                    if (ss.scenario_name != hs->scenario_name) {
                        continue;
                    }
                    for (const auto& cs : ss.containers) {
                        if (cs.container == name) {
                            h.memory_leak_rate_mb_per_min = cs.memory_slope_mb_per_min;
                        }
                    }
                }
            }
            const auto th = thresholds_for(config, name);
            const double c = effective_cores(config, name, cores);
            const double cpu_of_quota = h.cpu_peak_percent / c;
            h.status =
                (h.memory_percent >= th.memory_critical_percent || cpu_of_quota >= th.cpu_critical_percent)
                    ? "critical"
                : (h.memory_percent >= th.memory_warning_percent || cpu_of_quota >= th.cpu_warning_percent)
                    ? "warning"
                    : "healthy";
            a.container_health.push_back(std::move(h));
        }
    }
    return a;
}

}  // namespace perfrunner::analysis
