#pragma once
// The stress threshold rule (reference-framework.md §5.2, statistics.md §10): one rule for both stress modes
// and speed scaling, as pure functions of a window of values. Checked in this order, the first hit wins:
//   1. critical (when set): memory at or over the critical share in any sample - an immediate stop (§10.1);
//   2. per container, in the window's order (the catalogue's): memory (% of the limit) >= the memory
//      threshold, then CPU >= the CPU threshold x the container's effective cores (% of one core);
//   3. host CPU (% of all cores) >= the host threshold (container "host", metric "cpu");
//   4. the simulation's real-time ratio <= the floor (the simulation container, metric "rtr");
//   5. the status call's latency >= the limit (the simulation container, metric "latency"; only with
//      scenarios.stress_baseline_triggers, from the baseline's calibration).
// "Crossing" is the breach rule: the window mean (the reference's rolling mean), k of the last m values,
// either or both; comparisons are inclusive. A series is judged only once it holds `min_values` values, so
// the ramp's half-filled rolling window never triggers on one spike.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "perfrunner/config/config.hpp"
#include "perfrunner/model/scenario_metadata.hpp"

namespace perfrunner::analysis {

// One container's values over the window, oldest first.
struct ContainerWindow {
    std::string container;
    std::vector<double> memory_percent;  // of the limit
    std::vector<double> cpu_percent;     // of one core (samples without a CPU value left out)
    double cpu_cores = 1.0;              // effective cores: the CPU threshold is % of this quota
};

struct StressWindow {
    std::vector<ContainerWindow> containers;  // in the order they are judged
    std::vector<double> real_time_ratio;      // simulation pace, 1.0 keeps up
    std::vector<double> host_cpu_percent;     // host CPU, % of all cores
    std::vector<double> status_latency_ms;    // round trip of the status call
};

enum class BreachRule { window_mean, k_of_m, either, both };

struct StressRuleSettings {
    double memory_threshold_percent = 90;  // of the limit
    double cpu_threshold_percent = 90;     // of the container's quota (effective cores)
    BreachRule rule = BreachRule::either;
    int k = 4;
    int m = 5;
    std::optional<double> critical_memory_percent;              // none: no immediate stop
    double host_cpu_threshold_percent = 0;                      // 0 = off
    double rtr_floor = 0;                                       // 0 = off
    double latency_limit_ms = 0;                                // 0 = off
    std::size_t min_values = 1;                                 // values a series needs before it is judged
    std::string simulation_container = "rideshare-simulation";  // the container an "rtr" hit names

    // The reference's rolling mean over full windows of `window` values: ramp mode and speed scaling.
    static StressRuleSettings rolling_mean(const config::Config& config, std::size_t window);
    // The sustained-breach rules on a judged window, critical memory stopping at once: step mode (§10.1).
    static StressRuleSettings sustained(const config::Config& config);
};

BreachRule breach_rule_from(const std::string& name);  // "either" | "window_mean" | "k_of_m" | "both"

// The catalogue's simulation container (the one whose name contains "simulation").
std::string simulation_container(const config::Config& config);

// Sustained crossing of one series (inclusive >=; `below` flips it to <= for floors).
bool window_breaches(const std::vector<double>& values, double threshold, BreachRule rule, int k, int m,
                     bool below = false);

// Rule 1 alone: the first sample at or over the critical memory share (nullopt when none is set).
std::optional<model::Trigger> critical_breach(const StressWindow& window, const StressRuleSettings& settings);

// The first hit of rules 1-4, with its detail (window mean, samples over, k, m, critical); nullopt = healthy.
std::optional<model::Trigger> evaluate_window(const StressWindow& window, const StressRuleSettings& settings);

// Next load to probe between last_healthy (no breach) and breaking_point (breach), rounded down to
// `granularity` agents; nullopt once breaking_point - last_healthy <= resolution or no new level lies
// strictly between them.
std::optional<long> next_bisection_probe(long last_healthy, long breaking_point, long resolution,
                                         long granularity = 1);

}  // namespace perfrunner::analysis
