#include "perfrunner/report/chart_figures.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "perfrunner/model/rounding.hpp"
#include "perfrunner/model/scenario_names.hpp"
#include "perfrunner/report/escape.hpp"
#include "perfrunner/report/format.hpp"
#include "perfrunner/report/lttb.hpp"

namespace perfrunner::report {

namespace {

using nlohmann::json;

constexpr std::size_t kDefaultMaxPoints = 2000;
constexpr std::size_t kMaxComparisonBars = 10;
constexpr int kDurationRowHeight = 200;
constexpr std::array<const char*, 10> kPalette = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                                  "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

std::string esc(std::string_view s) {
    return html_escape(s);
}

const char* colour(std::size_t i) {
    return kPalette[i % kPalette.size()];
}

std::size_t max_points(const config::Config& cfg) {
    return cfg.analysis.chart_max_points > 0 ? static_cast<std::size_t>(cfg.analysis.chart_max_points)
                                             : kDefaultMaxPoints;
}

double positive_or(double value, double fallback) {
    return value > 0 && std::isfinite(value) ? value : fallback;
}

double number_in(const json& obj, const char* key, double fallback) {
    if (obj.is_object() && obj.contains(key) && obj[key].is_number()) {
        return obj[key].get<double>();
    }
    return fallback;
}

json base_layout(const std::string& title, int height) {
    json layout;
    layout["title"] = {{"text", esc(title)}};
    layout["height"] = height;
    layout["margin"] = {{"l", 80}, {"r", 40}, {"t", 80}, {"b", 80}};
    layout["paper_bgcolor"] = "white";
    layout["plot_bgcolor"] = "white";
    layout["hovermode"] = "closest";
    layout["transition"] = {{"duration", 0}};  // no animation: screenshots capture the final state
    return layout;
}

json line_trace(std::vector<double> x, std::vector<double> y, const std::string& name,
                std::size_t colour_index, std::size_t points) {
    lttb_downsample(x, y, points);
    json t;
    t["type"] = "scatter";
    t["mode"] = "lines";
    t["name"] = esc(name);
    t["x"] = std::move(x);
    t["y"] = std::move(y);
    t["line"] = {{"color", colour(colour_index)}, {"width", 1.5}};
    return t;
}

json constant_line(double x0, double x1, double y, const std::string& name, const char* dash,
                   const char* col) {
    json t;
    t["type"] = "scatter";
    t["mode"] = "lines";
    t["name"] = esc(name);
    t["x"] = {x0, x1};
    t["y"] = {y, y};
    t["line"] = {{"color", col}, {"dash", dash}, {"width", 2}};
    t["hoverinfo"] = "name+y";
    return t;
}

std::optional<model::ContainerId> id_of(const model::RunResult& run, const std::string& name) {
    return run.find_container(name);
}

// ---------------------------------------------------------------------------------------------- heatmaps
ChartFigure heatmap(const ReportContext& ctx, const ChartPlan& plan) {
    const bool cpu = plan.kind == ChartKind::cpu_heatmap;
    std::vector<std::string> labels;
    std::set<std::string> seen;
    bool collision = false;
    for (const auto& c : plan.containers) {
        auto d = display_name(ctx.config, c);
        if (d.size() > 15) {
            d = d.substr(0, 15);
        }
        collision = collision || !seen.insert(d).second;
        labels.push_back(d);
    }
    if (collision) {  // cut names would merge columns: keep the full names
        labels.clear();
        for (const auto& c : plan.containers) {
            labels.push_back(c);
        }
    }
    json x = json::array(), y = json::array(), z = json::array();
    for (const auto& l : labels) {
        x.push_back(esc(l));
    }
    for (const auto& s : ctx.analysis.scenario_summaries) {
        y.push_back(esc(s.scenario_name));
        json row = json::array();
        for (const auto& c : plan.containers) {
            const auto it =
                std::find_if(s.containers.begin(), s.containers.end(),
                             [&](const analysis::ContainerSummary& cs) { return cs.container == c; });
            const analysis::SeriesStats* st =
                it == s.containers.end() ? nullptr : (cpu ? &it->cpu_percent : &it->memory_mb);
            if (st && st->n > 0 && std::isfinite(st->mean)) {
                row.push_back(model::round_half_even(st->mean, 2));
            } else {
                row.push_back(nullptr);  // no data is not 0
            }
        }
        z.push_back(std::move(row));
    }
    json trace;
    trace["type"] = "heatmap";
    trace["x"] = x;
    trace["y"] = y;
    trace["z"] = z;
    trace["hoverongaps"] = false;
    trace["texttemplate"] = "%{z:.1f}";
    trace["hovertemplate"] = "%{y}<br>%{x}: %{z:.1f}<extra></extra>";
    if (cpu) {  // RdYlGn reversed: green low, red high
        trace["colorscale"] = json::array(
            {json::array({0, "#1a9850"}), json::array({0.5, "#ffffbf"}), json::array({1, "#d73027"})});
    } else {
        trace["colorscale"] = "Blues";
        trace["reversescale"] = true;  // Plotly's "Blues" runs dark to light
    }
    trace["colorbar"] = {{"title", {{"text", cpu ? "CPU %" : "MB"}}}};
    const int rows = static_cast<int>(ctx.analysis.scenario_summaries.size());
    ChartFigure f;
    f.height = std::max(400, 50 * rows + 200);
    json layout = base_layout(plan.title, f.height);
    layout["xaxis"] = {{"tickangle", -45}, {"type", "category"}};
    layout["yaxis"] = {{"type", "category"}, {"autorange", "reversed"}};
    layout["margin"]["b"] = 140;
    layout["margin"]["l"] = 140;
    f.figure = {{"data", json::array({trace})}, {"layout", layout}};
    return f;
}

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
                    const std::optional<double> v =
                        memory ? std::optional<double>(c->memory_used_mb) : c->cpu_percent;
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
            const char* phase;
            std::optional<std::size_t> samples;
            const char* colour;
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
                    v = memory ? std::optional<double>(c->memory_percent) : c->cpu_percent;
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

// ---------------------------------------------------------------------------------------- stress comparison
ChartFigure stress_comparison(const ReportContext& ctx, const ChartPlan& plan) {
    const bool memory = plan.metric == ChartMetric::memory;
    const auto& peaks = stress_peaks(ctx);
    std::vector<std::pair<std::string, double>> bars;
    std::vector<std::pair<std::string, double>> rest;
    const auto& prio = ctx.config.analysis.priority_containers;
    for (const auto& c : plan.containers) {
        const auto peak = std::find_if(peaks.begin(), peaks.end(),
                                       [&](const model::PeakValues& p) { return p.container == c; });
        if (peak == peaks.end()) {
            continue;
        }
        const double v = memory ? peak->memory_percent : peak->cpu_percent;
        if (!std::isfinite(v)) {
            continue;
        }
        (std::find(prio.begin(), prio.end(), c) != prio.end() ? bars : rest).emplace_back(c, v);
    }
    std::stable_sort(rest.begin(), rest.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    bars.insert(bars.end(), rest.begin(), rest.end());
    if (bars.size() > kMaxComparisonBars) {
        bars.resize(kMaxComparisonBars);
    }

    const auto& th = ctx.config.thresholds;
    json x = json::array(), y = json::array(), colours = json::array(), text = json::array();
    double v_max = 0;
    for (const auto& [c, v] : bars) {
        const double scale = memory ? 1.0 : effective_cores(ctx.config, ctx.analysis, c);
        const double warn =
            (memory ? positive_or(th.memory_warning_percent, 70) : positive_or(th.cpu_warning_percent, 70)) *
            scale;
        const double crit = (memory ? positive_or(th.memory_critical_percent, 85)
                                    : positive_or(th.cpu_critical_percent, 85)) *
                            scale;
        x.push_back(esc(display_name(ctx.config, c)));
        y.push_back(model::round_half_even(v, 2));
        text.push_back(format_number(v, 1));
        colours.push_back(v >= crit ? "#d62728" : v >= warn ? "#ff7f0e" : "#2ca02c");
        v_max = std::max(v_max, v);
    }
    json trace;
    trace["type"] = "bar";
    trace["x"] = x;
    trace["y"] = y;
    trace["text"] = text;
    trace["textposition"] = "outside";
    trace["marker"] = {{"color", colours}};
    trace["name"] = memory ? "Peak memory %" : "Peak CPU %";
    ChartFigure f;
    f.height = 550;
    json layout = base_layout(plan.title, f.height);
    layout["yaxis"] = {{"title", {{"text", memory ? "Peak memory % of limit" : "Peak CPU % of one core"}}},
                       {"range", {0, std::max(100.0, 1.15 * v_max)}}};
    layout["xaxis"] = {{"tickangle", -30}, {"type", "category"}};
    layout["showlegend"] = false;
    f.figure = {{"data", json::array({trace})}, {"layout", layout}};
    return f;
}

// -------------------------------------------------------------------------------------------- speed scaling
ChartFigure speed_scaling(const ReportContext& ctx, const ChartPlan& plan) {
    const bool memory = plan.metric == ChartMetric::memory;
    json data = json::array();
    json x = json::array();
    const auto& steps = ctx.analysis.speed->steps;
    for (const auto& st : steps) {
        x.push_back(std::to_string(st.multiplier) + "x");
    }
    for (std::size_t i = 0; i < plan.containers.size(); ++i) {
        const auto& c = plan.containers[i];
        json y = json::array();
        for (const auto& st : steps) {
            const auto& means = memory ? st.mean_memory_percent : st.mean_cpu_percent;
            const auto it =
                std::find_if(means.begin(), means.end(), [&](const auto& p) { return p.first == c; });
            if (it != means.end() && std::isfinite(it->second)) {
                y.push_back(model::round_half_even(it->second, 2));
            } else {
                y.push_back(nullptr);
            }
        }
        json t;
        t["type"] = "bar";
        t["name"] = esc(display_name(ctx.config, c));
        t["x"] = x;
        t["y"] = std::move(y);
        t["marker"] = {{"color", colour(i)}};
        data.push_back(std::move(t));
    }
    ChartFigure f;
    f.height = 550;
    json layout = base_layout(plan.title, f.height);
    layout["barmode"] = "group";
    layout["xaxis"] = {{"title", {{"text", "Speed multiplier"}}}, {"type", "category"}};
    layout["yaxis"] = {{"title", {{"text", memory ? "Mean memory % of limit" : "Mean CPU % of one core"}}}};
    layout["annotations"] = json::array(
        {{{"xref", "paper"},
          {"yref", "paper"},
          {"x", 1.0},
          {"y", 1.08},
          {"showarrow", false},
          {"xanchor", "right"},
          {"text", "Max speed passed: " + std::to_string(ctx.analysis.speed->max_speed_passed) + "x"}}});
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

}  // namespace

ChartFigure build_chart(const ReportContext& context, const ChartPlan& plan) {
    switch (plan.kind) {
        case ChartKind::cpu_heatmap:
        case ChartKind::memory_heatmap:
            return heatmap(context, plan);
        case ChartKind::duration_timeline:
            return duration_timeline(context, plan);
        case ChartKind::stress_timeline:
            return stress_timeline(context, plan);
        case ChartKind::stress_comparison:
            return stress_comparison(context, plan);
        case ChartKind::speed_scaling:
            if (context.analysis.speed) {
                return speed_scaling(context, plan);
            }
            break;
        case ChartKind::real_time_ratio:
            return real_time_ratio(context, plan);
    }
    ChartFigure empty;
    empty.figure = {{"data", json::array()}, {"layout", base_layout(plan.title, empty.height)}};
    return empty;
}

}  // namespace perfrunner::report
