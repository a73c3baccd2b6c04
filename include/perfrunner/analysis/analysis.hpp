#pragma once
// The analysis object: a pure function of the results model and the config, shared by `run` and `analyze`,
// and the single input of every output writer (results.json `analysis`, summary.json, reports, charts).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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
};

enum class Severity { info, warning, critical };
enum class Verdict { pass, warning, fail };
const char* to_string(Severity s);  // "info" | "warning" | "critical"
const char* to_string(Verdict v);   // "pass" | "warning" | "fail"

struct Finding {
    Severity severity = Severity::info;
    std::string category;  // memory_leak | high_memory_usage | high_cpu_usage | oom_event | cpu_leak | stress_threshold | ...
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
    bool seed_memory_leak_detected = false;  // > memory_leak_mb_per_min
    bool seed_cpu_leak_detected = false;     // > cpu_leak_percent_per_min
    std::optional<double> ols_memory_slope_mb_per_min;  // active phase, plain OLS
    std::string tier;     // seed tiers on the OLS slope: "normal" (< 0.5) | "monitor" (0.5-1.0) | "investigate" (> 1.0)
    std::string verdict;  // "leak" | "suspect" | "ok" | "inconclusive"
    std::string reason;
    nlohmann::json statistics = nlohmann::json::object();  // n, n_eff, slopes, CI, MK, MDS, t_limit, ...
};

struct CooldownResult {
    std::string container;
    std::optional<double> active_end_mb, cooldown_end_mb, delta_mb, delta_percent;
    bool memory_released = false;
    std::string classification;  // released | retained | unchanged | no_data
    int k_active = 0, k_cooldown = 0;  // samples in each median window
    nlohmann::json statistics = nlohmann::json::object();
};

struct DurationAnalysis {
    // phase -> container -> slopes (endpoint, reference formula 1) for phase_analysis compatibility
    nlohmann::json phase_analysis = nlohmann::json::object();
    std::vector<LeakResult> leaks;
    std::vector<CooldownResult> cooldown;
};

struct StressAnalysis {
    nlohmann::json trigger;  // as recorded, or null
    nlohmann::json peak_values = nlohmann::json::object();
    std::optional<long> drivers_queued, last_healthy, breaking_point, recommended_load;
};

struct SpeedStep {
    int step = 0;
    int multiplier = 0;
    long agent_count = 0;
    std::size_t sample_count = 0;
    bool threshold_hit = false;
    nlohmann::json trigger;  // or null
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
    std::vector<Finding> findings;
    std::vector<std::string> recommendations;
    std::vector<ContainerHealth> container_health;
    Verdict verdict = Verdict::pass;
    int scenarios_passed = 0, scenarios_failed = 0, total_oom_events = 0, critical_count = 0, warning_count = 0;
};

Analysis analyze(const model::RunResult& run, const config::Config& config);

// results.json `analysis` (scenario_summaries + perfrunner additions) and summary.json `verdict` shapes
// (results-schema.md §6, §7).
nlohmann::json analysis_json(const Analysis& analysis);
nlohmann::json verdict_json(const Analysis& analysis);

}  // namespace perfrunner::analysis
