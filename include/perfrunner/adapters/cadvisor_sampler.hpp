#pragma once
// Per-container CPU and memory from cAdvisor (../shared/spec/cadvisor.md), one request per tick for all
// containers, plus the root container (host CPU and memory) and the machine info (once).
//
// CPU % is measured across the POLL interval with cAdvisor's own timestamps: (usage_now - usage_prev) /
// (ts_now - ts_prev), where "now" is the newest stat of this poll and "prev" the newest stat of the previous
// poll. Counter resets (restart or new container id) and stale/backwards time give cpu = null with a flag,
// never a negative or huge value.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "perfrunner/adapters/cadvisor_json.hpp"
#include "perfrunner/adapters/http_client.hpp"
#include "perfrunner/ports/metrics_source.hpp"

namespace perfrunner::config {
struct Config;
}

namespace perfrunner::adapters {

struct CatalogueContainer {
    std::string name;                 // configured container name, e.g. "rideshare-simulation"
    std::optional<double> cpu_cores;  // catalogue override of the effective cores
};

struct CadvisorSamplerOptions {
    std::string base_url = "http://127.0.0.1:8083";
    double timeout_seconds = 5.0;
    double connect_timeout_seconds = 5.0;
    std::vector<CatalogueContainer> containers;
    std::string compose_project;  // when set, label matches also require com.docker.compose.project
    bool read_host = true;        // root container + machine info every tick
    int num_stats = 2;            // stats per container asked for (request body); <= 0 = cAdvisor's default
};

// How one configured container was found in a cAdvisor response.
struct ContainerMatch {
    std::size_t index = 0;  // into the parsed container list
    std::string how;        // "alias" | "label" | "name_suffix"
};

// Resolves configured names: exact alias, then compose labels (service == name, or <project>-<service>-N /
// <project>_<service>_N naming), then a cgroup-name suffix "/<name>". Never substring matching.
std::optional<ContainerMatch> match_container(const std::string& configured_name,
                                              const std::vector<cadvisor::ContainerInfo>& containers,
                                              const std::string& compose_project = {});

// Effective cores: catalogue override, else quota/period, else the cpuset mask's CPU count, else 1.
struct EffectiveCores {
    double cores = 1.0;
    std::string source;  // "override" | "quota" | "cpuset" | "default"
};
EffectiveCores effective_cores(const cadvisor::ContainerInfo& container,
                               std::optional<double> override_cores);

class CadvisorSampler final : public ports::MetricsSource {
  public:
    explicit CadvisorSampler(CadvisorSamplerOptions options);
    // From docker.cadvisor_url / cadvisor_timeout, api.connect_timeout, docker.project_name and the catalogue
    // entries of the active profiles.
    static CadvisorSamplerOptions options_from(const config::Config& config);

    ports::MetricsReading poll() override;
    void reset_baselines() override;

    // The computation behind poll(), fed with parsed responses (unit tests feed recorded files).
    ports::MetricsReading evaluate(const std::vector<cadvisor::ContainerInfo>& containers,
                                   const std::optional<cadvisor::ContainerInfo>& root);
    void set_machine(const cadvisor::MachineInfo& machine) { machine_ = machine; }

    // For `check`: GET /healthz (throws HttpError), GET /api/v1.3/machine (throws).
    void healthz();
    cadvisor::MachineInfo fetch_machine();
    // GET /api/v1.3/docker/ parsed; throws HttpError / RuntimeFailure (unparsable body).
    std::vector<cadvisor::ContainerInfo> fetch_docker_containers();

    const CadvisorSamplerOptions& options() const noexcept { return options_; }

  private:
    struct Baseline {
        std::string id;
        std::int64_t timestamp_ns = 0;
        std::uint64_t total_ns = 0;
    };
    struct Rate {
        std::optional<double> cpu_percent;
        bool stale = false;
        bool counter_reset = false;
    };
    static Rate advance(std::optional<Baseline>& baseline, const std::string& id, const cadvisor::Stat& stat);
    std::optional<cadvisor::ContainerInfo> fetch_root();
    nlohmann::json get_json(const std::string& path);

    CadvisorSamplerOptions options_;
    HttpClient http_;
    std::optional<cadvisor::MachineInfo> machine_;
    std::map<std::string, std::optional<Baseline>> baselines_;  // per configured container
    std::optional<Baseline> host_baseline_;
};

}  // namespace perfrunner::adapters
