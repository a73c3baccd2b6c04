#pragma once
// Stress-test threshold rules as pure functions (statistics.md §10), used by the stress and speed-scaling
// scenarios: sustained-breach rules on a window of samples, the immediate critical stop, the reference's
// rolling-mean check (default "ramp" mode) and the bisection helper.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "perfrunner/config/config.hpp"

namespace perfrunner::analysis {

// One container's values over the window, oldest first.
struct ContainerWindow {
    std::string container;
    std::vector<double> memory_percent;  // of the limit
    std::vector<double> cpu_percent;     // of one core (samples without a CPU value left out)
    double cpu_cores = 1.0;              // effective cores: the CPU threshold is % of this quota
};

struct StressWindow {
    std::vector<ContainerWindow> containers;
    std::vector<double> real_time_ratio;   // simulation pace, 1.0 keeps up
    std::vector<double> host_cpu_percent;  // host CPU, % of all cores
};

struct StressRuleSettings {
    double memory_threshold_percent = 90;  // of the limit
    double cpu_threshold_percent = 90;     // of the container's quota (effective cores)
    std::string breach_rule = "either";    // either | window_mean | k_of_m | both
    int k = 4, m = 5;
    double critical_memory_percent = 95;
    double rtr_floor = 0;                  // 0 = off; breach when the pace falls below it (metric "rtr")
    double host_cpu_threshold_percent = 0; // 0 = off; container "host", metric "cpu"

    static StressRuleSettings from(const config::Config& config);  // 0/empty config values keep these defaults
};

struct Trigger {
    std::string container;  // "host" for the host CPU rule
    std::string metric;     // memory | cpu | rtr
    double value = 0;       // the window mean (critical: the sample that crossed), in the metric's unit
    double threshold = 0;   // in the same unit (CPU: % of one core = percent of quota × cores)
    double window_mean = 0;
    int samples_over = 0;   // samples at/over the threshold (rtr: below the floor) among the last m
    int k = 0, m = 0;
    bool critical = false;  // immediate stop

    nlohmann::json to_json() const;  // {container, metric, value (2 dp), threshold, window_mean, samples_over, k, m, critical}
};

// Sustained breach of one series against a threshold (inclusive ≥; `below` flips it to ≤ for floors):
// window mean rule, k-of-the-last-m rule, combined by `rule`.
bool window_breaches(const std::vector<double>& values, double threshold, const std::string& rule, int k, int m,
                     bool below = false);

// Memory at or above the critical percentage in any sample of the window (checked first, stops at once).
std::optional<Trigger> critical_breach(const StressWindow& window, const StressRuleSettings& settings);

// The first breach in the window: critical memory, then per container memory and CPU (containers in the given
// order), then the real-time-ratio floor, then host CPU. nullopt = healthy.
std::optional<Trigger> evaluate_window(const StressWindow& window, const StressRuleSettings& settings);

// Reference rolling-mean check (ramp mode): mean of the last `samples` values ≥ threshold (memory % of limit;
// CPU threshold × cores). Needs at least `samples` values.
std::optional<Trigger> rolling_mean_check(const StressWindow& window, int samples, const StressRuleSettings& settings);

// Next load to probe between last_healthy (no breach) and breaking_point (breach), rounded down to `granularity`
// agents; nullopt once breaking_point − last_healthy ≤ resolution or no new level lies strictly between them.
std::optional<long> next_bisection_probe(long last_healthy, long breaking_point, long resolution, long granularity = 1);

}  // namespace perfrunner::analysis
