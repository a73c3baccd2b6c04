#pragma once
// The simulation service's HTTP API (../shared/spec/simulation-api.md), as scenarios use it.
#include <optional>
#include <string>

namespace perfrunner::ports {

struct SimulationStatus {
    std::string state;  // lower-cased: "stopped", "running", "draining", "paused"
    double speed_multiplier = 1.0;
    std::string current_time;  // simulated time, ISO
    long drivers_total = 0;
    long riders_total = 0;
    long active_trips_count = 0;
    double uptime_seconds = 0.0;
    double latency_ms = 0.0;  // round trip of the status call
};

struct SpawnStatus {
    long drivers_queued = 0;
    long riders_queued = 0;
};

struct SpawnWaitResult {
    bool drained = false;  // queues reached zero before the timeout
    SpawnStatus last;
    double waited_seconds = 0.0;
};

// Every call throws RuntimeFailure (an HTTP error naming URL, status and a body excerpt) on failure.
class SimulationControl {
  public:
    virtual ~SimulationControl() = default;
    virtual bool health() = 0;  // GET /health == 200; never throws
    virtual SimulationStatus status() = 0;
    // GET /metrics/performance: events.total_per_sec (simulation-api.md §2.3), events per wall second. The
    // endpoint is optional: nullopt when the answer lacks the figure or the call would exceed its rate
    // limit; throws like every call when the request fails.
    virtual std::optional<double> events_per_second() = 0;
    virtual void start() = 0;
    virtual void stop() = 0;
    virtual void pause() = 0;
    virtual void resume() = 0;
    virtual void reset() = 0;
    virtual void set_speed(int multiplier) = 0;
    // Queues n agents, split into requests within the per-request limits (drivers 100, riders 2000).
    // Returns how many were accepted.
    virtual long spawn_drivers(long n) = 0;
    virtual long spawn_riders(long n) = 0;
    virtual SpawnStatus spawn_status() = 0;
    // Polls spawn-status until both queues are empty or the timeout passes.
    virtual SpawnWaitResult wait_for_spawn(double timeout_seconds) = 0;
};

}  // namespace perfrunner::ports
