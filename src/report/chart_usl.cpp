// The scalability chart (issue 14): the step-mode stress test's window-mean throughput at each judged load
// (live drivers), the fitted Universal Scalability Law curve over the measured range, its peak N*, and the
// threshold-based last healthy load and breaking point, so the model's knee and the thresholds' limit can be
// read against each other. Without a fit the points are drawn and the title says why.
#include <algorithm>
#include <cmath>

#include "chart_figure_parts.hpp"
#include "perfrunner/report/format.hpp"

namespace perfrunner::report::detail {

using nlohmann::json;

namespace {

constexpr int kCurvePoints = 120;

json marker_line(double x, double y_top, const std::string& name, const char* col, const char* dash) {
    return {{"type", "scatter"},    {"mode", "lines"},
            {"name", esc(name)},    {"x", {x, x}},
            {"y", {0.0, y_top}},    {"line", {{"color", col}, {"dash", dash}, {"width", 2}}},
            {"hoverinfo", "name+x"}};
}

}  // namespace

bool has_usl_points(const ReportContext& ctx) {
    const auto& s = ctx.analysis.stress;
    return s && s->usl && !s->usl->points.empty();
}

ChartFigure usl(const ReportContext& ctx, const ChartPlan& plan) {
    ChartFigure f;
    json data = json::array();
    if (!has_usl_points(ctx)) {
        f.figure = {{"data", data}, {"layout", base_layout(plan.title, f.height)}};
        return f;
    }
    const auto& u = *ctx.analysis.stress->usl;
    json xs = json::array(), ys = json::array(), labels = json::array();
    double x_max = 1.0, y_max = 1.0;
    for (const auto& p : u.points) {
        xs.push_back(p.load);
        ys.push_back(p.throughput);
        labels.push_back(esc(p.source));
        x_max = std::max(x_max, p.load);
        y_max = std::max(y_max, p.throughput);
    }
    data.push_back({{"type", "scatter"},
                    {"mode", "markers"},
                    {"name", "window-mean throughput"},
                    {"x", xs},
                    {"y", ys},
                    {"text", labels},
                    {"marker", {{"size", 9}, {"color", colour(0)}}}});
    std::string title = plan.title;
    const auto& fit = u.fit;
    if (fit.valid) {
        const double x_end = std::max(x_max, fit.peak_load.value_or(0.0));
        json cx = json::array(), cy = json::array();
        for (int i = 0; i <= kCurvePoints; ++i) {
            const double n = std::max(1.0, x_end * static_cast<double>(i) / kCurvePoints);
            const double x =
                analysis::stats::usl_throughput(n, fit.lambda.value, fit.sigma.value, fit.kappa.value);
            cx.push_back(n);
            cy.push_back(x);
            y_max = std::max(y_max, x);
        }
        data.push_back({{"type", "scatter"},
                        {"mode", "lines"},
                        {"name", esc("USL fit (RMSE " + format_number(fit.rmse, 2) + ")")},
                        {"x", cx},
                        {"y", cy},
                        {"line", {{"color", colour(1)}, {"width", 2}}}});
        if (fit.peak_load) {
            data.push_back(marker_line(*fit.peak_load, y_max * 1.05,
                                       "N* " + format_number(fit.peak_load, 1) + " (" +
                                           format_number(fit.peak_throughput, 1) + " events/s)",
                                       "#9467bd", "dash"));
        } else {
            title += " - " + fit.peak_note;
        }
    } else {
        title += " - no fit: " + fit.why_not;
    }
    y_max *= 1.05;
    if (u.last_healthy) {
        data.push_back(marker_line(static_cast<double>(*u.last_healthy), y_max,
                                   "last healthy " + std::to_string(*u.last_healthy), "#2ca02c", "dot"));
        x_max = std::max(x_max, static_cast<double>(*u.last_healthy));
    }
    if (u.breaking_point) {
        data.push_back(marker_line(static_cast<double>(*u.breaking_point), y_max,
                                   "breaking point " + std::to_string(*u.breaking_point), "#d62728", "dot"));
        x_max = std::max(x_max, static_cast<double>(*u.breaking_point));
    }
    if (fit.peak_load) {
        x_max = std::max(x_max, *fit.peak_load);
    }
    json layout = base_layout(title, f.height);
    layout["xaxis"] = {{"title", {{"text", "live drivers (and as many riders)"}}},
                       {"range", {0.0, x_max * 1.05}}};
    layout["yaxis"] = {{"title", {{"text", "throughput, events/s (window mean)"}}}, {"range", {0.0, y_max}}};
    f.figure = {{"data", std::move(data)}, {"layout", std::move(layout)}};
    return f;
}

}  // namespace perfrunner::report::detail
