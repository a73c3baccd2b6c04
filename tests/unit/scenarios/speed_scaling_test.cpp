#include "perfrunner/scenarios/speed_scaling.hpp"

#include "scenario_fixture.hpp"

using namespace perfrunner;
using scenarios::testing::ScenarioFixture;

namespace {

struct SpeedTest : ScenarioFixture {
    model::ScenarioResult& speed = add("speed_scaling");
    void run_speed(long base = 10) {
        scenarios::SpeedScalingScenario s(h.config, base, "stress_test_drivers_queued_half");
        speed.scenario_params = s.params();
        s.run(ctx, speed);
    }
};

TEST_F(SpeedTest, MultipliersDoubleUpToTheMaximum) {
    EXPECT_EQ(scenarios::SpeedScalingScenario::multipliers(1024).size(), 10u);
    EXPECT_EQ(scenarios::SpeedScalingScenario::multipliers(8), (std::vector<int>{2, 4, 8}));
    EXPECT_TRUE(scenarios::SpeedScalingScenario::multipliers(1).empty());
}

TEST_F(SpeedTest, StopsAtTheFirstBreachingStepAndReportsMaxSpeedPassed) {
    h.config.scenarios.speed_scaling_step_duration_minutes = 1;
    h.simulation.pace = [](int m) { return m >= 8 ? 0.4 : 1.0; };
    run_speed(10);
    const auto& md = std::get<model::SpeedMetadata>(speed.metadata);
    ASSERT_EQ(md.step_results.size(), 3u);
    EXPECT_EQ(md.total_steps, 3u);
    EXPECT_EQ(md.max_speed_achieved, 8);  // reference meaning: last step run
    EXPECT_EQ(md.max_speed_passed, 4);
    EXPECT_TRUE(md.stopped_by_threshold);
    const auto& steps = md.step_results;
    EXPECT_EQ(steps[0].agent_count, 5);  // 10 // 2
    EXPECT_EQ(steps[1].agent_count, 2);
    EXPECT_EQ(steps[2].agent_count, 1);  // max(1, 10 // 8)
    EXPECT_EQ(steps[0].sample_count, 30u);
    EXPECT_FALSE(steps[0].threshold_hit);
    EXPECT_NEAR(steps[0].mean_real_time_ratio.value_or(0), 1.0, 1e-6);
    EXPECT_TRUE(steps[2].threshold_hit);
    ASSERT_TRUE(steps[2].trigger.has_value());
    EXPECT_EQ(steps[2].trigger->metric, "rtr");
    EXPECT_NEAR(steps[2].mean_real_time_ratio.value_or(0), 0.4, 1e-6);
    // Every step: reset, speed, start; the simulation ends at rest.
    EXPECT_EQ(h.simulation.count("speed 8"), 1);
    EXPECT_EQ(h.simulation.count("speed 16"), 0);
    EXPECT_GE(h.simulation.count("reset"), 3);
    EXPECT_EQ(h.simulation.state, "stopped");
    std::size_t total = 0;
    for (const auto& s : steps) {
        total += s.sample_count;
    }
    EXPECT_EQ(total, speed.samples.size());
}

TEST_F(SpeedTest, ABreachEarlyInTheStepCountsNotOnlyTheLastSamples) {
    // Kafka saturates for 10 samples early in step 1 (x2) and is idle for the rest of the 8-minute step.
    int running_polls = 0;
    script([&](double, ports::MetricsReading& m) {
        if (h.simulation.speed == 2 && h.simulation.state == "running" && ++running_polls >= 20 &&
            running_polls < 30) {
            m.containers[1].cpu_percent = 200.0;
        }
    });
    run_speed(10);
    const auto& md = std::get<model::SpeedMetadata>(speed.metadata);
    ASSERT_EQ(md.step_results.size(), 1u);
    EXPECT_TRUE(md.step_results[0].threshold_hit);
    ASSERT_TRUE(md.step_results[0].trigger.has_value());
    EXPECT_EQ(md.step_results[0].trigger->container, "rideshare-kafka");
    EXPECT_DOUBLE_EQ(md.step_results[0].trigger->threshold, 135.0);
    EXPECT_EQ(md.max_speed_passed, 1);
    EXPECT_EQ(md.max_speed_achieved, 2);
}

TEST_F(SpeedTest, NoBreachRunsEveryStep) {
    h.config.scenarios.speed_scaling_step_duration_minutes = 0.1;
    h.config.scenarios.speed_scaling_max_multiplier = 16;
    run_speed(100);
    const auto& md = std::get<model::SpeedMetadata>(speed.metadata);
    EXPECT_EQ(md.total_steps, 4u);
    EXPECT_EQ(md.max_speed_passed, 16);
    EXPECT_FALSE(md.stopped_by_threshold);
}

TEST_F(SpeedTest, OomAbortKeepsStepResults) {
    h.config.scenarios.speed_scaling_step_duration_minutes = 1;
    h.stack.schedule_oom("rideshare-simulation", h.t0() + 90.0);
    run_speed(10);
    EXPECT_TRUE(speed.aborted);
    EXPECT_FALSE(std::get<model::SpeedMetadata>(speed.metadata).step_results.empty());
    EXPECT_EQ(h.simulation.state, "stopped");
}

}  // namespace
