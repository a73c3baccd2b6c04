#pragma once
// Step mode's level sizes (statistics.md §10.1, issue 10): coarse steps far from the thresholds, one batch
// close to them. After each healthy level the next increment is 3/4 of the predicted distance to the nearest
// threshold, rounded down to whole batches and kept within [one batch, the largest step]. The prediction is
// linear in live load; the slope of each series is the steeper of the last step's and the whole climb's (a
// noisy flat step never makes the next one larger), and from the origin after the first level (steeper than
// the truth whenever the series has a base load, so the second level stays short of the threshold).
// A level that overshoots anyway is caught by the breach rule; the bisection (next_bisection_probe) then
// narrows the gap to the refinement resolution.
#include <string>
#include <vector>

#include "perfrunner/analysis/stress_rule.hpp"
#include "perfrunner/model/scenario_metadata.hpp"

namespace perfrunner::analysis {

// One series' window mean as a share of its threshold (1.0 = at the threshold).
struct ThresholdShare {
    std::string container;  // "host" for host CPU
    std::string metric;     // "memory" | "cpu"
    double share = 0.0;
};

// Memory and CPU of every container and host CPU (when its rule is on). The real-time ratio is a floor, not
// a share of a capacity: it does not size steps (its breach still ends the climb).
std::vector<ThresholdShare> threshold_shares(const StressWindow& window, const StressRuleSettings& settings);

// A healthy level: the live load it ran at and the shares its window measured.
struct JudgedLevel {
    long load = 0;
    std::vector<ThresholdShare> shares;
};

// Agents (per type) to add after the last of `levels` (oldest first, all healthy): a multiple of `batch` in
// [batch, max_step] (max_step is raised to batch when smaller). No levels: one batch.
long next_step_increment(const std::vector<JudgedLevel>& levels, long batch, long max_step);

// Per container: the window's mean memory % of the limit and mean CPU % of its effective cores.
std::vector<model::LevelWindowMean> level_window_means(const StressWindow& window);

}  // namespace perfrunner::analysis
