#pragma once
// Which charts a run gets (reference-framework.md §9 plus the real-time-ratio timeline), decided cheaply
// before any figure is built, so report.html and charts/index.html can link them all.
#include <array>
#include <string>
#include <vector>

#include "perfrunner/report/writer.hpp"

namespace perfrunner::report {

enum class ChartKind {
    cpu_heatmap,
    memory_heatmap,
    real_time_ratio,
    duration_timeline,
    stress_timeline,
    stress_comparison,
    speed_scaling,
    capacity,  // step mode: window means per judged load (live drivers)
    usl,       // step mode: window-mean throughput per judged load, the USL fit, N*
};
enum class ChartMetric { none, memory, cpu };

// The capacity chart's path under charts/ (without extension).
inline constexpr const char* kCapacityChartPath = "stress/capacity";
// The scalability (USL) chart's path under charts/ (without extension).
inline constexpr const char* kUslChartPath = "stress/usl_throughput";

inline constexpr std::array<const char*, 4> kChartSections = {"Overview", "Duration/Leak", "Stress",
                                                              "Speed Scaling"};

struct ChartPlan {
    std::string section;  // one of kChartSections
    std::string path;     // relative to charts/, without extension: "duration/duration_timeline_memory_2"
    std::string title;    // plain text (escaped where it is written)
    ChartKind kind = ChartKind::cpu_heatmap;
    ChartMetric metric = ChartMetric::none;
    std::vector<std::string> containers;  // the containers this file shows, in display order
};

std::vector<ChartPlan> plan_charts(const ReportContext& context);

// The stress test's peak values: the analysis', else those recorded in the stress metadata; empty when
// neither.
const std::vector<model::PeakValues>& stress_peaks(const ReportContext& context);

// Rows per duration-timeline file: analysis.max_containers_per_chart, or 8 when unset.
std::size_t containers_per_chart(const config::Config& config);

}  // namespace perfrunner::report
