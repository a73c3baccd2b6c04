#pragma once
// The compose stack spread over several Docker hosts, driven as one StackController: one DockerCli per host
// (its own DOCKER_HOST), each starting only the compose services of the containers configured on it
// (containers[].host). A clean restart brings every host down, then up, then waits for every host's
// containers; the OOM watch runs one `docker events` stream per host and names the host in each event. With
// one host it is exactly that host's DockerCli.
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "perfrunner/adapters/docker_cli.hpp"
#include "perfrunner/ports/stack_controller.hpp"

namespace perfrunner::config {
struct Config;
}

namespace perfrunner::adapters {

struct HostDocker {
    std::string host;  // docker.hosts name; "" for the one host of a single-host run
    std::unique_ptr<DockerCli> docker;
};

// The compose services whose containers are `containers` (by container_name, or compose's generated
// "<project>-<service>-<n>"), from `compose config --format json`; in the order of `containers`.
std::vector<std::string> services_of(const nlohmann::json& compose_config,
                                     const std::vector<std::string>& containers, const std::string& project);

class MultiHostStack final : public ports::StackController {
  public:
    explicit MultiHostStack(std::vector<HostDocker> hosts);
    // One DockerCli per config::docker_hosts entry, from `base` (timeouts, clock, cancel) and the host's
    // endpoint and containers.
    static MultiHostStack from_config(const config::Config& config, const DockerCliOptions& base);

    void clean_restart() override;
    void down() override;
    void begin_oom_watch(double epoch_seconds) override;
    std::vector<model::OomEvent> poll_oom(double now_epoch_seconds) override;
    std::vector<std::string> take_notes() override;

    std::vector<HostDocker>& hosts() noexcept { return hosts_; }

  private:
    void assign_services();  // once, before the first `up`, when there are several hosts

    std::vector<HostDocker> hosts_;
    bool services_assigned_ = false;
};

}  // namespace perfrunner::adapters
