#pragma once
// Reading one container's series out of the results model: samples where the container is present and not
// flagged `missing` (results-schema.md §8.5: absent = no data, never 0), in sample order.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "perfrunner/config/config.hpp"
#include "perfrunner/model/results.hpp"

namespace perfrunner::analysis {

struct Series {
    std::vector<double> t;  // epoch seconds
    std::vector<double> y;
};

using SampleValue = std::function<std::optional<double>(const model::ContainerSample&)>;

// Samples [begin, end) of the scenario.
Series extract(const model::ScenarioResult& scenario, model::ContainerId id, std::size_t begin,
               std::size_t end, const SampleValue& value);

// Time in minutes relative to the first point.
std::vector<double> minutes_since_first(const std::vector<double>& t_seconds);

// Containers appearing (not missing) in samples [begin, end), in the deterministic order.
std::vector<model::ContainerId> containers_in(const model::RunResult& run,
                                              const model::ScenarioResult& scenario,
                                              const config::Config& config, std::size_t begin,
                                              std::size_t end);

// analysis.priority_containers first (in their configured order), then alphabetical.
void sort_containers(std::vector<std::string>& names, const config::Config& config);

// Per-container thresholds: the override when present, else the global value.
struct ContainerThresholds {
    double memory_leak_mb_per_min, memory_leak_monitor_mb_per_min, memory_warning_percent,
        memory_critical_percent;
    double cpu_leak_percent_per_min, cpu_warning_percent, cpu_critical_percent;
};
ContainerThresholds thresholds_for(const config::Config& config, const std::string& container);

// Effective cores: ContainerSpec::cpu_cores, else the samples' cpu_cores_effective (last seen), else 1.
double effective_cores(const config::Config& config, const std::string& container,
                       std::optional<double> from_samples);

// Catalogue display name, else "rideshare-" stripped and title-cased.
std::string display_name(const config::Config& config, const std::string& container);

const config::ContainerSpec* find_spec(const config::Config& config, const std::string& container);

// Duration phases as sample index ranges (metadata.phase_sample_counts; all samples are "active" without it).
struct PhaseRanges {
    std::size_t active_begin = 0, active_end = 0, drain_end = 0, cooldown_end = 0;
    bool has_counts = false;
};
PhaseRanges phase_ranges(const model::ScenarioResult& scenario);

}  // namespace perfrunner::analysis
