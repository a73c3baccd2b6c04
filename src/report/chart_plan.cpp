#include "perfrunner/report/chart_plan.hpp"
#include "perfrunner/model/container_label.hpp"

#include <algorithm>
#include <set>

#include "chart_figure_parts.hpp"
#include "perfrunner/model/scenario_names.hpp"
#include "perfrunner/report/format.hpp"

namespace perfrunner::report {

namespace {

constexpr std::size_t kPriorityChartContainers = 5;  // stress timelines and speed scaling show this many

std::vector<std::string> summary_containers(const analysis::Analysis& a, const std::string& scenario) {
    std::vector<std::string> out;
    for (const auto& s : a.scenario_summaries) {
        if (!scenario.empty() && s.scenario_name != scenario) {
            continue;
        }
        for (const auto& c : s.containers) {
            out.push_back(c.container);
        }
    }
    return out;
}

std::vector<std::string> sampled_containers(const model::RunResult& run,
                                            const model::ScenarioResult& scenario) {
    std::set<model::ContainerId> ids;
    for (const auto& s : scenario.samples) {
        for (const auto& c : s.containers) {
            if (!c.missing) {
                ids.insert(c.container);
            }
        }
        for (const auto& r : s.rolling_averages) {
            ids.insert(r.container);
        }
    }
    std::vector<std::string> out;
    for (auto id : ids) {
        if (id < run.containers.size()) {
            out.push_back(run.container_label(id));
        }
    }
    return out;
}

// Priority containers that are present, else the first few in display order.
std::vector<std::string> priority_subset(const config::Config& config, std::vector<std::string> present) {
    auto ordered = focus(config, std::move(present));
    std::vector<std::string> out;
    for (const auto& c : ordered) {
        const auto& p = config.analysis.priority_containers;
        if (std::find(p.begin(), p.end(), model::label_name(c)) != p.end()) {
            out.push_back(c);
        }
    }
    if (out.empty()) {
        out.assign(ordered.begin(), ordered.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                          ordered.size(), kPriorityChartContainers)));
    }
    return out;
}

bool has_real_time_ratio(const model::ScenarioResult* s) {
    if (!s) {
        return false;
    }
    return std::any_of(s->samples.begin(), s->samples.end(),
                       [](const model::Sample& x) { return x.pace && x.pace->real_time_ratio; });
}

}  // namespace

std::size_t containers_per_chart(const config::Config& config) {
    return config.analysis.max_containers_per_chart > 0
               ? static_cast<std::size_t>(config.analysis.max_containers_per_chart)
               : 8;
}

const std::vector<model::PeakValues>& stress_peaks(const ReportContext& context) {
    static const std::vector<model::PeakValues> kNone;
    if (context.analysis.stress && !context.analysis.stress->peak_values.empty()) {
        return context.analysis.stress->peak_values;
    }
    const auto* s = context.run.find_scenario(model::scenario_names::kStress);
    const auto* recorded = s != nullptr ? std::get_if<model::StressMetadata>(&s->metadata) : nullptr;
    return recorded != nullptr ? recorded->peak_values : kNone;
}

