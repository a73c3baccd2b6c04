#include "perfrunner/scenarios/duration_leak.hpp"

#include "perfrunner/error.hpp"
#include "scenario_fixture.hpp"

using namespace perfrunner;
using scenarios::testing::ScenarioFixture;

namespace {

struct DurationTest : ScenarioFixture {
    model::ScenarioResult& duration = add("duration_leak");
    void run_duration(long n = 20) {
        scenarios::DurationLeakScenario s(h.config, {n, n, "stress_test_drivers_queued_half"});
        duration.scenario_params = s.params();
        s.run(ctx, duration);
    }
};

TEST_F(DurationTest, GuardNeedsAtLeastOneAgentOfEachType) {
    EXPECT_THROW(scenarios::DurationLeakScenario(h.config, {0, 0, "cli_agents"}), UsageError);
    EXPECT_NO_THROW(scenarios::DurationLeakScenario(h.config, {1, 1, "cli_agents"}));
}

TEST_F(DurationTest, ThreePhasesAtTheirIntervalsWithCountsAndTimestamps) {
    h.simulation.drain_seconds = 10.0;
    run_duration(20);
    ASSERT_FALSE(duration.aborted) << duration.abort_reason.value_or("");
    const auto& md = std::get<model::DurationMetadata>(duration.metadata);
    ASSERT_TRUE(md.phase_sample_counts.has_value());
    EXPECT_EQ(md.phase_sample_counts->active, 150u);   // 300 s at 2 s
    EXPECT_EQ(md.phase_sample_counts->drain, 4u);      // 0, 4, 8 draining; 12 paused
    EXPECT_EQ(md.phase_sample_counts->cooldown, 75u);  // 600 s at 8 s
    EXPECT_EQ(duration.samples.size(), 229u);
    EXPECT_EQ(md.drain_end_reason, "paused");
    EXPECT_NEAR(md.drain_duration_seconds.value_or(0), 12.0, 0.01);
    ASSERT_TRUE(md.phase_timestamps.has_value());
    const auto& ts = *md.phase_timestamps;
    for (const auto& t :
         {ts.active_start, ts.active_end, ts.drain_start, ts.drain_end, ts.cooldown_start, ts.cooldown_end}) {
        EXPECT_TRUE(t.has_value());
    }
    EXPECT_NEAR(ts.active_end.value_or(0) - ts.active_start.value_or(0), 300.0, 1e-6);
    EXPECT_NEAR(ts.cooldown_end.value_or(0) - ts.cooldown_start.value_or(0), 600.0, 1e-6);
    // Intervals: active 2 s, drain 4 s, cooldown 8 s.
    const auto& s = duration.samples;
    EXPECT_NEAR(s[1].timestamp - s[0].timestamp, 2.0, 1e-6);
    EXPECT_NEAR(s[151].timestamp - s[150].timestamp, 4.0, 1e-6);
    EXPECT_NEAR(s[160].timestamp - s[159].timestamp, 8.0, 1e-6);
    // Analysis of the shared module is stored.
    EXPECT_TRUE(md.leak_analysis.has_value());
    EXPECT_TRUE(md.phase_analysis.has_value());
}

TEST_F(DurationTest, RealSpawnWaitAndResettableEnd) {
    run_duration(20);
    EXPECT_EQ(h.stack.restarts, 1);
    EXPECT_EQ(h.simulation.count("wait_for_spawn"), 1);
    EXPECT_DOUBLE_EQ(h.simulation.last_spawn_timeout, 120.0);
    const auto& spawn = std::get<model::DurationMetadata>(duration.metadata).spawn;
    ASSERT_TRUE(spawn.has_value());
    EXPECT_TRUE(spawn->drained);
    EXPECT_EQ(spawn->live_drivers, 20);
    // Never stop after paused (500): reset instead.
    EXPECT_EQ(h.simulation.count("stop"), 0);
    EXPECT_EQ(h.simulation.count("reset"), 1);
    EXPECT_EQ(h.simulation.state, "stopped");
}

TEST_F(DurationTest, SpawnWaitTimeoutGrowsWithAgents) {
    run_duration(1000);
    EXPECT_DOUBLE_EQ(h.simulation.last_spawn_timeout, 750.0);  // 1.5 * 1000 / (2 * 1)
}

TEST_F(DurationTest, DrainTimeoutEndsDrainAndResetsBeforeCooldown) {
    h.simulation.drain_seconds = 1e9;
    h.config.scenarios.duration_drain_timeout_seconds = 60;
    run_duration(20);
    const auto& md = std::get<model::DurationMetadata>(duration.metadata);
    EXPECT_EQ(md.drain_end_reason, "client_timeout");
    EXPECT_EQ(md.phase_sample_counts->drain, 15u);  // 0..56 at 4 s
    EXPECT_NEAR(md.drain_duration_seconds.value_or(0), 60.0, 0.01);
    EXPECT_GE(h.simulation.count("reset"), 1);
    EXPECT_EQ(h.simulation.count("stop"), 0);
}

TEST_F(DurationTest, OomInActiveKeepsPhaseDataAndRests) {
    h.stack.schedule_oom("rideshare-simulation", h.t0() + 100.0);
    run_duration(20);
    EXPECT_TRUE(duration.aborted);
    const auto& md = std::get<model::DurationMetadata>(duration.metadata);
    EXPECT_GT(md.phase_sample_counts->active.value_or(0), 0u);
    EXPECT_FALSE(md.phase_sample_counts->drain.has_value());
    EXPECT_TRUE(md.phase_timestamps->active_end.has_value());
    EXPECT_EQ(h.simulation.state, "stopped");
}

TEST_F(DurationTest, SetupFailureThrowsSetupFailed) {
    h.stack.fail_restart = true;
    EXPECT_THROW(run_duration(20), RuntimeFailure);
    EXPECT_TRUE(duration.samples.empty());
}

}  // namespace

namespace {

TEST_F(DurationTest, AlreadyRunningSimulationIsResetAndStartedFresh) {
    h.simulation.state = "running";  // left running by another client
    h.config.scenarios.duration_active_minutes = 0.2;
    h.config.scenarios.duration_cooldown_minutes = 0.1;
    run_duration(5);
    EXPECT_FALSE(duration.aborted) << duration.abort_reason.value_or("");
    EXPECT_GE(h.simulation.count("start"), 2);
    EXPECT_EQ(std::get<model::DurationMetadata>(duration.metadata).phase_sample_counts->active, 6u);
}

}  // namespace
