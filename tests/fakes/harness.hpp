#pragma once
// All fakes wired together with a config for unit tests of scenarios and the run flow.
#include "fakes/fake_metrics.hpp"
#include "fakes/fake_simulation.hpp"
#include "fakes/fake_stack.hpp"
#include "fakes/recording_sink.hpp"
#include "fakes/virtual_clock.hpp"
#include "perfrunner/config/config.hpp"
#include "perfrunner/progress/listener.hpp"

namespace perfrunner::fakes {

// Reference defaults (reference-framework.md §2) with two containers; independent of config/perfrunner.json.
inline config::Config test_config() {
    config::Config c;
    c.api.base_url = "http://127.0.0.1:18000";
    c.api.api_key = "secret-key";
    c.api.api_wait_seconds = 60;
    c.docker.compose_file = "tests/stack/compose.yml";
    c.docker.profiles = {"core"};
    c.sampling = {2.0, 4.0, 8.0, 10.0, 5.0, 10, 10};
    auto& s = c.scenarios;
    s.duration_active_minutes = 5;
    s.duration_cooldown_minutes = 10;
    s.duration_drain_timeout_seconds = 600;
    s.baseline_duration_seconds = 30;
    s.stress_cpu_threshold_percent = 90;
    s.stress_memory_threshold_percent = 90;
    s.stress_rolling_window_seconds = 10;
    s.stress_spawn_batch_size = 10;
    s.stress_spawn_interval_seconds = 3;
    s.stress_max_duration_minutes = 30;
    s.speed_scaling_step_duration_minutes = 8;
    s.speed_scaling_max_multiplier = 1024;
    s.stress_rtr_floor = 0.67;
    s.host_cpu_threshold_percent = 95;
    s.spawn_wait_timeout_seconds = 120;
    s.stress_settle_seconds = 20;
    s.stress_window_samples = 10;
    s.stress_k = 4;
    s.stress_m = 5;
    s.stress_breach_rule = "either";
    s.stress_critical_memory_percent = 95;
    s.stress_mode = "ramp";
    s.stress_refine_resolution = 8;
    s.stress_max_step_batches = 1;  // one batch per level; the coarse-step tests raise it
    s.speed_scaling_settle_seconds = 5;
    c.containers = {{"rideshare-simulation", "Simulation", "core", 1.0, std::nullopt, ""},
                    {"rideshare-kafka", "Kafka", "core", 1.5, 120.0, ""}};
    return c;
}

struct Harness {
    ports::StopToken stop;
    VirtualClock clock{1'760'000'000.0, &stop};
    FakeMetricsSource metrics{clock};
    FakeStack stack{clock};
    FakeSimulation simulation{clock};
    RecordingSink sink;
    progress::NullProgress progress;
    config::Config config = test_config();

    double t0() const { return 1'760'000'000.0; }
};

}  // namespace perfrunner::fakes