std::vector<ChartPlan> plan_charts(const ReportContext& context) {
    const auto& run = context.run;
    const auto& a = context.analysis;
    const auto& cfg = context.config;
    std::vector<ChartPlan> plans;

    // Overview
    const auto all = focus(cfg, summary_containers(a, ""));
    if (!all.empty()) {
        plans.push_back({"Overview", "overview/cpu_heatmap", "Mean CPU % by Scenario and Container",
                         ChartKind::cpu_heatmap, ChartMetric::cpu, all});
        plans.push_back({"Overview", "overview/memory_heatmap", "Mean Memory (MB) by Scenario and Container",
                         ChartKind::memory_heatmap, ChartMetric::memory, all});
    }
    if (has_real_time_ratio(run.find_scenario(model::scenario_names::kStress)) ||
        has_real_time_ratio(run.find_scenario(model::scenario_names::kSpeed))) {
        plans.push_back({"Overview",
                         "overview/real_time_ratio_timeline",
                         "Simulation Real-Time Ratio",
                         ChartKind::real_time_ratio,
                         ChartMetric::none,
                         {}});
    }

    // Duration / leak
    if (const auto* d = run.find_scenario(model::scenario_names::kDuration); d && !d->samples.empty()) {
        auto names = summary_containers(a, model::scenario_names::kDuration);
        if (names.empty()) {
            names = sampled_containers(run, *d);
        }
        names = focus(cfg, std::move(names));
        const auto per = containers_per_chart(cfg);
        const std::size_t files = (names.size() + per - 1) / per;
        for (const auto metric : {ChartMetric::memory, ChartMetric::cpu}) {
            const std::string m = metric == ChartMetric::memory ? "memory" : "cpu";
            for (std::size_t k = 0; k < files; ++k) {
                ChartPlan p;
                p.section = "Duration/Leak";
                p.path = "duration/duration_timeline_" + m + (files > 1 ? "_" + std::to_string(k + 1) : "");
                p.title = std::string("Duration Test ") +
                          (metric == ChartMetric::memory ? "Memory (MB)" : "CPU %") + " Timeline" +
                          (files > 1 ? " (" + std::to_string(k + 1) + "/" + std::to_string(files) + ")" : "");
                p.kind = ChartKind::duration_timeline;
                p.metric = metric;
                const auto begin = k * per;
                const auto end = std::min(names.size(), begin + per);
                p.containers.assign(names.begin() + static_cast<std::ptrdiff_t>(begin),
                                    names.begin() + static_cast<std::ptrdiff_t>(end));
                plans.push_back(std::move(p));
            }
        }
    }

    // Stress: the capacity chart first (step mode), then the timelines.
    if (detail::has_capacity_points(run)) {
        std::vector<std::string> present;
        for (const auto& level : detail::capacity_record(run)->steps) {
            for (const auto& m : level.window_means) {
                present.push_back(m.container);
            }
        }
        plans.push_back({"Stress", std::string(kCapacityChartPath), "Capacity: Window Means by Live Load",
                         ChartKind::capacity, ChartMetric::none, priority_subset(cfg, std::move(present))});
    }
    if (detail::has_usl_points(context)) {
        plans.push_back({"Stress",
                         std::string(kUslChartPath),
                         "Scalability: Throughput by Live Load (USL)",
                         ChartKind::usl,
                         ChartMetric::none,
                         {}});
    }
    if (const auto* s = run.find_scenario(model::scenario_names::kStress); s && !s->samples.empty()) {
        const auto shown = priority_subset(cfg, sampled_containers(run, *s));
        if (!shown.empty()) {
            plans.push_back({"Stress", "stress/stress_timeline_memory", "Stress Test Memory Timeline",
                             ChartKind::stress_timeline, ChartMetric::memory, shown});
            plans.push_back({"Stress", "stress/stress_timeline_cpu", "Stress Test CPU Timeline",
                             ChartKind::stress_timeline, ChartMetric::cpu, shown});
        }
    }
    if (const auto& peaks = stress_peaks(context); !peaks.empty()) {
        std::vector<std::string> names;
        names.reserve(peaks.size());
        for (const auto& p : peaks) {
            names.push_back(p.container);
        }
        names = focus(cfg, std::move(names));
        plans.push_back({"Stress", "stress/stress_comparison_memory", "Stress Test Peak Memory %",
                         ChartKind::stress_comparison, ChartMetric::memory, names});
        plans.push_back({"Stress", "stress/stress_comparison_cpu", "Stress Test Peak CPU %",
                         ChartKind::stress_comparison, ChartMetric::cpu, names});
    }

    // Speed scaling
    if (a.speed && !a.speed->steps.empty()) {
        std::vector<std::string> present;
        for (const auto& st : a.speed->steps) {
            for (const auto& [c, v] : st.mean_cpu_percent) {
                present.push_back(c);
            }
            for (const auto& [c, v] : st.mean_memory_percent) {
                present.push_back(c);
            }
        }
        const auto shown = priority_subset(cfg, std::move(present));
        plans.push_back({"Speed Scaling", "speed_scaling/speed_scaling_cpu",
                         "Speed Scaling: Mean CPU % per Step", ChartKind::speed_scaling, ChartMetric::cpu,
                         shown});
        plans.push_back({"Speed Scaling", "speed_scaling/speed_scaling_memory",
                         "Speed Scaling: Mean Memory % per Step", ChartKind::speed_scaling,
                         ChartMetric::memory, shown});
    }
    return plans;
}

}  // namespace perfrunner::report
