// The capacity chart (issue 10): each judged load of step mode - levels and bisection probes - at its live
// drivers (x) against every shown container's window-mean CPU % of its cores and memory % of its limit (y),
// with the stress thresholds and the last healthy load and breaking point marked.
#include <algorithm>
#include <map>

#include "chart_figure_parts.hpp"
#include "perfrunner/model/scenario_names.hpp"
#include "perfrunner/report/format.hpp"

namespace perfrunner::report::detail {

using nlohmann::json;

namespace {

struct JudgedPoint {
    long live = 0;
    const std::vector<model::LevelWindowMean>* means = nullptr;
};

std::vector<JudgedPoint> judged_points(const model::StressStepResult& step) {
    std::vector<JudgedPoint> points;
    for (const auto& s : step.steps) {
        if (!s.window_means.empty()) {
            points.push_back({s.live_drivers, &s.window_means});
        }
    }
    for (const auto& r : step.refinement) {
        if (!r.window_means.empty()) {
            points.push_back({r.live_drivers, &r.window_means});
        }
    }
    std::stable_sort(points.begin(), points.end(),
                     [](const JudgedPoint& a, const JudgedPoint& b) { return a.live < b.live; });
    return points;
}

json vertical_line(double x, double y_top, const std::string& name, const char* col) {
    json t;
    t["type"] = "scatter";
    t["mode"] = "lines";
    t["name"] = esc(name);
    t["x"] = {x, x};
    t["y"] = {0.0, y_top};
    t["line"] = {{"color", col}, {"dash", "dot"}, {"width", 2}};
    t["hoverinfo"] = "name+x";
    return t;
}

}  // namespace

const model::StressStepResult* capacity_record(const model::RunResult& run) {
    const auto* s = run.find_scenario(model::scenario_names::kStress);
    const auto* md = s != nullptr ? std::get_if<model::StressMetadata>(&s->metadata) : nullptr;
    return md != nullptr && md->step_mode ? &*md->step_mode : nullptr;
}

bool has_capacity_points(const model::RunResult& run) {
    const auto* step = capacity_record(run);
    return step != nullptr && !judged_points(*step).empty();
}

ChartFigure capacity(const ReportContext& ctx, const ChartPlan& plan) {
    ChartFigure f;
    json data = json::array();
    const auto* step = capacity_record(ctx.run);
    const auto points = step != nullptr ? judged_points(*step) : std::vector<JudgedPoint>{};
    double x_max = 1.0, y_max = 100.0;
    std::size_t colour_index = 0;
    for (const auto& container : plan.containers) {
        json cpu_x = json::array(), cpu_y = json::array(), mem_x = json::array(), mem_y = json::array();
        for (const auto& p : points) {
            const auto it =
                std::find_if(p.means->begin(), p.means->end(),
                             [&](const model::LevelWindowMean& m) { return m.container == container; });
            if (it == p.means->end()) {
                continue;
            }
            mem_x.push_back(p.live);
            mem_y.push_back(it->memory_percent);
            y_max = std::max(y_max, it->memory_percent);
            if (it->cpu_percent_of_cores) {
                cpu_x.push_back(p.live);
                cpu_y.push_back(*it->cpu_percent_of_cores);
                y_max = std::max(y_max, *it->cpu_percent_of_cores);
            }
            x_max = std::max(x_max, static_cast<double>(p.live));
        }
        const std::string name = display_name(ctx.config, container);
        const char* col = colour(colour_index++);
        if (!cpu_x.empty()) {
            data.push_back({{"type", "scatter"},
                            {"mode", "lines+markers"},
                            {"name", esc(name + " CPU % of cores")},
                            {"x", cpu_x},
                            {"y", cpu_y},
                            {"line", {{"color", col}, {"width", 2}}}});
        }
        data.push_back({{"type", "scatter"},
                        {"mode", "lines+markers"},
                        {"name", esc(name + " memory % of limit")},
                        {"x", mem_x},
                        {"y", mem_y},
                        {"line", {{"color", col}, {"width", 2}, {"dash", "dash"}}},
                        {"marker", {{"symbol", "square"}}}});
    }
    const auto* s = ctx.run.find_scenario(model::scenario_names::kStress);
    const json params = s != nullptr ? json(s->scenario_params) : json::object();
    const double cpu_threshold = number_in(params, "cpu_threshold_percent", 90.0);
    const double mem_threshold = number_in(params, "memory_threshold_percent", 90.0);
    const double x_end = x_max * 1.05;
    if (cpu_threshold == mem_threshold) {
        data.push_back(
            constant_line(0.0, x_end, cpu_threshold, "threshold (CPU and memory)", "dash", "#d62728"));
    } else {
        data.push_back(constant_line(0.0, x_end, cpu_threshold, "CPU threshold", "dash", "#d62728"));
        data.push_back(constant_line(0.0, x_end, mem_threshold, "memory threshold", "dashdot", "#d62728"));
    }
    y_max = std::max(y_max, std::max(cpu_threshold, mem_threshold)) * 1.05;
    if (step != nullptr && step->last_healthy) {
        data.push_back(vertical_line(static_cast<double>(*step->last_healthy), y_max,
                                     "last healthy " + std::to_string(*step->last_healthy), "#2ca02c"));
    }
    if (step != nullptr && step->breaking_point) {
        data.push_back(vertical_line(static_cast<double>(*step->breaking_point), y_max,
                                     "breaking point " + std::to_string(*step->breaking_point), "#d62728"));
    }
    json layout = base_layout(plan.title, f.height);
    layout["xaxis"] = {{"title", {{"text", "live drivers (and as many riders)"}}}, {"range", {0.0, x_end}}};
    layout["yaxis"] = {{"title", {{"text", "window mean, % of cores / % of limit"}}},
                       {"range", {0.0, y_max}}};
    f.figure = {{"data", std::move(data)}, {"layout", std::move(layout)}};
    return f;
}

}  // namespace perfrunner::report::detail
