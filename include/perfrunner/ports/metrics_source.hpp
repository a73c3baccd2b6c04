#pragma once
// Where per-container CPU and memory come from (cAdvisor in production).
#include <optional>
#include <string>
#include <vector>

namespace perfrunner::ports {

struct ContainerReading {
    std::string name;  // configured container name (catalogue), e.g. "rideshare-simulation"
    std::string host;  // the Docker engine / node it runs on, as the source names it ("" = the only one)
    double memory_used_mb = 0.0;   // working set, MiB
    double memory_limit_mb = 0.0;  // 0 = unlimited
    double memory_percent = 0.0;   // 0 when unlimited
    std::optional<double> memory_rss_mb;
    std::optional<double> memory_usage_mb;
    std::optional<double>
        cpu_percent;  // % of one core across the poll interval; nullopt on first poll/reset/stale
    double cpu_cores_effective = 1.0;
    std::string cores_source;  // "override" | "quota" | "cpuset" | "machine" | "default"
    std::optional<std::string> cadvisor_timestamp;
    bool stale = false;
    bool counter_reset = false;
};

struct HostReading {
    std::string name;                           // "" = the only host
    std::optional<double> cpu_percent;          // % of one core, all cores summed
    std::optional<double> cpu_percent_of_host;  // % of all cores
    std::optional<double> memory_used_mb;
    std::optional<double> memory_total_mb;
    int num_cores = 0;
};

struct MetricsReading {
    bool ok = false;    // the source answered
    std::string error;  // why not, one line
    std::vector<ContainerReading> containers;
    std::vector<std::string> missing;  // configured containers the source does not know
    std::optional<HostReading> host;
    std::vector<HostReading> hosts;  // every host, when the source sees several (host = the first)
    // The platform's event throughput (events per wall second) when the source has it (Prometheus:
    // sum(rate(simulation_events_total))); the sampler then makes no GET /metrics/performance call. NaN: the
    // series exists but has no rate yet (recorded as null).
    std::optional<double> events_per_sec;
};

// A reading of the source's history at one time (unix s).
struct TimedReading {
    double time = 0.0;
    MetricsReading reading;
};

class MetricsSource {
  public:
    virtual ~MetricsSource() = default;
    // One poll for all configured containers. Never throws for a failed poll: ok=false and error set.
    virtual MetricsReading poll() = 0;
    // Forget CPU baselines (after a clean restart containers get new ids and counters).
    virtual void reset_baselines() = 0;
    // The readings at every `step` from start to end, from the source's own history, for ticks perfrunner
    // missed (a paused or overloaded perfrunner is then not a gap in the data). Empty when the source keeps
    // no history it can be asked for (cAdvisor's REST API: its in-memory history is too short to rely on).
    // Throws on a failed request.
    virtual std::vector<TimedReading> backfill(double start, double end, double step) {
        static_cast<void>(start);
        static_cast<void>(end);
        static_cast<void>(step);
        return {};
    }
};

}  // namespace perfrunner::ports
