#pragma once
// OOM detection for a scenario (../shared/spec/environment.md §6): the union of docker `oom` events (the only
// signal when a child process of a running container is killed) and `docker inspect` changes against the
// baseline (RestartCount increase, State.OOMKilled, exit code 137). Each kill is reported once, also when
// both sources see it, and also when they see it in different polls (an `oom` event reported while the
// inspect that should have come with it failed: the change a later inspect finds is that same kill).
// Docker sometimes sends one kill's `oom` event twice, a few ms apart (5.4 ms seen here, with different
// timeNano): one container's `oom` events less than kOneKillNanos apart are one kill.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "perfrunner/adapters/docker_json.hpp"
#include "perfrunner/model/results.hpp"
#include "perfrunner/ports/stack_controller.hpp"

namespace perfrunner::adapters {

class OomTracker {
  public:
    static constexpr std::int64_t kOneKillNanos = 100'000'000;

    void begin(double epoch_seconds, const std::vector<ports::ContainerState>& baseline);
    // `current`: the inspected states of some (or all, or none) of the containers; the others keep what was
    // known of them. `oom_events`: docker `oom` events (repeats are dropped).
    std::vector<model::OomEvent> update(double now_epoch_seconds,
                                        const std::vector<ports::ContainerState>& current,
                                        const std::vector<DockerOomEvent>& oom_events);
    double window_start() const noexcept { return window_start_; }

  private:
    // False for an event less than kOneKillNanos from a kill already taken for the same container.
    bool is_new_kill(const DockerOomEvent& event);

    struct Known {
        long restart_count = 0;
        bool oom_killed = false;
        bool exited_137 = false;
        std::string started_at;
        // `oom` events reported without an inspect of the container in the same update: the next inspect
        // that shows a change is taken as their evidence, not as a new kill.
        int unconfirmed_events = 0;
    };
    std::map<std::string, Known> known_;
    // Per container id: the timeNano of every `oom` event taken as a kill.
    std::map<std::string, std::set<std::int64_t>> kill_times_;
    double window_start_ = 0.0;
};

}  // namespace perfrunner::adapters
