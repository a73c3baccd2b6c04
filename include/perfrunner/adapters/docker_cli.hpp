#pragma once
// The compose stack through the docker CLI (argv only, every call with a timeout, stderr in every error):
// compose v2 `docker compose`, falling back to v1 `docker-compose` (or docker.compose_command).
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "perfrunner/adapters/docker_event_stream.hpp"
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
    // The engine every docker and compose call of this instance talks to (DOCKER_HOST in each child's
    // environment, `-H` for the event stream); "" = docker's default (the caller's DOCKER_HOST or the
    // socket).
    std::string docker_host;
    // `up -d --no-deps` of these services only ([] = every service of the active profiles): on several hosts
    // each engine starts its own share of the compose file.
    std::vector<std::string> services;
    std::function<double()> now;  // epoch seconds
    std::function<void(double)> sleep;
    // Every docker call ends early when this says so (a Ctrl-C): the call throws RuntimeFailure
    // "interrupted".
    std::function<bool()> cancelled;
    // Starts the long-lived `docker events` process of the OOM watch (tests pass fakes); empty = the real
    // one.
    EventPipeFactory event_pipes;
};

class DockerCli final : public ports::StackController {
  public:
    explicit DockerCli(DockerCliOptions options);
    static DockerCliOptions options_from(const config::Config& config);

    void clean_restart() override;
    void down() override;
    // Starts (or keeps) one `docker events` stream for the whole run and inspects every watched container as
    // the baseline.
    void begin_oom_watch(double epoch_seconds) override;
    // Reads what the stream brought (no process in steady state); `docker inspect` only for containers an
    // event names (oom, die, start, restart) or, after the stream was down, for all of them once. An inspect
    // that fails stays owed and is retried at the next poll; `oom` events are reported even then.
    std::vector<model::OomEvent> poll_oom(double now_epoch_seconds) override;
    std::vector<std::string> take_notes() override;
    // docker / compose processes started so far (the event stream's included): what an observer costs.
    long processes_started() const noexcept;

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
    // The `compose ... down -v` of the teardown (file, project, profiles), without its 1-s stop timeout:
    // what a user types to remove a stack left running.
    std::vector<std::string> down_argv();

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
    std::unique_ptr<DockerEventStream> events_;
    std::set<std::string> inspect_owed_;  // containers an event asked to inspect, not inspected yet
    bool inspect_all_owed_ = false;       // the stream was down: every container once
    std::vector<std::string> notes_;
    long processes_started_ = 0;  // by run(); the stream counts its own
};

}  // namespace perfrunner::adapters
