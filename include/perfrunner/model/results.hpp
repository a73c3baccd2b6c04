#pragma once
// The results model: what one run of perfrunner (or of the reference Python framework) collected.
// The JSON mapping lives in results_json.hpp; the schema is ../shared/spec/results-schema.md.
//
// Container names are interned once per run (RunResult::containers) and samples refer to them by index, so a
// run of a million container samples stays compact in memory. A container is a (name, host) pair: the same
// name on two Docker hosts is two containers; host "" is the one host of a single-host run (every file
// without hosts).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "perfrunner/model/optional_figure.hpp"
#include "perfrunner/model/scenario_metadata.hpp"

namespace perfrunner::model {

using ContainerId = std::uint32_t;

// Values of one container in one sample. Reference fields first (results-schema.md §4.1), then additions
// (§9).
struct ContainerSample {
    // The id and the flags first: they share 8 bytes (a million-sample model is ~140 MB of these).
    ContainerId container = 0;
    bool stale = false;  // cAdvisor had no newer stat than the previous poll
    bool missing =
        false;  // configured container not reported by cAdvisor in this sample (values meaningless)
    bool counter_reset = false;  // CPU counter went backwards (restart); cpu_percent is null
    // Which of the three reference figures were null in the file read (they read as 0.0 for the analysis
    // and are written back as null): kNullMemoryUsed | kNullMemoryLimit | kNullMemoryPercent.
    std::uint8_t null_figures = 0;
    double memory_used_mb = 0.0;   // working set, MiB
    double memory_limit_mb = 0.0;  // 0.0 = unlimited or unknown
    double memory_percent = 0.0;   // used / limit * 100; 0.0 when unlimited
    OptionalFigure cpu_percent;    // % of one core, not clamped; null when no rate could be computed
    // perfrunner additions (absent in reference files)
    OptionalFigure memory_rss_mb;
    OptionalFigure memory_usage_mb;
    OptionalFigure cpu_percent_of_quota;
    OptionalFigure cpu_cores_effective;
    std::optional<std::string> cadvisor_timestamp;  // ISO with ns, "Z"
    // Unknown members kept verbatim: "\"k\":v,\"k2\":v2" (no braces), or empty. Members the model holds as
    // "absent or set" (the additions, stale/missing/counter_reset) go here too when the file had them as
    // null or false, so that a rewrite keeps every member it read.
    std::string extra_json{};

    static constexpr std::uint8_t kNullMemoryUsed = 1;
    static constexpr std::uint8_t kNullMemoryLimit = 2;
    static constexpr std::uint8_t kNullMemoryPercent = 4;
};

// Mean of the last window of samples of one container (stress test, results-schema.md §4.1).
struct RollingAverage {
    ContainerId container = 0;
    double memory_percent = 0.0;
    double cpu_percent = 0.0;
    std::string extra_json{};  // unknown members (see ContainerSample::extra_json)
};

struct AgentsQueued {
    long drivers = 0;
    long riders = 0;
    long total = 0;
    std::string extra_json{};  // unknown members (see ContainerSample::extra_json)
};

// Whole-host figures from cAdvisor's root container (perfrunner addition).
struct HostSample {
    std::optional<double> cpu_percent;          // % of one core, summed over all cores
    std::optional<double> cpu_percent_of_host;  // % of all cores (100 = every core busy)
    std::optional<double> memory_used_mb;
    std::optional<double> memory_total_mb;
    int num_cores = 0;
    std::string extra_json{};  // unknown members (see ContainerSample::extra_json)
};

// How well the simulation keeps up with real time (perfrunner addition), read from /simulation/status, and
// its throughput from /metrics/performance (a pace record may hold only the throughput when the status
// failed).
struct PaceSample {
    std::optional<std::string> state;
    std::optional<std::string> simulated_time;  // status.current_time as sent
    std::optional<double> achieved_speed;       // Δ simulated s / Δ wall s since the previous sample
    std::optional<double> requested_speed;      // status.speed_multiplier
    std::optional<double> real_time_ratio;      // achieved / requested; 1.0 keeps pace
    std::optional<double> status_latency_ms;    // round trip of the status call
    std::optional<long> drivers_total;
    std::optional<long> riders_total;
    std::optional<long> active_trips;
    // Throughput: events.total_per_sec of GET /metrics/performance (simulation-api.md §2.3), events per wall
    // second. Written only when set; a tick whose call failed keeps "events_per_sec":null in extra_json
    // (PaceSample::kNoThroughput), files without the figure stay without it.
    std::optional<double> events_per_sec;
    std::string extra_json{};  // unknown members (see ContainerSample::extra_json)

