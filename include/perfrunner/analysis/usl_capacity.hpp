#pragma once
// The Universal Scalability Law on a step-mode stress test (issue 14 point 2, statistics.md §10.4): one
// point per judged load level (live drivers, window-mean throughput of /metrics/performance), the refinement
// probes included, fitted by stats::fit_usl. Live drivers are the load axis because the capacity figures
// (last healthy, breaking point) are counted in them; the stress test adds riders one for one.
// Steady-state windows only: a level cut short by an OOM kill or critical memory has no window mean.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "perfrunner/analysis/stats/usl.hpp"
#include "perfrunner/model/results.hpp"

namespace perfrunner::analysis {

// Mean of the samples' finite throughput figures; none when no sample has one.
std::optional<double> window_throughput(std::span<const model::Sample> window);

struct UslPointRecord {
    double load = 0;        // live drivers
    double throughput = 0;  // window mean, events/s
    std::string source;     // "level 3" | "refine 4"
};

struct UslCapacity {
    std::vector<UslPointRecord> points;  // in the order measured
    stats::UslFit fit;                   // fit.why_not says why when !fit.valid
    std::optional<long> last_healthy, breaking_point;
    // Set when N* and last healthy differ by more than 2x (statistics.md §10.4): the model's knee and the
    // thresholds disagree, so one of them is not measuring the limit.
    std::optional<std::string> disagreement;
};

// None when the run has no step-mode stress (the ramp's points are transients: no fit is attempted).
std::optional<UslCapacity> usl_capacity(const model::RunResult& run);

}  // namespace perfrunner::analysis
