#pragma once
// The simulation service's HTTP API (../shared/spec/simulation-api.md, platform commit 8ff066d) over
// HttpClient. Requests are paced client-side per rate-limit group so a stress ramp never meets a 429.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "perfrunner/adapters/http_client.hpp"
#include "perfrunner/adapters/rate_limiter.hpp"
#include "perfrunner/ports/simulation_control.hpp"

namespace perfrunner::config {
struct Config;
}

namespace perfrunner::adapters {

struct SimulationClientOptions {
    std::string base_url = "http://127.0.0.1:8000";
    std::string api_key;  // never logged
    double timeout_seconds = 30.0;
    double health_timeout_seconds = 5.0;
    double connect_timeout_seconds = 5.0;
    int max_retries = 3;
    bool pace_requests = true;  // client-side per-group rate limiting
    // Monotonic seconds and waiting; tests inject a virtual clock.
    std::function<double()> now;
    std::function<void(double)> sleep;
};

// POST /simulation/stop answered 500 while the simulation was paused or draining: the server's known quirk
// (paused -> stopped is not a valid transition, simulation-api.md §4). Not a test failure; log it once and
// leave the state with reset().
class StopQuirk : public RuntimeFailure {
  public:
    StopQuirk(const std::string& message, std::string state)
        : RuntimeFailure(message), state_(std::move(state)) {}
    const std::string& state() const noexcept { return state_; }

  private:
    std::string state_;
};

// A spawn split into several requests failed part-way: `accepted` agents were queued before the failure.
class SpawnError : public RuntimeFailure {
  public:
    SpawnError(const std::string& message, long accepted) : RuntimeFailure(message), accepted_(accepted) {}
    long accepted() const noexcept { return accepted_; }

  private:
    long accepted_;
};

struct KeyCheck {
    bool accepted = false;
    long status = 0;     // HTTP status of GET /auth/validate
    std::string detail;  // server's words (never the key)
};

struct SpawnResponse {
    long queued = 0;
    double spawn_rate = 0.0;
    double estimated_completion_seconds = 0.0;
};

// Typed parsing of the documented responses; throw RuntimeFailure naming the field when a required one is
// missing or has the wrong type. `where` names the request for the message.
ports::SimulationStatus parse_status(const nlohmann::json& body, const std::string& where);
ports::SpawnStatus parse_spawn_status(const nlohmann::json& body, const std::string& where);
SpawnResponse parse_spawn_response(const nlohmann::json& body, const std::string& where);
// events.total_per_sec of /metrics/performance; nullopt when missing, not a number, negative or not finite.
std::optional<double> parse_events_per_second(const nlohmann::json& body);

class SimulationClient final : public ports::SimulationControl {
  public:
    static constexpr long kMaxDriversPerRequest = 100;
    static constexpr long kMaxRidersPerRequest = 2000;

    explicit SimulationClient(SimulationClientOptions options);
    static SimulationClientOptions options_from(const config::Config& config);

    bool health() override;
    ports::SimulationStatus status() override;
    // Never waits for its rate-limit group: a tick that would exceed it gets nullopt.
    std::optional<double> events_per_second() override;
    void start() override;
    // Throws StopQuirk for a 500 while paused/draining, HttpError otherwise.
    void stop() override;
    void pause() override;
    void resume() override;
    void reset() override;
    void set_speed(int multiplier) override;
    long spawn_drivers(long n) override;
    long spawn_riders(long n) override;
    ports::SpawnStatus spawn_status() override;
    ports::SpawnWaitResult wait_for_spawn(double timeout_seconds) override;

    // GET /auth/validate: is the key accepted? Throws HttpError only when the service does not answer.
    KeyCheck validate_key();
    // GET /metrics/performance (optional endpoint), raw JSON.
    nlohmann::json performance_metrics();

    const SimulationClientOptions& options() const noexcept { return options_; }

  private:
    HttpResponse call(const std::string& method, const std::string& path, const std::string& group,
                      std::optional<std::string> body, bool idempotent);
    nlohmann::json parse_body(const HttpResponse& response, const std::string& method,
                              const std::string& path);
    long spawn(const std::string& kind, long n, long per_request);
    SlidingWindowLimiter& limiter(const std::string& group);

    SimulationClientOptions options_;
    HttpClient http_;
    std::map<std::string, std::unique_ptr<SlidingWindowLimiter>> limiters_;
};

}  // namespace perfrunner::adapters