    static constexpr const char* kNoThroughput = "\"events_per_sec\":null";
};

struct Sample {
    double timestamp = 0.0;                        // epoch seconds (poller clock)
    std::string timestamp_iso;                     // as read, or UTC with "Z" when written by perfrunner
    std::vector<ContainerSample> containers;       // empty when cAdvisor failed
    std::vector<RollingAverage> rolling_averages;  // stress test only
    std::optional<AgentsQueued> agents_queued;     // stress test only
    std::optional<HostSample> host;
    std::optional<PaceSample> pace;
    std::optional<std::string> error;  // why this sample has no (or partial) data, e.g. "cadvisor: timeout"
    bool containers_null = false;      // the file had "containers": null (written back as null)
    // Filled after the phase from the metrics source's history (Prometheus query_range) for a tick perfrunner
    // missed: its figures are the source's at `timestamp`; it has no pace (the status call was not made).
    bool backfilled = false;
    // Unknown members kept verbatim (see ContainerSample::extra_json); also optional members that were null.
    std::string extra_json{};

    // A sample holds each container at most once (a file's duplicate keys are refused), and nearly always
    // every container in the order they were interned: its own index is tried first, so the analysis's
    // per-container passes over a million samples do not scan every sample's containers.
    const ContainerSample* find(ContainerId id) const {
        if (id < containers.size() && containers[id].container == id) {
            return &containers[id];
        }
        for (const auto& c : containers) {
            if (c.container == id) {
                return &c;
            }
        }
        return nullptr;
    }
};

// results-schema.md §4.2. perfrunner adds `source`, `exit_code`, `evidence`.
struct OomEvent {
    std::string container_name;
    double timestamp = 0.0;
    std::string timestamp_iso;
    long previous_restart_count = 0;
    long current_restart_count = 0;
    std::optional<std::string>
        source;  // "restart_count" | "docker_event" | "oom_killed" | "exit_code_137" | ...
    std::optional<int> exit_code;
    std::optional<std::string> evidence;
    std::optional<std::string>
        host;  // the Docker host (docker.hosts[].name) it happened on; absent = the only one
    nlohmann::json extra = nlohmann::json::object();
};

struct ScenarioResult {
    std::string scenario_name;  // model::scenario_names
    nlohmann::json scenario_params = nlohmann::json::object();
    std::string started_at;
    std::string completed_at;
    double duration_seconds = 0.0;
    std::vector<Sample> samples;
    std::vector<OomEvent> oom_events;
    bool aborted = false;
    std::optional<std::string> abort_reason;
    ScenarioMetadata metadata;                        // per scenario, results-schema.md §5
    nlohmann::json extra = nlohmann::json::object();  // unknown keys, kept on rewrite
};

struct RunResult {
    std::string test_id;
    std::string started_at;
    nlohmann::json config = nlohmann::json::object();
    std::vector<ScenarioResult> scenarios;
    std::optional<nlohmann::json> derived_config;
    std::string completed_at;
    bool aborted = false;
    std::optional<std::string> abort_reason;
    nlohmann::json analysis = nlohmann::json::object();
    nlohmann::json extra =
        nlohmann::json::object();  // schema_version, generator, verdict, exit_code, unknown keys

    // Interned container names; ContainerSample::container indexes this table. container_hosts is parallel to
    // it but may be shorter: a missing entry is host "" (kept short so single-host runs carry nothing).
    std::vector<std::string> containers;
    std::vector<std::string> container_hosts;

    ContainerId intern(std::string_view name, std::string_view host = {});  // adds (name, host) if new
    // The first container of that name on any host (single-host lookups by configured name).
    std::optional<ContainerId> find_container(std::string_view name) const;
    std::optional<ContainerId> find_container(std::string_view name, std::string_view host) const;
    const std::string& container_name(ContainerId id) const { return containers.at(id); }
    std::string_view container_host(ContainerId id) const;
    // "name" when the host is "", else "name@host": the key of its results.json members and its name in
    // reports.
    std::string container_label(ContainerId id) const;
    bool has_hosts() const;  // some container names a host

    ScenarioResult* find_scenario(std::string_view name);
    const ScenarioResult* find_scenario(std::string_view name) const;
};

}  // namespace perfrunner::model
