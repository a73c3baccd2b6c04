#pragma once
// Plotly figures ({data, layout}) of each planned chart. Data-derived text inside a figure (names, titles,
// categories) is HTML-escaped, because Plotly renders a subset of HTML in labels; long series are downsampled
// with LTTB to analysis.chart_max_points for display only.
#include <nlohmann/json.hpp>

#include "perfrunner/report/chart_plan.hpp"

namespace perfrunner::report {

struct ChartFigure {  // NOLINT(bugprone-exception-escape): nlohmann member, see model/scenario_metadata.hpp
    nlohmann::json figure;  // {"data": [...], "layout": {...}}
    int width = 1200;       // px, also the screenshot window
    int height = 500;
};

ChartFigure build_chart(const ReportContext& context, const ChartPlan& plan);

}  // namespace perfrunner::report
