#pragma once
// Setup and teardown steps shared by the scenarios (reference-framework.md §4, simulation-api.md §3-4).
#include <span>
#include <string>

#include "perfrunner/error.hpp"
#include "perfrunner/scenarios/context.hpp"

namespace perfrunner::scenarios {

// Thrown by setup steps; the runner records "Setup failed: <detail>".
class SetupFailed : public RuntimeFailure {
  public:
    explicit SetupFailed(const std::string& detail) : RuntimeFailure(detail) {}
};

// `down -v`, `up -d`, wait healthy (the stack controller's timeout), then wait_ready. Throws SetupFailed.
void clean_restart(ScenarioContext& ctx);

// Waits up to api.api_wait_seconds for GET /health, GET /simulation/status and a metrics poll to succeed,
// then forgets CPU baselines and starts the OOM watch. Throws SetupFailed, or Interrupted on a stop request.
void wait_ready(ScenarioContext& ctx);

// Leaves the simulation at rest whatever its state: running -> stop; draining/paused -> reset (stop would
// answer 500 there); stopped -> nothing. Never throws; a failure becomes a progress note.
void bring_to_rest(ScenarioContext& ctx);

// Starts the simulation from a fresh state: when it is already running (another client, a crashed run), it is
// reset first. Throws RuntimeFailure when it cannot be started.
void start_fresh(ScenarioContext& ctx);

// Queues n agents; a failure is a note and counts 0 (the reference behaviour, but visible).
long spawn_drivers_noting(ScenarioContext& ctx, long n);
long spawn_riders_noting(ScenarioContext& ctx, long n);

// Spawn wait timeout for n queued agents per type at `speed` (simulation-api.md §2.2).
double spawn_wait_timeout(const config::Config& config, long n, double speed);

void throw_if_stopped(const ScenarioContext& ctx);

// A judged window: the scenario's last `n` samples (fewer when it has fewer).
std::span<const model::Sample> last_samples(const model::ScenarioResult& result, std::size_t n);

}  // namespace perfrunner::scenarios
