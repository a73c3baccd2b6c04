#pragma once
// Two runs side by side (`perfrunner compare BASE NEW`, issue 14): which series of the two results files are
// comparable, and every comparison of analysis/compare.hpp over them. Either file may come from the
// reference framework (no pace or throughput records, ramp-mode stress): what one side lacks is not compared.
#include <optional>
#include <string>
#include <vector>

#include "perfrunner/analysis/analysis.hpp"
#include "perfrunner/analysis/compare.hpp"
#include "perfrunner/config/config.hpp"
#include "perfrunner/model/results.hpp"

namespace perfrunner::analysis {

struct CompareResult {
    // Scenario order, then container order, then metric order; the pooled comparisons (one per container and
    // metric over the loaded windows) last.
    std::vector<MetricComparison> metrics;
    CapacityComparison capacity;
    std::string capacity_kind;  // "live drivers (step mode)" | "drivers queued (ramp)" | "" (not comparable)
    SpeedComparison speed;
    std::vector<LeakComparison> leaks;
    std::vector<OomComparison> ooms;
    std::vector<std::string> notes;        // why something was not compared, loads that differ
    std::vector<std::string> regressions;  // one line each, naming scenario, container and metric

    bool regression() const { return !regressions.empty(); }
};

// base_analysis / next_analysis: analysis::analyze of each run with the same config (leak verdicts and
// capacity are judged by today's rules for both files).
CompareResult compare_runs(const model::RunResult& base, const Analysis& base_analysis,
                           const model::RunResult& next, const Analysis& next_analysis,
                           const config::Config& config, const CompareSettings& settings);

// "duration_leak/active rideshare-simulation cpu_percent", "speed_scaling/x4 throughput".
std::string describe(const SeriesKey& key);

}  // namespace perfrunner::analysis
