#pragma once
// sampler_bench's "old" side: OOM detection as it was before the event stream (one `docker events --since
// --until` and one `docker inspect` of every container per tick), kept here only to measure against it.
#include <string>
#include <vector>

#include <fmt/format.h>

#include "perfrunner/adapters/docker_cli.hpp"
#include "perfrunner/adapters/oom_tracker.hpp"
#include "perfrunner/adapters/process.hpp"

namespace perfrunner::bench {

class PerTickOomPolling final : public ports::StackController {
  public:
    explicit PerTickOomPolling(adapters::DockerCli& docker) : docker_(docker) {}
    void clean_restart() override { docker_.clean_restart(); }
    void down() override { docker_.down(); }
    void begin_oom_watch(double epoch_seconds) override {
        watched_.clear();
        for (const auto& c : docker_.stack_containers()) {
            watched_.push_back(c.name);
        }
        tracker_.begin(epoch_seconds, docker_.inspect(watched_));
        until_ = epoch_seconds;
    }
    std::vector<model::OomEvent> poll_oom(double now) override {
        const std::vector<std::string> argv{docker_.options().docker,
                                            "events",
                                            "--since",
                                            fixed(until_ - 1.0),
                                            "--until",
                                            fixed(now),
                                            "--filter",
                                            "type=container",
                                            "--filter",
                                            "event=oom",
                                            "--format",
                                            "{{json .}}"};
        ++spawned_;
        const auto events = adapters::run_process(argv);
        until_ = now;
        return tracker_.update(now, docker_.inspect(watched_), adapters::parse_oom_events(events.out));
    }
    long processes_started() const { return spawned_ + docker_.processes_started(); }

  private:
    static std::string fixed(double t) { return fmt::format("{:.3f}", t); }
    adapters::DockerCli& docker_;
    adapters::OomTracker tracker_;
    std::vector<std::string> watched_;
    double until_ = 0.0;
    long spawned_ = 0;
};

}  // namespace perfrunner::bench
