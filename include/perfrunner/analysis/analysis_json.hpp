#pragma once
// The one JSON mapping of each analysis result, shared by results.json (`analysis`, `verdict`, the duration
// metadata) and summary.json. Reference keys come first in the reference order (results-schema.md §5-§7),
// perfrunner additions after them (§9). Every number goes through model::round_half_even at the precision
// below; the reports format the same fields with the same precision, so every output shows the same digits.
#include <nlohmann/json.hpp>

#include "perfrunner/analysis/analysis.hpp"

namespace perfrunner::analysis {

// Decimal places of each kind of number written (results-schema.md §4-§7).
namespace decimals {
inline constexpr int kLevel = 1;          // MB and % in scenario summaries and container health
inline constexpr int kSlope = 3;          // MB/min and %/min slopes
inline constexpr int kFinding = 2;        // finding metric_value and threshold
inline constexpr int kCooldown = 2;       // cooldown medians and deltas
inline constexpr int kRealTimeRatio = 3;  // speed-scaling mean real-time ratio
inline constexpr int kThroughput = 2;     // events/s (window means, X(N*))
inline constexpr int kUslLambda = 4;      // events/s per driver
inline constexpr int kUslSigma = 6;
inline constexpr int kUslKappa = 9;   // κ is ~1e-4..1e-7: nine places keep three significant digits
inline constexpr int kUslLoad = 1;    // N*, in live drivers
inline constexpr int kLatencyMs = 2;  // status-call latency
}  // namespace decimals

nlohmann::ordered_json container_summary_json(const ContainerSummary& summary);
nlohmann::ordered_json scenario_summary_json(const ScenarioSummary& summary);
nlohmann::ordered_json finding_json(const Finding& finding);
nlohmann::ordered_json container_health_json(const ContainerHealth& health);
nlohmann::ordered_json phase_analysis_json(const std::vector<PhaseSlopes>& phases);
nlohmann::ordered_json leak_result_json(const LeakResult& leak);
nlohmann::ordered_json cooldown_result_json(const CooldownResult& cooldown);
nlohmann::ordered_json stress_analysis_json(const StressAnalysis& stress);
// stress_summary.usl: the points, λ σ κ with 95 % intervals, RMSE, N* and X(N*) or why not.
nlohmann::ordered_json usl_capacity_json(const UslCapacity& usl);
// analysis.baseline_calibration: the baseline's figures, the derived limits, and each scenario against them.
nlohmann::ordered_json calibration_json(const CalibrationReport& calibration);
nlohmann::ordered_json speed_analysis_json(const SpeedAnalysis& speed);

// The duration scenario's metadata part: {phase_analysis, leak_analysis, cooldown_analysis (when any)}.
nlohmann::ordered_json duration_analysis_json(const DurationAnalysis& duration);

// results.json `analysis`: scenario_summaries (§6), then leak_detection, cooldown, stress_summary,
// speed_summary when the run had those scenarios.
nlohmann::ordered_json analysis_json(const Analysis& analysis);

// summary.json `verdict` and results.json `verdict`: the reference keys (§7), then the same leak_detection,
// cooldown, stress_summary and speed_summary objects as analysis_json.
nlohmann::ordered_json verdict_json(const Analysis& analysis);

}  // namespace perfrunner::analysis
