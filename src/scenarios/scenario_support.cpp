#include "perfrunner/scenarios/scenario_support.hpp"

#include <algorithm>

#include "perfrunner/error.hpp"

namespace perfrunner::scenarios {

void throw_if_stopped(const ScenarioContext& ctx) {
    if (ctx.ports.stop.stop_requested()) {
        throw Interrupted{};
    }
}

void clean_restart(ScenarioContext& ctx) {
    throw_if_stopped(ctx);
    try {
        ctx.ports.stack.clean_restart();
    } catch (const Error& e) {
        throw SetupFailed(std::string("clean restart: ") + e.what());
    }
    throw_if_stopped(ctx);
    wait_ready(ctx);
}

void wait_ready(ScenarioContext& ctx) {
    auto& p = ctx.ports;
    const double deadline = p.clock.now() + std::max(1.0, ctx.config.api.api_wait_seconds);
    std::string last_problem = "not polled";
    for (;;) {
        throw_if_stopped(ctx);
        bool ready = false;
        if (!p.simulation.health()) {
            last_problem = "simulation GET /health did not answer 200";
        } else {
            try {
                (void)p.simulation.status();
                const auto reading = p.metrics.poll();
                if (reading.ok) {
                    ready = true;
                } else {
                    last_problem = "metrics source: " + reading.error;
                }
            } catch (const std::exception& e) {
                last_problem = std::string("simulation status: ") + e.what();
            }
        }
        if (ready) {
            break;
        }
        if (p.clock.now() >= deadline) {
            throw SetupFailed("stack not ready after " +
                              std::to_string(static_cast<int>(ctx.config.api.api_wait_seconds)) +
                              " s: " + last_problem);
        }
        if (!p.clock.sleep_until(std::min(deadline, p.clock.now() + 2.0))) {
            throw Interrupted{};
        }
    }
    p.metrics.reset_baselines();
    try {
        p.stack.begin_oom_watch(p.clock.now());
    } catch (const Error& e) {
        throw SetupFailed(std::string("OOM watch: ") + e.what());
    }
}

void bring_to_rest(ScenarioContext& ctx) {
    auto& sim = ctx.ports.simulation;
    try {
        const auto status = sim.status();
        if (status.state == "running") {
            sim.stop();
        } else if (status.state == "draining" || status.state == "paused") {
            sim.reset();  // stop from here answers 500 (simulation-api.md §4)
        }
    } catch (const std::exception& e) {
        // Last resort: reset is valid from every state.
        try {
            sim.reset();
        } catch (const std::exception& e2) {
            ctx.ports.progress.note(std::string("could not bring the simulation to rest: ") + e2.what());
            return;
        }
        ctx.ports.progress.note(std::string("simulation reset after a failed stop: ") + e.what());
    } catch (...) {
        // An adapter's wait gave up because a stop was requested while resting: say so, never escape.
        ctx.ports.progress.note("could not bring the simulation to rest (interrupted)");
    }
}

void start_fresh(ScenarioContext& ctx) {
    auto& sim = ctx.ports.simulation;
    try {
        sim.start();
        return;
    } catch (const Error& e) {
        const auto status = sim.status();
        if (status.state == "stopped") {
            throw;  // not the "already running/paused" case: a real failure
        }
        ctx.ports.progress.note(std::string("start: ") + e.what() + " (state " + status.state +
                                "; reset, then start)");
    }
    sim.reset();
    sim.start();
}

long spawn_drivers_noting(ScenarioContext& ctx, long n) {
    try {
        return ctx.ports.simulation.spawn_drivers(n);
    } catch (const std::exception& e) {
        ctx.ports.progress.note(std::string("spawn drivers failed: ") + e.what());
        return 0;
    }
}

long spawn_riders_noting(ScenarioContext& ctx, long n) {
    try {
        return ctx.ports.simulation.spawn_riders(n);
    } catch (const std::exception& e) {
        ctx.ports.progress.note(std::string("spawn riders failed: ") + e.what());
        return 0;
    }
}

double spawn_wait_timeout(const config::Config& config, long n, double speed) {
    const double s = speed > 0 ? speed : 1.0;
    return std::max(config.scenarios.spawn_wait_timeout_seconds, 1.5 * static_cast<double>(n) / (2.0 * s));
}

std::span<const model::Sample> last_samples(const model::ScenarioResult& result, std::size_t n) {
    const std::span<const model::Sample> all(result.samples);
    return all.subspan(all.size() - std::min(n, all.size()));
}

}  // namespace perfrunner::scenarios
