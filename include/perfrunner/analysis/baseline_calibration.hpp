#pragma once
// Baseline calibration (issue 14): how fast the simulation answers its status call and how well it keeps real
// time when nothing loads it, and the limits derived from that — latency ×1.25 degraded, ×1.5 unhealthy (on
// the p95), real-time ratio below 0.8× the reference. Fixed latency limits do not travel between machines;
// limits relative to the same machine's idle figures do.
#include <cstddef>
#include <optional>
#include <span>
#include <string>

#include <vector>

#include "perfrunner/analysis/stress_rule.hpp"
#include "perfrunner/model/results.hpp"

namespace perfrunner::analysis {

inline constexpr double kLatencyDegradedFactor = 1.25;
inline constexpr double kLatencyUnhealthyFactor = 1.5;
inline constexpr double kRealTimeRatioFloorFactor = 0.8;

struct BaselineCalibration {
    std::size_t latency_samples = 0;
    std::optional<double> latency_p50_ms, latency_p95_ms;
    // The reference real-time ratio: the baseline's mean when the simulation ran during it, else the mean of
    // the lightest loaded window the run measured (the reference framework's baseline never starts it).
    std::optional<double> mean_real_time_ratio;
    std::string real_time_ratio_source;  // "baseline" | "<scenario> <part>" | "" (none measured)
    // Derived limits; null without the figure they derive from.
    std::optional<double> latency_degraded_ms, latency_unhealthy_ms, real_time_ratio_floor;
};

// From the samples' pace records (status latency, real-time ratio); samples without them are skipped.
BaselineCalibration calibrate_baseline(std::span<const model::Sample> baseline);

// Sets the reference ratio (and its floor) from another window when the baseline measured none.
void use_real_time_reference(BaselineCalibration& calibration, std::span<const model::Sample> window,
                             const std::string& source);

enum class PaceState { ok, degraded, unhealthy, no_data };
const char* to_string(PaceState s);  // "ok" | "degraded" | "unhealthy" | "no_data"

// One scenario (or part of it) judged against the calibration.
struct PaceAssessment {
    std::size_t latency_samples = 0;
    std::optional<double> latency_p50_ms, latency_p95_ms, mean_real_time_ratio;
    PaceState latency = PaceState::no_data;    // p95 vs the degraded / unhealthy limits
    PaceState real_time = PaceState::no_data;  // mean ratio vs the floor: ok or unhealthy
};

PaceAssessment assess_pace(std::span<const model::Sample> samples, const BaselineCalibration& calibration);

// The run's calibration: from its baseline scenario's samples (none without a baseline).
std::optional<BaselineCalibration> run_calibration(const model::RunResult& run);

// scenarios.stress_baseline_triggers: the calibrated limits as stress rules — the real-time-ratio floor
// becomes the higher of the configured floor and the calibrated one, the status-latency limit the unhealthy
// one (1.5x the baseline p95). A figure the calibration lacks leaves its rule as configured.
void apply_baseline_triggers(StressRuleSettings& rule, const BaselineCalibration& calibration);

// One scenario judged against the run's calibration (issue 14 point 3: limits reported per scenario).
struct ScenarioPace {
    std::string scenario_name;
    PaceAssessment assessment;
};

struct CalibrationReport {
    BaselineCalibration calibration;
    std::vector<ScenarioPace> scenarios;  // every scenario after the baseline with pace records, in run order
};

// None when the run has no baseline scenario with status latencies (e.g. the reference framework's files).
std::optional<CalibrationReport> calibration_report(const model::RunResult& run);

}  // namespace perfrunner::analysis
