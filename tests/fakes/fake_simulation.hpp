#pragma once
// The simulation API's state machine (simulation-api.md §3-4) on a virtual clock: simulated time advances at
// speed x pace(speed) while running, spawn queues drain at 2 agents per simulated second per type, a drain
// reaches "paused" after drain_seconds of wall time, stop from draining/paused answers 500, reset works from
// anywhere.
#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "fakes/virtual_clock.hpp"
#include "perfrunner/error.hpp"
#include "perfrunner/model/timestamps.hpp"
#include "perfrunner/ports/simulation_control.hpp"

namespace perfrunner::fakes {

class FakeSimulation final : public ports::SimulationControl {
  public:
    explicit FakeSimulation(VirtualClock& clock)
        : clock_(clock), last_wall_(clock.now()), sim_epoch_(1.7e9) {}

    // Share of the requested speed the engine keeps up with (1.0 = keeps pace), by multiplier.
    std::function<double(int speed)> pace = [](int) { return 1.0; };
    double drain_seconds = 10.0;  // wall time from pause to paused
    bool healthy = true;
    int fail_status_calls = 0;  // the next N status calls throw
    bool fail_spawn = false;
    double status_latency_ms = 3.0;
    // Throughput (events per wall second) by live agents; nullopt = the endpoint has no figure.
    std::function<std::optional<double>(long agents)> throughput = [](long) -> std::optional<double> {
        return std::nullopt;
    };
    int fail_performance_calls = 0;  // the next N /metrics/performance calls throw

    bool health() override { return healthy; }

    ports::SimulationStatus status() override {
        calls.push_back("status");
        advance();
        if (fail_status_calls > 0) {
            --fail_status_calls;
            throw RuntimeFailure("GET /simulation/status: connection refused (fake)");
        }
        ports::SimulationStatus s;
        s.state = state;
        s.speed_multiplier = speed;
        s.current_time = model::iso_utc(sim_epoch_);
        s.drivers_total = drivers_live;
        s.riders_total = riders_live;
        s.latency_ms = status_latency_ms;
        return s;
    }
    std::optional<double> events_per_second() override {
        calls.push_back("performance");
        advance();
        if (fail_performance_calls > 0) {
            --fail_performance_calls;
            throw RuntimeFailure("GET /metrics/performance: 404 Not Found (fake)");
        }
        return state == "running" ? throughput(drivers_live + riders_live) : std::optional<double>(0.0);
    }
    void start() override {
        calls.push_back("start");
        advance();
        if (state == "running")
            throw RuntimeFailure("POST /simulation/start: 400 Simulation already running");
        state = "running";
    }
    void stop() override {
        calls.push_back("stop");
        advance();
        if (state == "draining" || state == "paused")
            throw RuntimeFailure("POST /simulation/stop: 500 Internal Server Error");
        if (state == "stopped") throw RuntimeFailure("POST /simulation/stop: 400 Simulation already stopped");
        state = "stopped";
    }
    void pause() override {
        calls.push_back("pause");
        advance();
        if (state != "running") throw RuntimeFailure("POST /simulation/pause: 400 Simulation not running");
        state = "draining";
        drain_started_ = clock_.now();
    }
    void resume() override {
        calls.push_back("resume");
        if (state != "paused") throw RuntimeFailure("POST /simulation/resume: 400 Simulation not paused");
        state = "running";
    }
    void reset() override {
        calls.push_back("reset");
        advance();
        state = "stopped";
        drivers_live = riders_live = 0;
        drivers_queue_ = riders_queue_ = 0;
    }
    void set_speed(int multiplier) override {
        calls.push_back("speed " + std::to_string(multiplier));
        advance();
        speed = multiplier;
    }
    long spawn_drivers(long n) override {
        calls.push_back("drivers " + std::to_string(n));
        if (fail_spawn) throw RuntimeFailure("POST /agents/drivers: 429 (fake)");
        drivers_queue_ += static_cast<double>(n);
        drivers_requested += n;
        return n;
    }
    long spawn_riders(long n) override {
        calls.push_back("riders " + std::to_string(n));
        if (fail_spawn) throw RuntimeFailure("POST /agents/riders: 429 (fake)");
        riders_queue_ += static_cast<double>(n);
        riders_requested += n;
        return n;
    }
    ports::SpawnStatus spawn_status() override {
        advance();
        return {static_cast<long>(std::ceil(drivers_queue_)), static_cast<long>(std::ceil(riders_queue_))};
    }
    ports::SpawnWaitResult wait_for_spawn(double timeout_seconds) override {
        calls.push_back("wait_for_spawn");
        ports::SpawnWaitResult r;
        const double start = clock_.now();
        for (;;) {
            r.last = spawn_status();
            if (r.last.drivers_queued == 0 && r.last.riders_queued == 0) {
                r.drained = true;
                break;
            }
            if (clock_.now() - start >= timeout_seconds) break;
            clock_.advance(1.0);
        }
        r.waited_seconds = clock_.now() - start;
        last_spawn_timeout = timeout_seconds;
        return r;
    }

    std::string state = "stopped";
    int speed = 1;
    long drivers_live = 0, riders_live = 0;
    long drivers_requested = 0, riders_requested = 0;
    double last_spawn_timeout = 0.0;
    std::vector<std::string> calls;

    long count(const std::string& call) const {
        return static_cast<long>(std::count(calls.begin(), calls.end(), call));
    }

  private:
    void advance() {
        const double now = clock_.now();
        const double wall = now - last_wall_;
        last_wall_ = now;
        if (wall <= 0) return;
        if (state == "running") {
            const double sim = wall * speed * pace(speed);
            sim_epoch_ += sim;
            const double moved_d = std::min(drivers_queue_, 2.0 * sim);
            const double moved_r = std::min(riders_queue_, 2.0 * sim);
            drivers_queue_ -= moved_d;
            riders_queue_ -= moved_r;
            drivers_live += std::lround(moved_d);
            riders_live += std::lround(moved_r);
        }
        if (state == "draining" && now - drain_started_ >= drain_seconds) state = "paused";
    }

    VirtualClock& clock_;
    double last_wall_;
    double sim_epoch_;
    double drain_started_ = 0.0;
    double drivers_queue_ = 0.0, riders_queue_ = 0.0;
};

}  // namespace perfrunner::fakes
