#pragma once
// Chart and index pages from config/templates/chart.html and index.html.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "perfrunner/report/chart_figures.hpp"

namespace perfrunner::report {

// plotly_src: relative URL of plotly.min.js from the chart's folder, e.g. "../plotly.min.js".
std::string render_chart_page(const ChartPlan& plan, const ChartFigure& figure, std::string_view plotly_src);

// Sections Overview / Duration/Leak / Stress / Speed Scaling, one card per chart; has_png says whether the
// chart's PNG exists (its link is shown only then); "No charts generated" for an empty section.
std::string render_chart_index(const std::string& test_id, const std::vector<ChartPlan>& plans,
                               const std::function<bool(const ChartPlan&)>& has_png);

// Relative path from a chart page in charts/<path>.html up to charts/ ("../" per folder level).
std::string path_to_charts_root(const ChartPlan& plan);

}  // namespace perfrunner::report
