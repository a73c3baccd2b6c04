#include "perfrunner/scenarios/stress.hpp"

#include "perfrunner/error.hpp"
#include "scenario_fixture.hpp"

using namespace perfrunner;
using scenarios::testing::ScenarioFixture;

namespace {

struct StressTest : ScenarioFixture {
    model::ScenarioResult& stress = add("stress_test");
    void run_stress() {
        scenarios::StressScenario s(h.config);
        stress.scenario_params = s.params();
        s.run(ctx, stress);
    }
};

TEST_F(StressTest, ParamsAndWindowFollowTheSchema) {
    scenarios::StressScenario s(h.config);
    const auto p = s.params();
    EXPECT_EQ(p["rolling_window_samples"], 5);
    EXPECT_EQ(p["cpu_threshold_percent"], 90.0);
    EXPECT_EQ(p["spawn_batch_size"], 10);
    EXPECT_EQ(p["max_duration_minutes"], 30.0);
}

TEST_F(StressTest, CpuTriggerIsScaledByEffectiveCores) {
    // Kafka (1.5 cores) climbs 1 % per second from 100 %: 100-134 % does not trigger, 135 % does.
    script([](double t, ports::MetricsReading& m) { m.containers[1].cpu_percent = 100.0 + std::max(0.0, t - 10.0); });
    run_stress();
    const auto& md = stress.metadata;
    ASSERT_FALSE(md["trigger"].is_null());
    EXPECT_EQ(md["trigger"]["container"], "rideshare-kafka");
    EXPECT_EQ(md["trigger"]["metric"], "cpu");
    EXPECT_DOUBLE_EQ(md["trigger"]["threshold"].get<double>(), 135.0);
    EXPECT_GE(md["trigger"]["value"].get<double>(), 135.0);
    EXPECT_LT(md["trigger"]["value"].get<double>(), 140.0);
    EXPECT_EQ(md["stop_reason"], "threshold");
    EXPECT_FALSE(stress.aborted);
    EXPECT_EQ(h.simulation.state, "stopped");
    EXPECT_EQ(md["drivers_queued"].get<long>(), 10 * md["batch_count"].get<long>());
    EXPECT_EQ(md["total_agents_queued"].get<long>(), md["drivers_queued"].get<long>() + md["riders_queued"].get<long>());
    EXPECT_GE(md["peak_values"]["rideshare-kafka"]["cpu_percent"].get<double>(), 135.0);
    // Loop samples carry rolling averages and queued agents; warm-up samples do not.
    EXPECT_TRUE(stress.samples.front().rolling_averages.empty());
    EXPECT_FALSE(stress.samples.back().rolling_averages.empty());
    ASSERT_TRUE(stress.samples.back().agents_queued.has_value());
}

TEST_F(StressTest, MemoryTriggerAndSamplesAtTheSamplingIntervalWhileSpawningEverySpawnInterval) {
    script([](double t, ports::MetricsReading& m) { m.containers[0].memory_percent = t < 70.0 ? 50.0 : 95.0; });
    run_stress();
    const auto& md = stress.metadata;
    EXPECT_EQ(md["trigger"]["container"], "rideshare-simulation");
    EXPECT_EQ(md["trigger"]["metric"], "memory");
    // The 5-sample window is 10 s of samples 2 s apart (reference bug 17: 3-s cadence).
    const auto& s = stress.samples;
    for (std::size_t i = 6; i < s.size(); ++i) EXPECT_NEAR(s[i].timestamp - s[i - 1].timestamp, 2.0, 1e-6);
    const double loop = md["duration_seconds"].get<double>();
    EXPECT_NEAR(static_cast<double>(md["batch_count"].get<long>()), std::floor(loop / 3.0) + 1, 1.0);
}

TEST_F(StressTest, IdleWarmupSamplesAreNotInTheWindow) {
    // CPU saturated only during the warm-up (first 10 s): must not trigger.
    h.config.scenarios.stress_max_duration_minutes = 1;
    script([](double t, ports::MetricsReading& m) { m.containers[0].cpu_percent = t < 9.9 ? 300.0 : 10.0; });
    run_stress();
    EXPECT_TRUE(stress.metadata["trigger"].is_null());
    EXPECT_EQ(stress.metadata["stop_reason"], "max_duration");
    EXPECT_NEAR(stress.metadata["duration_seconds"].get<double>(), 60.0, 1e-6);
    EXPECT_DOUBLE_EQ(stress.metadata["peak_values"]["rideshare-simulation"]["cpu_percent"].get<double>(), 300.0);
}

TEST_F(StressTest, RealTimeRatioBelowTheFloorIsAnRtrHit) {
    h.simulation.pace = [](int) { return 0.5; };
    run_stress();
    const auto& t = stress.metadata["trigger"];
    EXPECT_EQ(t["metric"], "rtr");
    EXPECT_EQ(t["container"], "rideshare-simulation");
    EXPECT_NEAR(t["value"].get<double>(), 0.5, 1e-6);
    EXPECT_DOUBLE_EQ(t["threshold"].get<double>(), 0.67);
    EXPECT_FALSE(stress.metadata["live_drivers"].is_null());
}

TEST_F(StressTest, HostCpuSaturationIsAHostHit) {
    script([](double t, ports::MetricsReading& m) {
        ports::HostReading host;
        host.num_cores = 2;
        host.cpu_percent_of_host = t > 30.0 ? 97.0 : 40.0;
        host.cpu_percent = *host.cpu_percent_of_host * 2;
        m.host = host;
    });
    run_stress();
    EXPECT_EQ(stress.metadata["trigger"]["container"], "host");
    EXPECT_EQ(stress.metadata["trigger"]["metric"], "cpu");
    ASSERT_TRUE(stress.samples.back().host.has_value());
}

TEST_F(StressTest, OomAbortKeepsMetadataAndStopsTheSimulation) {
    h.stack.schedule_oom("rideshare-kafka", h.t0() + 40.0);
    run_stress();
    EXPECT_TRUE(stress.aborted);
    EXPECT_EQ(stress.abort_reason.value_or(""), "OOM detected in: rideshare-kafka");
    ASSERT_EQ(stress.oom_events.size(), 1u);
    const auto& md = stress.metadata;  // reference bug 10: all of it is stored
    EXPECT_TRUE(md.contains("trigger"));
    EXPECT_TRUE(md["trigger"].is_null());
    EXPECT_GT(md["drivers_queued"].get<long>(), 0);
    EXPECT_GT(md["batch_count"].get<long>(), 0);
    EXPECT_TRUE(md.contains("peak_values"));
    EXPECT_GT(md["duration_seconds"].get<double>(), 0.0);
    EXPECT_EQ(md["stop_reason"], "oom");
    EXPECT_EQ(h.simulation.count("stop"), 1);
    EXPECT_EQ(h.simulation.state, "stopped");
}

TEST_F(StressTest, ExceptionStillStoresMetadataAndStops) {
    h.simulation.state = "stopped";
    script([&](double t, ports::MetricsReading&) {
        if (t > 20.0) h.simulation.fail_status_calls = 100;  // the API dies
    });
    EXPECT_THROW(run_stress(), RuntimeFailure);
    EXPECT_TRUE(stress.metadata.contains("drivers_queued"));
    EXPECT_EQ(stress.metadata["stop_reason"], "error");
    EXPECT_NE(h.simulation.count("reset") + h.simulation.count("stop"), 0);
}

}  // namespace

