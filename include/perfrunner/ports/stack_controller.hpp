#pragma once
// The docker compose stack under test.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "perfrunner/model/results.hpp"

namespace perfrunner::ports {

struct ContainerState {
    std::string name;
    bool running = false;
    std::string health;  // "healthy", "unhealthy", "starting", "" (no healthcheck)
    long restart_count = 0;
    bool oom_killed = false;
    int exit_code = 0;
    std::string started_at;
};

class StackController {
  public:
    virtual ~StackController() = default;
    // `down -v`, then `up -d`, then wait until every expected container is healthy (or running without a
    // healthcheck) within the timeout. Throws RuntimeFailure naming the containers still unhealthy.
    virtual void clean_restart() = 0;
    virtual void down() = 0;
    // Records restart counts etc. as the baseline for OOM detection from now on (start of a scenario).
    virtual void begin_oom_watch(double epoch_seconds) = 0;
    // OOM events since the baseline / the previous call (each reported once): RestartCount increase,
    // State.OOMKilled, exit code 137, docker `oom` events of child processes.
    virtual std::vector<model::OomEvent> poll_oom(double now_epoch_seconds) = 0;
    // What happened to the OOM watch itself since the previous call (its event stream died and was restarted,
    // an inspect an event asked for failed and is retried), for the results; each note once.
    virtual std::vector<std::string> take_notes() { return {}; }
};

}  // namespace perfrunner::ports
