#pragma once
// Internal to the report layer: the figure of each chart kind (chart_bars.cpp, chart_timelines.cpp) and the
// Plotly pieces they share (chart_figures.cpp).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "perfrunner/report/chart_figures.hpp"

namespace perfrunner::report::detail {

// Figures, one per ChartKind.
ChartFigure heatmap(const ReportContext& ctx, const ChartPlan& plan);
ChartFigure stress_comparison(const ReportContext& ctx, const ChartPlan& plan);
ChartFigure speed_scaling(const ReportContext& ctx, const ChartPlan& plan);
ChartFigure duration_timeline(const ReportContext& ctx, const ChartPlan& plan);
ChartFigure stress_timeline(const ReportContext& ctx, const ChartPlan& plan);
ChartFigure real_time_ratio(const ReportContext& ctx, const ChartPlan& plan);
ChartFigure capacity(const ReportContext& ctx, const ChartPlan& plan);  // chart_capacity.cpp
ChartFigure usl(const ReportContext& ctx, const ChartPlan& plan);       // chart_usl.cpp
// Whether the analysis has step-mode throughput points to draw (chart_usl.cpp).
bool has_usl_points(const ReportContext& ctx);

// Step mode's record of the stress test (none in ramp mode or without a stress test), and whether any of
// its judged loads has window means to draw.
const model::StressStepResult* capacity_record(const model::RunResult& run);
bool has_capacity_points(const model::RunResult& run);

// Shared pieces.
std::string esc(std::string_view s);  // data-derived text inside a figure: Plotly renders some HTML
const char* colour(std::size_t i);    // the palette, cycled
std::size_t max_points(const config::Config& cfg);  // display downsampling target
double positive_or(double value, double fallback);
double number_in(const nlohmann::json& obj, const char* key, double fallback);
nlohmann::json base_layout(const std::string& title, int height);
// A line of (x, y) downsampled with LTTB to `points`.
nlohmann::json line_trace(std::vector<double> x, std::vector<double> y, const std::string& name,
                          std::size_t colour_index, std::size_t points);
nlohmann::json constant_line(double x0, double x1, double y, const std::string& name, const char* dash,
                             const char* col);
std::optional<model::ContainerId> id_of(const model::RunResult& run, const std::string& name);

}  // namespace perfrunner::report::detail
