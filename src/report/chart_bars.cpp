// Heatmaps and bar charts: mean CPU / memory by scenario, the stress test's peaks, speed scaling per step.
#include <algorithm>
#include <cmath>
#include <set>

#include "chart_figure_parts.hpp"
#include "perfrunner/model/rounding.hpp"
#include "perfrunner/report/format.hpp"

namespace perfrunner::report::detail {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxComparisonBars = 10;

}  // namespace

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

}  // namespace perfrunner::report::detail
