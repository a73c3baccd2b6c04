#pragma once
// The analysis object: a pure function of the results model and the config, shared by `run` and `analyze`,
// and the single input of every output writer (results.json `analysis`, summary.json, reports, charts).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "perfrunner/analysis/baseline_calibration.hpp"
#include "perfrunner/analysis/leak_rule.hpp"
#include "perfrunner/analysis/usl_capacity.hpp"
#include "perfrunner/config/config.hpp"
#include "perfrunner/model/results.hpp"

namespace perfrunner::analysis {

struct SeriesStats {
    std::size_t n = 0;
    double mean = 0, std = 0, min = 0, max = 0, p50 = 0, p95 = 0, p99 = 0;  // std: population (ddof 0)
};

// One container in one scenario (reference-framework.md §8.1, §8.3 with the plain OLS slope).
struct ContainerSummary {
    std::string container;
    SeriesStats memory_mb;
    SeriesStats cpu_percent;
    SeriesStats memory_percent;
    double memory_limit_mb = 0;  // last non-zero limit seen
    double cpu_cores_effective = 1.0;
    std::optional<double> memory_slope_mb_per_min;    // plain OLS, null if n < 2
    std::optional<double> cpu_slope_percent_per_min;  // plain OLS, null if n < 2
};

struct ScenarioSummary {
    std::string scenario_name;
    std::size_t total_samples = 0;
    std::vector<ContainerSummary> containers;  // deterministic order: priority containers first, then by name
    // Set when the scenario has no samples: "aborted before sampling: <reason>" (or "no samples recorded").
    // Such a scenario feeds no section: its tables say this instead of zeros.
    std::optional<std::string> unsampled;
};

enum class Severity { info, warning, critical };
// incomplete: no scenario completed (e.g. the stack never came up) and nothing failed - not a pass.
enum class Verdict { pass, warning, fail, incomplete };
const char* to_string(Severity s);  // "info" | "warning" | "critical"
const char* to_string(Verdict v);   // "pass" | "warning" | "fail" | "incomplete"

struct Finding {
    Severity severity = Severity::info;
    std::string category;  // memory_leak | high_memory_usage | high_cpu_usage | oom_event | cpu_leak |
                           // stress_threshold | ...
    std::string container;
    std::string message;
    std::optional<double> metric_value;
    std::optional<double> threshold;
    std::string scenario_name;
    std::string recommendation;
    std::string check_name;  // stable id of the check, e.g. "duration_leak/rideshare-simulation/memory_leak"
};

struct ContainerHealth {
    std::string container_name;
    std::string display_name;
    double memory_current_mb = 0, memory_limit_mb = 0, memory_percent = 0;
    std::optional<double> memory_leak_rate_mb_per_min;
    double cpu_current_percent = 0, cpu_peak_percent = 0;
    std::string status;  // healthy | warning | critical
};

// Duration scenario per container: the seed's flags (kept comparable) and the statistical verdict
// (statistics.md §6; filled by the leak module).
struct LeakResult {
    std::string container;
    std::optional<double> seed_memory_slope_mb_per_min;  // endpoint slope, active phase (reference formula 1)
    std::optional<double> seed_cpu_slope_percent_per_min;
    bool seed_memory_leak_detected = false;             // > memory_leak_mb_per_min
    bool seed_cpu_leak_detected = false;                // > cpu_leak_percent_per_min
    std::optional<double> ols_memory_slope_mb_per_min;  // active phase, plain OLS
    std::string
        tier;  // seed tiers on the OLS slope: "normal" (< 0.5) | "monitor" (0.5-1.0) | "investigate" (> 1.0)
    std::string verdict;  // "leak" | "suspect" | "ok" | "inconclusive" (memory.verdict)
    std::string reason;
    LeakAssessment memory;  // the rule on the memory signal
    LeakAssessment cpu;     // the rule on CPU (never stronger than `suspect`)
    std::string signal;     // "rss" | "working_set": the memory series judged
    double threshold_mb_per_min = 0;
    std::optional<double> memory_limit_mb;  // last non-zero limit of the active phase
};

// The cooldown comparison's working (statistics.md §9); the optionals are set when their data exists.
struct CooldownStatistics {
    double active_window_seconds = 0, cooldown_window_seconds = 0;
    std::optional<double> hl_shift_mb, hl_ci95_lower_mb, hl_ci95_upper_mb,
        tolerance_mb;                                              // both windows have data
    std::optional<double> rss_active_end_mb, rss_cooldown_end_mb;  // both windows have rss
    std::optional<double> baseline_median_mb;                      // a baseline scenario has the container
    bool returned_to_baseline = false;                             // meaningful with baseline_median_mb
};

struct CooldownResult {
    std::string container;
    std::optional<double> active_end_mb, cooldown_end_mb, delta_mb, delta_percent;
    bool memory_released = false;
    std::string classification;        // released | retained | unchanged | no_data
    int k_active = 0, k_cooldown = 0;  // samples in each median window
    CooldownStatistics statistics;
};

// Endpoint slopes (reference formula 1) of one container in one duration phase.
struct ContainerSlopes {
    std::string container;
    std::optional<double> memory_slope_mb_per_min;
    std::optional<double> cpu_slope_percent_per_min;
};

struct PhaseSlopes {
    std::string phase;                        // "active" | "drain" | "cooldown"
    std::vector<ContainerSlopes> containers;  // empty for a phase with < 2 samples
};

struct DurationAnalysis {
    std::vector<PhaseSlopes> phase_analysis;  // the phases the run reached, in order
    std::vector<LeakResult> leaks;
    std::vector<CooldownResult> cooldown;
};

struct StressAnalysis {
    std::optional<model::Trigger> trigger;       // as recorded; none when the time limit ended the test
    std::vector<model::PeakValues> peak_values;  // as recorded, else the samples' maxima (aborted runs)
    std::optional<long> drivers_queued, last_healthy, breaking_point, recommended_load;
    std::optional<UslCapacity> usl;  // step mode only: the scalability fit, or why there is none
};

struct SpeedStep {
    int step = 0;
    int multiplier = 0;
    long agent_count = 0;
    std::size_t sample_count = 0;
    bool threshold_hit = false;
    std::optional<model::Trigger> trigger;
    std::vector<std::pair<std::string, double>> mean_cpu_percent;     // container -> mean
    std::vector<std::pair<std::string, double>> mean_memory_percent;  // container -> mean
    std::optional<double> mean_real_time_ratio;
};

struct SpeedAnalysis {
    std::vector<SpeedStep> steps;
    int max_speed_passed = 1;    // last step without a threshold hit
    int max_speed_achieved = 1;  // reference meaning: last step run
};

struct Analysis {
    std::vector<ScenarioSummary> scenario_summaries;
    std::optional<DurationAnalysis> duration;
    std::optional<StressAnalysis> stress;
    std::optional<SpeedAnalysis> speed;
    std::optional<CalibrationReport> calibration;  // the baseline's status figures and each scenario's pace
    std::vector<Finding> findings;
    std::vector<std::string> recommendations;
    std::vector<ContainerHealth> container_health;
    std::string container_health_scenario;  // the scenario it comes from: the duration test when it has
                                            // samples, else the last scenario with samples ("" = none)
    Verdict verdict = Verdict::pass;
    int scenarios_passed = 0, scenarios_failed = 0, total_oom_events = 0, critical_count = 0,
        warning_count = 0;
};

Analysis analyze(const model::RunResult& run, const config::Config& config);

// Their JSON: analysis_json.hpp.

}  // namespace perfrunner::analysis
