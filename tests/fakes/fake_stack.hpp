#pragma once
// A docker stack that restarts instantly and reports OOM events a test schedules at virtual times.
#include <string>
#include <utility>
#include <vector>

#include "fakes/virtual_clock.hpp"
#include "perfrunner/error.hpp"
#include "perfrunner/ports/stack_controller.hpp"

namespace perfrunner::fakes {

class FakeStack final : public ports::StackController {
  public:
    explicit FakeStack(VirtualClock& clock) : clock_(clock) {}

    double restart_seconds = 0.0;  // virtual time a clean restart takes
    bool fail_restart = false;

    void clean_restart() override {
        ++restarts;
        clock_.advance(restart_seconds);
        if (fail_restart) throw RuntimeFailure("docker compose up -d: exit 1 (fake)");
    }
    void down() override { ++downs; }
    void begin_oom_watch(double) override { ++watches; }
    std::vector<model::OomEvent> poll_oom(double now) override {
        ++oom_polls;
        std::vector<model::OomEvent> out;
        for (auto it = scheduled_.begin(); it != scheduled_.end();) {
            if (it->timestamp <= now) {
                model::OomEvent ev = *it;
                ev.timestamp = now;
                out.push_back(ev);
                it = scheduled_.erase(it);
            } else {
                ++it;
            }
        }
        return out;
    }

    std::vector<std::string> take_notes() override { return std::exchange(notes, {}); }
    std::vector<std::string> notes;  // handed out by the next take_notes()

    // An OOM kill of `container` reported by the first poll at or after epoch time `at`.
    void schedule_oom(const std::string& container, double at) {
        model::OomEvent ev;
        ev.container_name = container;
        ev.timestamp = at;
        ev.previous_restart_count = 0;
        ev.current_restart_count = 1;
        ev.source = "restart_count";
        scheduled_.push_back(ev);
    }

    long restarts = 0, downs = 0, watches = 0, oom_polls = 0;

  private:
    VirtualClock& clock_;
    std::vector<model::OomEvent> scheduled_;
};

}  // namespace perfrunner::fakes
