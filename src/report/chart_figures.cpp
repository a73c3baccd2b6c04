// Which figure a chart kind gets, and the Plotly pieces every figure shares.
#include "perfrunner/report/chart_figures.hpp"

#include <array>
#include <cmath>

#include "chart_figure_parts.hpp"
#include "perfrunner/report/escape.hpp"
#include "perfrunner/report/lttb.hpp"

namespace perfrunner::report {

namespace detail {

using nlohmann::json;

namespace {

constexpr std::size_t kDefaultMaxPoints = 2000;
constexpr std::array<const char*, 10> kPalette = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                                  "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

}  // namespace

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

}  // namespace detail

ChartFigure build_chart(const ReportContext& context, const ChartPlan& plan) {
    switch (plan.kind) {
        case ChartKind::cpu_heatmap:
        case ChartKind::memory_heatmap:
            return detail::heatmap(context, plan);
        case ChartKind::duration_timeline:
            return detail::duration_timeline(context, plan);
        case ChartKind::stress_timeline:
            return detail::stress_timeline(context, plan);
        case ChartKind::stress_comparison:
            return detail::stress_comparison(context, plan);
        case ChartKind::speed_scaling:
            if (context.analysis.speed) {
                return detail::speed_scaling(context, plan);
            }
            break;
        case ChartKind::real_time_ratio:
            return detail::real_time_ratio(context, plan);
        case ChartKind::capacity:
            return detail::capacity(context, plan);
        case ChartKind::usl:
            return detail::usl(context, plan);
    }
    ChartFigure empty;
    empty.figure = {{"data", nlohmann::json::array()},
                    {"layout", detail::base_layout(plan.title, empty.height)}};
    return empty;
}

}  // namespace perfrunner::report
