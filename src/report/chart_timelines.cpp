// Timelines: the duration test per container with its phase bands, the stress test's rolling means with the
// thresholds and the stop, and the simulation's real-time ratio.
#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "chart_figure_parts.hpp"
#include "perfrunner/model/scenario_names.hpp"
#include "perfrunner/report/format.hpp"

namespace perfrunner::report::detail {

using nlohmann::json;

namespace {

constexpr int kDurationRowHeight = 200;

}  // namespace

// ---------------------------------------------------------------------------------------- duration timeline
ChartFigure duration_timeline(const ReportContext& ctx, const ChartPlan& plan) {
    const auto* scenario = ctx.run.find_scenario(model::scenario_names::kDuration);
    const bool memory = plan.metric == ChartMetric::memory;
    const std::size_t rows = std::max<std::size_t>(1, plan.containers.size());
    ChartFigure f;
    f.height = static_cast<int>(rows) * kDurationRowHeight + 160;
    json layout = base_layout(plan.title, f.height);
    layout["showlegend"] = false;
    json data = json::array();
    const double t0 = scenario && !scenario->samples.empty() ? scenario->samples.front().timestamp : 0.0;
    const double gap = rows > 1 ? 0.06 / static_cast<double>(rows) * 2 : 0.0;
    for (std::size_t r = 0; r < plan.containers.size(); ++r) {
        const auto& name = plan.containers[r];
        std::vector<double> xs, ys;
        if (scenario) {
            if (const auto id = id_of(ctx.run, name)) {
                for (const auto& s : scenario->samples) {
                    const auto* c = s.find(*id);
                    if (!c || c->missing) {
                        continue;
                    }
                    const std::optional<double> v = memory ? std::optional<double>(c->memory_used_mb)
                                                           : std::optional<double>(c->cpu_percent);
                    if (!v || !std::isfinite(*v)) {
                        continue;
                    }
                    xs.push_back((s.timestamp - t0) / 60.0);
                    ys.push_back(*v);
                }
            }
        }
        const std::string axis = r == 0 ? "y" : "y" + std::to_string(r + 1);
        json t = line_trace(std::move(xs), std::move(ys), display_name(ctx.config, name), r,
                            max_points(ctx.config));
        t["xaxis"] = "x";
        t["yaxis"] = axis;
        data.push_back(std::move(t));
        const double top = 1.0 - static_cast<double>(r) / static_cast<double>(rows);
        const double bottom = 1.0 - static_cast<double>(r + 1) / static_cast<double>(rows);
        json yaxis;
        yaxis["domain"] = {r + 1 == rows ? bottom : bottom + gap / 2, r == 0 ? top : top - gap / 2};
        yaxis["anchor"] = "x";
        auto label = display_name(ctx.config, name);
        if (label.size() > 18) {
            label = label.substr(0, 18);
        }
        yaxis["title"] = {{"text", esc(label) + (memory ? " (MB)" : " (%)")}, {"font", {{"size", 11}}}};
        yaxis["rangemode"] = "tozero";
        layout[r == 0 ? "yaxis" : "yaxis" + std::to_string(r + 1)] = yaxis;
    }
    layout["xaxis"] = {{"title", {{"text", "Minutes since the first duration sample"}}},
                       {"anchor", rows == 1 ? "y" : "y" + std::to_string(rows)}};

    // Phase bands from phase_sample_counts (active, drain, cooldown: the only way to split the samples).
    json shapes = json::array(), annotations = json::array();
    const auto* recorded = scenario ? std::get_if<model::DurationMetadata>(&scenario->metadata) : nullptr;
    if (recorded != nullptr && recorded->phase_sample_counts) {
        const auto& counts = *recorded->phase_sample_counts;
        const auto& samples = scenario->samples;
        std::size_t start = 0;
        struct Band {
            const char* phase = nullptr;
            std::optional<std::size_t> samples;
            const char* colour = nullptr;
        };
        const std::array<Band, 3> phases = {{{"active", counts.active, "rgba(44,160,44,0.12)"},
                                             {"drain", counts.drain, "rgba(255,127,14,0.15)"},
                                             {"cooldown", counts.cooldown, "rgba(31,119,180,0.12)"}}};
        for (const auto& band : phases) {
            const std::size_t n = band.samples.value_or(0);
            if (n == 0 || start >= samples.size()) {
                continue;
            }
            const std::size_t end = std::min(samples.size(), start + n);  // exclusive
            const double x0 = (samples[start].timestamp - t0) / 60.0;
            const double x1 =
                ((end < samples.size() ? samples[end].timestamp : samples[end - 1].timestamp) - t0) / 60.0;
            shapes.push_back({{"type", "rect"},
                              {"xref", "x"},
                              {"yref", "paper"},
                              {"x0", x0},
                              {"x1", x1},
                              {"y0", 0},
                              {"y1", 1},
                              {"fillcolor", band.colour},
                              {"line", {{"width", 0}}},
                              {"layer", "below"}});
            annotations.push_back({{"x", (x0 + x1) / 2},
                                   {"y", 1.0},
                                   {"xref", "x"},
                                   {"yref", "paper"},
                                   {"yanchor", "bottom"},
                                   {"showarrow", false},
                                   {"text", band.phase}});
            start = end;
        }
    }
    layout["shapes"] = shapes;
    layout["annotations"] = annotations;
    f.figure = {{"data", data}, {"layout", layout}};
    return f;
}

// ------------------------------------------------------------------------------------------ stress timeline
ChartFigure stress_timeline(const ReportContext& ctx, const ChartPlan& plan) {
    const auto* scenario = ctx.run.find_scenario(model::scenario_names::kStress);
    const bool memory = plan.metric == ChartMetric::memory;
    const json params = scenario ? scenario->scenario_params : json::object();
    const auto* recorded = scenario ? std::get_if<model::StressMetadata>(&scenario->metadata) : nullptr;
    bool rolling = false;
    double t0 = 0, t_last = 0;
    long total_agents = recorded != nullptr ? recorded->total_agents_queued : -1;
    if (scenario && !scenario->samples.empty()) {
        t0 = scenario->samples.front().timestamp;
        t_last = scenario->samples.back().timestamp - t0;
        for (const auto& s : scenario->samples) {
            rolling = rolling || !s.rolling_averages.empty();
        }
        const auto& last = scenario->samples.back();
        if (total_agents < 0 && last.agents_queued) {
            total_agents = last.agents_queued->total;
        }
    }
    json data = json::array();
    double y_max = 0;
    for (std::size_t i = 0; i < plan.containers.size(); ++i) {
        std::vector<double> xs, ys;
        const auto id = id_of(ctx.run, plan.containers[i]);
        if (scenario && id) {
            for (const auto& s : scenario->samples) {
                std::optional<double> v;
                if (rolling) {
                    for (const auto& r : s.rolling_averages) {
                        if (r.container == *id) {
                            v = memory ? r.memory_percent : r.cpu_percent;
                        }
                    }
                } else if (const auto* c = s.find(*id); c && !c->missing) {
                    v = memory ? std::optional<double>(c->memory_percent)
                               : std::optional<double>(c->cpu_percent);
                }
                if (!v || !std::isfinite(*v)) {
                    continue;
                }
                xs.push_back(s.timestamp - t0);
                ys.push_back(*v);
                y_max = std::max(y_max, *v);
            }
        }
        data.push_back(line_trace(std::move(xs), std::move(ys), display_name(ctx.config, plan.containers[i]),
                                  i, max_points(ctx.config)));
    }
    // Threshold lines: memory % of the limit; CPU % of one core scaled by each container's effective cores.
    const double base =
        memory ? number_in(params, "memory_threshold_percent",
                           positive_or(ctx.config.scenarios.stress_memory_threshold_percent, 90.0))
               : number_in(params, "cpu_threshold_percent",
                           positive_or(ctx.config.scenarios.stress_cpu_threshold_percent, 90.0));
    std::map<double, std::vector<std::string>> by_threshold;
    if (memory) {
        by_threshold[base] = {};
    } else {
        for (const auto& c : plan.containers) {
            by_threshold[base * effective_cores(ctx.config, ctx.analysis, c)].push_back(
                display_name(ctx.config, c));
        }
    }
    for (const auto& [threshold, names] : by_threshold) {
        std::string label = "Threshold " + format_number(threshold, 0) + "%";
        if (!memory && by_threshold.size() > 1) {
            label += " (";
            for (std::size_t i = 0; i < names.size(); ++i) {
                label += (i ? ", " : "") + names[i];
            }
            label += ")";
        }
        data.push_back(constant_line(0, t_last, threshold, label, "dash", "red"));
        y_max = std::max(y_max, threshold);
    }
    const std::optional<model::Trigger>& trigger =
        ctx.analysis.stress && ctx.analysis.stress->trigger
            ? ctx.analysis.stress->trigger
            : (recorded != nullptr ? recorded->trigger : std::nullopt);
    if (trigger && trigger->metric == (memory ? "memory" : "cpu")) {
        json t;
        t["type"] = "scatter";
        t["mode"] = "lines";
        t["name"] = esc("Stopped: " + display_name(ctx.config, trigger->container));
        t["x"] = {t_last, t_last};
        t["y"] = {0, y_max * 1.05};
        t["line"] = {{"color", "black"}, {"dash", "dot"}, {"width", 2}};
        data.push_back(std::move(t));
    }
    std::string title = std::string("Stress Test ") + (memory ? "Memory" : "CPU") + " Timeline";
    if (total_agents >= 0) {
        title += " (Total Agents: " + std::to_string(total_agents) + ")";
    }
    ChartFigure f;
    f.height = 550;
    json layout = base_layout(title, f.height);
    layout["xaxis"] = {{"title", {{"text", "Seconds since the first stress sample"}}}};
    layout["yaxis"] = {{"title",
                        {{"text", std::string(rolling ? "Rolling mean " : "") +
                                      (memory ? "memory % of limit" : "CPU % of one core")}}},
                       {"rangemode", "tozero"}};
    f.figure = {{"data", data}, {"layout", layout}};
    return f;
}

// ------------------------------------------------------------------------------------------ real-time ratio
ChartFigure real_time_ratio(const ReportContext& ctx, const ChartPlan& plan) {
    json data = json::array();
    double x_max = 0;
    std::size_t i = 0;
    for (const char* name : {model::scenario_names::kStress, model::scenario_names::kSpeed}) {
        const auto* s = ctx.run.find_scenario(name);
        if (!s || s->samples.empty()) {
            continue;
        }
        std::vector<double> xs, ys;
        const double t0 = s->samples.front().timestamp;
        for (const auto& sample : s->samples) {
            if (!sample.pace || !sample.pace->real_time_ratio ||
                !std::isfinite(*sample.pace->real_time_ratio)) {
                continue;
            }
            xs.push_back((sample.timestamp - t0) / 60.0);
            ys.push_back(*sample.pace->real_time_ratio);
        }
        if (xs.empty()) {
            continue;
        }
        x_max = std::max(x_max, xs.back());
        data.push_back(line_trace(std::move(xs), std::move(ys), name, i++, max_points(ctx.config)));
    }
    if (ctx.config.scenarios.stress_rtr_floor > 0) {
        data.push_back(constant_line(0, x_max, ctx.config.scenarios.stress_rtr_floor,
                                     "Floor " + format_number(ctx.config.scenarios.stress_rtr_floor, 2),
                                     "dash", "red"));
    }
    ChartFigure f;
    f.height = 500;
    json layout = base_layout(plan.title, f.height);
    layout["xaxis"] = {{"title", {{"text", "Minutes since the scenario's first sample"}}}};
    layout["yaxis"] = {{"title", {{"text", "Achieved / requested speed"}}}, {"rangemode", "tozero"}};
    f.figure = {{"data", data}, {"layout", layout}};
    return f;
}

}  // namespace perfrunner::report::detail
