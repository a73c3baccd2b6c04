#pragma once
// Did the new run get worse than the base run? (`perfrunner compare BASE NEW`, issue 14.) Pure functions over
// what both runs measured: per-sample series compared by the change of their medians (stats/median_shift.hpp)
// with the Holm correction over every comparison of the two runs, and single figures — capacity, max speed
// passed, leak verdicts, OOM events — compared by rules that need no test. A regression anywhere makes the
// comparison a regression (exit 3).
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "perfrunner/analysis/regression_rule.hpp"
#include "perfrunner/analysis/stats/median_shift.hpp"
#include "perfrunner/config/config.hpp"

namespace perfrunner::analysis {

enum class CompareMetric { cpu_percent, memory_mb, throughput, status_latency_ms, real_time_ratio };
inline constexpr std::array<CompareMetric, 5> kCompareMetrics{
    CompareMetric::cpu_percent, CompareMetric::memory_mb, CompareMetric::throughput,
    CompareMetric::status_latency_ms, CompareMetric::real_time_ratio};

const char* to_string(CompareMetric m);  // "cpu_percent" | "memory_mb" | "throughput" | ...
const char* unit_of(CompareMetric m);    // "%" | "MB" | "events/s" | "ms" | ""
WorseDirection worse_direction(CompareMetric m);

struct CompareSettings {
    double alpha = 0.05;
    // Indexed by CompareMetric. Floors: CPU 2 points of one core, memory 10 MB, throughput 1 event/s,
    // latency 5 ms, real-time ratio 0.02 — below these a change is noise whatever its relative size.
    std::array<ChangeTolerance, kCompareMetrics.size()> tolerance{{
        {0.10, 2.0, WorseDirection::higher},
        {0.10, 10.0, WorseDirection::higher},
        {0.10, 1.0, WorseDirection::lower},
        {0.10, 5.0, WorseDirection::higher},
        {0.10, 0.02, WorseDirection::lower},
    }};
    double capacity_tolerance = 0.10;  // relative drop of last healthy that counts
    // Every series' lag-1 autocorrelation, when it is known rather than estimated: never set by `compare`
    // (a real series' ρ is unknown); tests/bench/compare_accuracy sets it to print the test's ceiling, what
    // the same rule detects when estimating ρ costs nothing.
    std::optional<double> known_lag1;

    const ChangeTolerance& tolerance_for(CompareMetric m) const {
        return tolerance.at(static_cast<std::size_t>(m));
    }
};

// The `compare` config section as settings (percentages become fractions).
CompareSettings compare_settings(const config::CompareConfig& config);

// Which series: scenario, the part of it (duration: "active"; speed: "x4"; baseline: ""), container ("" for
// the simulation's own figures: throughput, status latency, real-time ratio) and metric.
struct SeriesKey {
    std::string scenario;
    std::string phase;
    std::string container;
    CompareMetric metric = CompareMetric::cpu_percent;
};

// A window's name: "baseline", "duration_leak/active", "speed_scaling/x4" (the scenario, then "/" and the
// phase when it has one). The one spelling of it in notes, pooled_from, describe() and every compare writer.
std::string window_name(const std::string& scenario, const std::string& phase);

struct SeriesPair {
    SeriesKey key;
    std::vector<double> base, next;
    // The window runs the platform under load (the duration scenario's active phase, a speed step; not the
    // idle baseline): pooled with the other loaded windows of the same container and metric.
    bool loaded = false;
};

// The scenario of a pooled comparison's key (its phase is ""): one container and metric over every loaded
// window.
inline constexpr const char* kPooledScenario = "pooled";

struct MetricComparison {
    SeriesKey key;
    stats::MedianShift shift;
    ChangeVerdict verdict;
    std::vector<double> base_values, next_values;  // the series compared (for side-by-side charts)
    // A pooled comparison: the windows it combines ("duration_leak/active", "speed_scaling/x2", ...); empty
    // for the comparison of one window. It has no series of its own (base_values and next_values are empty).
    std::vector<std::string> pooled_from;

    bool pooled() const { return !pooled_from.empty(); }
};

// Every pair tested; then, for each container and metric tested in two or more loaded windows, one pooled
// comparison (pooled_shift) appended after them. Holm-adjusted over every comparison that has a test, each
// judged with its metric's tolerance.
//
// Why pool: a regression in how much a container costs per unit of load (+20 % CPU per agent) shows in every
// loaded window, and each window alone is short: under strongly autocorrelated noise (lag-1 ρ = 0.9, CV 10 %)
// one 5-minute phase detects +20 % in a fifth of pairs. The pooled test uses all of the run's loaded
// windows together (tests/bench/compare_accuracy, WHOLE RUNS).
std::vector<MetricComparison> compare_series(const std::vector<SeriesPair>& pairs,
                                             const CompareSettings& settings);

// One container and metric over several windows: the equal-weight mean R of the windows' relative changes of
// the median (change / |base median|), its variance Σ (se_i / |base median_i|)² / W², Welch–Satterthwaite
// degrees of freedom from the windows' own, and a two-sided t-test of R = 0. The returned shift is in the
// metric's unit so that the regression rule applies unchanged: base and new medians are the means of the
// windows' medians, change = R × the mean |base median| (what the floor is held against), and so is its
// interval; the relative change the rule sees is R. Equal weights, not inverse-variance ones: weights
// estimated from the same noisy variances favour the windows whose variance was underestimated, which makes
// the test's false alarms more frequent than its α. Windows without a test or with a base median of 0 are
// left out; invalid (why_not says so) when fewer than two remain.
stats::MedianShift pooled_shift(const std::vector<const stats::MedianShift*>& windows, double alpha);

// Step-mode stress capacity of one run (live drivers) and the USL peak when the fit gave one.
struct CapacityFigures {
    std::optional<long> last_healthy, breaking_point;
    std::optional<double> step;       // load spacing of the levels (the resolution of last_healthy)
    std::optional<double> peak_load;  // USL N*
};

struct CapacityComparison {
    CapacityFigures base, next;
    std::optional<double> last_healthy_change;  // relative: next/base − 1
    std::optional<double> peak_load_change;     // relative, informational (a model's figure)
    bool regression = false;  // last healthy fell by more than the tolerance and more than one step
};

CapacityComparison compare_capacity(const CapacityFigures& base, const CapacityFigures& next,
                                    double tolerance);

struct SpeedComparison {
    std::optional<int> base, next;  // max speed passed
    bool regression = false;        // the new run passed a lower speed
};

SpeedComparison compare_speed(std::optional<int> base, std::optional<int> next);

struct LeakComparison {
    std::string container;
    std::string base, next;   // verdicts: leak | suspect | ok | inconclusive | "" (not analysed in that run)
    bool regression = false;  // leak now, not before
};

std::vector<LeakComparison> compare_leaks(const std::vector<std::pair<std::string, std::string>>& base,
                                          const std::vector<std::pair<std::string, std::string>>& next);

struct OomComparison {
    std::string container;
    long base = 0, next = 0;  // OOM events over the whole run
    bool regression = false;  // more than before
};

std::vector<OomComparison> compare_ooms(const std::vector<std::pair<std::string, long>>& base,
                                        const std::vector<std::pair<std::string, long>>& next);

}  // namespace perfrunner::analysis
