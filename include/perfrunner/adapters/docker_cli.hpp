#pragma once
// The compose stack through the docker CLI (argv only, every call with a timeout, stderr in every error):
// compose v2 `docker compose`, falling back to v1 `docker-compose` (or docker.compose_command).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "perfrunner/adapters/docker_json.hpp"
#include "perfrunner/adapters/oom_tracker.hpp"
#include "perfrunner/adapters/process.hpp"
#include "perfrunner/ports/stack_controller.hpp"

namespace perfrunner::config {
struct Config;
}

namespace perfrunner::adapters {

struct DockerCliOptions {
    std::string compose_file;
    std::vector<std::string> profiles;
    std::string project_name;  // "" = compose's default (.env COMPOSE_PROJECT_NAME, folder name)
    std::vector<std::string> compose_command;  // [] = auto
    double health_timeout_seconds = 600.0;
    double command_timeout_seconds = 120.0;
    std::vector<std::string> expected_containers;  // must be healthy after up (catalogue, active profiles)
    std::string docker = "docker";
    std::function<double()> now;  // epoch seconds
    std::function<void(double)> sleep;
    // Every docker call ends early when this says so (a Ctrl-C): the call throws RuntimeFailure
    // "interrupted".
    std::function<bool()> cancelled;
};

class DockerCli final : public ports::StackController {
  public:
    explicit DockerCli(DockerCliOptions options);
    static DockerCliOptions options_from(const config::Config& config);

    void clean_restart() override;
    void down() override;
    void begin_oom_watch(double epoch_seconds) override;
    std::vector<model::OomEvent> poll_oom(double now_epoch_seconds) override;

    void up();
    // Waits until every expected container (else every stack container) runs and is healthy (or has no
    // healthcheck). Throws RuntimeFailure naming those still unhealthy after the timeout.
    void wait_healthy();

    // The compose command prefix in use (resolved once) and its version line.
    const std::vector<std::string>& compose_command();
    bool compose_is_v2();
    std::string compose_version();
    std::string engine_version();  // docker version --format {{.Server.Version}}; throws when unreachable
    std::vector<StackContainer> stack_containers();
    std::vector<ports::ContainerState> inspect(const std::vector<std::string>& names);
    // `compose config --format json` for the active profiles (v2 only; throws for v1).
    nlohmann::json compose_config();
    std::string project_name();

    const DockerCliOptions& options() const noexcept { return options_; }

  private:
    ProcessResult run(const std::vector<std::string>& argv, bool must_succeed,
                      std::optional<double> timeout = {});
    std::vector<std::string> compose_args(std::initializer_list<std::string> extra);

    DockerCliOptions options_;
    std::optional<std::vector<std::string>> compose_prefix_;
    std::string compose_version_;
    OomTracker oom_;
    std::vector<std::string> watched_;
    double last_events_until_ = 0.0;
};

}  // namespace perfrunner::adapters