namespace {

// Step mode (statistics.md §10.1): load counted in live agents after the queue drained; settle; judged window.
struct StressStepTest : StressTest {
    StressStepTest() {
        h.config.scenarios.stress_mode = "step";
        // Simulation CPU follows live drivers: 2 % of one core per driver -> 90 % at 45 drivers.
        script([this](double, ports::MetricsReading& m) {
            m.containers[0].cpu_percent = 2.0 * static_cast<double>(h.simulation.drivers_live);
        });
    }
};

TEST_F(StressStepTest, ReportsLastHealthyBreakingPointAndHeadroom) {
    run_stress();
    const auto& md = stress.metadata;
    EXPECT_EQ(md["stop_reason"], "breach");
    EXPECT_EQ(md["last_healthy"], 40);
    EXPECT_EQ(md["breaking_point"], 50);
    EXPECT_EQ(md["headroom_recommendation"], 32);
    ASSERT_EQ(md["steps"].size(), 5u);
    EXPECT_TRUE(md["steps"][4]["breach"].get<bool>());
    EXPECT_FALSE(md["steps"][3]["breach"].get<bool>());
    EXPECT_EQ(md["trigger"]["container"], "rideshare-simulation");
    EXPECT_EQ(md["trigger"]["metric"], "cpu");
    EXPECT_EQ(md["steps"][0]["window_samples"], 10);
    EXPECT_EQ(h.simulation.count("wait_for_spawn"), 5);
    EXPECT_EQ(h.simulation.state, "stopped");
}

TEST_F(StressStepTest, CriticalMemoryStopsAtOnce) {
    script([this](double, ports::MetricsReading& m) {
        m.containers[0].memory_percent = h.simulation.drivers_live >= 30 ? 96.0 : 40.0;
    });
    run_stress();
    EXPECT_EQ(stress.metadata["stop_reason"], "critical");
    EXPECT_EQ(stress.metadata["breaking_point"], 30);
    EXPECT_EQ(stress.metadata["last_healthy"], 20);
    EXPECT_EQ(stress.metadata["trigger"]["metric"], "memory");
}

}  // namespace

namespace {

TEST_F(StressStepTest, RefinementBisectsBetweenLastHealthyAndBreakingPoint) {
    h.config.scenarios.stress_refine = true;
    h.config.scenarios.stress_refine_resolution = 4;
    // Breach at >= 43 live drivers (2.1 % each): levels say 40 healthy / 50 breach; probes 45 (breach), 42 (ok).
    script([this](double, ports::MetricsReading& m) {
        m.containers[0].cpu_percent = 2.1 * static_cast<double>(h.simulation.drivers_live);
    });
    run_stress();
    const auto& md = stress.metadata;
    ASSERT_TRUE(md.contains("refinement")) << md.dump();
    ASSERT_EQ(md["refinement"].size(), 2u) << md["refinement"].dump();
    EXPECT_EQ(md["refinement"][0]["probe"], 45);
    EXPECT_TRUE(md["refinement"][0]["breach"].get<bool>());
    EXPECT_EQ(md["refinement"][1]["probe"], 42);
    EXPECT_FALSE(md["refinement"][1]["breach"].get<bool>());
    EXPECT_EQ(md["last_healthy"], 42);
    EXPECT_EQ(md["breaking_point"], 45);
    EXPECT_EQ(md["headroom_recommendation"], 33);
    EXPECT_EQ(h.simulation.state, "stopped");
}

}  // namespace
