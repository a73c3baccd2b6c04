#pragma once
// The one PromQL expression a tick needs, and its answer decoded into typed figures.
//
// Every figure of every container and every host comes from ONE instant query: each sub-expression is
// aggregated to the identity labels (dropping cAdvisor's dozens of container_label_* labels) and tagged with
// a `perfrunner_figure` label, and the sub-expressions are joined with `or` (their label sets differ by the
// tag, so nothing is dropped). The same expression run through query_range gives the figures of every step:
// backfill.
//
// CPU: rate(container_cpu_usage_seconds_total[window]) with window >= 4 x the scrape interval (rate() needs
// two samples in its window), and the raw counter with its sample timestamp, from which the sampler computes
// CPU across ticks and tells counter resets and stale series apart the way the cAdvisor source does.
#include <optional>
#include <string>
#include <vector>

#include "perfrunner/adapters/prometheus_api.hpp"
#include "perfrunner/adapters/prometheus_labels.hpp"

namespace perfrunner::adapters::prometheus {

inline constexpr const char* kFigureLabel = "perfrunner_figure";

// `window_seconds` is written in whole milliseconds. `with_host` adds the root cgroup (id="/") and machine
// figures.
std::string tick_query(const LabelMapping& mapping, const std::string& compose_project, double window_seconds,
                       bool with_host);

struct ContainerFigures {
    Labels identity;                          // the labels the query kept (container_identity_labels)
    std::optional<double> cpu_cores;          // rate of the CPU counter: cores (1.0 = one core busy)
    std::optional<double> cpu_total_seconds;  // the counter itself
    std::optional<double> working_set_bytes;
    std::optional<double> rss_bytes;
    std::optional<double> usage_bytes;
    std::optional<double> limit_bytes;
    std::optional<double> cpu_quota_us;
    std::optional<double> cpu_period_us;
    std::optional<double> sample_time;  // timestamp of the working-set sample (cAdvisor's own time), unix s
};

struct HostFigures {
    std::string host;  // value of the host label
    std::optional<double> cpu_cores;
    std::optional<double> working_set_bytes;
    std::optional<double> sample_time;
    std::optional<double> cores;         // machine_cpu_cores
    std::optional<double> memory_bytes;  // machine_memory_bytes
};

struct TickFigures {
    double time = 0.0;  // evaluation time of the query (Prometheus' clock), unix s
    std::vector<ContainerFigures> containers;
    std::vector<HostFigures> hosts;
    // sum(rate(simulation_events_total)): the platform's event throughput, when Prometheus scrapes it.
    std::optional<double> events_per_sec;
};

// A vector answer gives one tick; a matrix answer one tick per step time, oldest first. Values are kept as
// sent (NaN and ±Inf included); series without a known figure tag are ignored.
std::vector<TickFigures> decode_ticks(const QueryResult& result, const LabelMapping& mapping);

}  // namespace perfrunner::adapters::prometheus
