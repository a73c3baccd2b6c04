#include "perfrunner/analysis/stress_step_size.hpp"

#include <gtest/gtest.h>

using namespace perfrunner::analysis;

namespace {

JudgedLevel level(long load, double memory_share, double cpu_share) {
    return {load, {{"sim", "memory", memory_share}, {"sim", "cpu", cpu_share}}};
}

TEST(StressStepSize, FirstLevelIsOneBatch) {
    EXPECT_EQ(next_step_increment({}, 10, 100), 10);
    EXPECT_EQ(next_step_increment({}, 10, 5), 10);  // the largest step is never below one batch
}

TEST(StressStepSize, AfterOneLevelTheSlopeRunsThroughTheOrigin) {
    // 10 agents at 0.1 of the threshold: 90 more to reach it; 3/4 of that is 67 -> 60 (whole batches).
    EXPECT_EQ(next_step_increment({level(10, 0.1, 0.05)}, 10, 1000), 60);
    // Capped at the largest step.
    EXPECT_EQ(next_step_increment({level(10, 0.1, 0.05)}, 10, 40), 40);
}

TEST(StressStepSize, NearTheThresholdTheStepIsOneBatch) {
    // 0.005 per agent; at 170 agents 0.85: 30 to go, 3/4 -> 22 -> 20.
    EXPECT_EQ(next_step_increment({level(10, 0.05, 0.0), level(170, 0.85, 0.0)}, 10, 100), 20);
    // 10 to go: 7.5 rounds down to no batch, one batch is the least step.
    EXPECT_EQ(next_step_increment({level(10, 0.05, 0.0), level(190, 0.95, 0.0)}, 10, 100), 10);
    // At or over the threshold (a healthy level by the k-of-m rule with a mean above it): one batch.
    EXPECT_EQ(next_step_increment({level(10, 0.05, 0.0), level(200, 1.02, 0.0)}, 10, 100), 10);
}

TEST(StressStepSize, TheNearestThresholdDecides) {
    // Memory (0.005 per agent) would allow 140 more; CPU grows twice as fast and allows 40: 3/4 -> 30.
    const std::vector<JudgedLevel> levels = {level(10, 0.1, 0.2), level(50, 0.3, 0.6)};
    EXPECT_EQ(next_step_increment(levels, 10, 100), 30);
}

TEST(StressStepSize, AFlatLastStepDoesNotHideTheClimbsSlope) {
    // The last step measured no growth (noise); the whole climb grew 0.006 per agent: 0.3 left = 50 agents.
    const std::vector<JudgedLevel> levels = {level(10, 0.1, 0.0), level(100, 0.7, 0.0), level(110, 0.7, 0.0)};
    EXPECT_EQ(next_step_increment(levels, 10, 100), 30);
}

TEST(StressStepSize, NoGrowingSeriesTakesTheLargestStep) {
    const std::vector<JudgedLevel> levels = {level(10, 0.3, 0.2), level(20, 0.3, 0.2)};
    EXPECT_EQ(next_step_increment(levels, 10, 100), 100);
}

TEST(StressStepSize, SharesAndWindowMeansOfAWindow) {
    StressWindow w;
    w.containers = {{"sim", {80.0, 100.0}, {45.0, 45.0}, 0.5}, {"kafka", {30.0}, {}, 1.0}};
    w.host_cpu_percent = {47.5};
    StressRuleSettings s;
    s.memory_threshold_percent = 90;
    s.cpu_threshold_percent = 90;
    s.host_cpu_threshold_percent = 95;
    const auto shares = threshold_shares(w, s);
    ASSERT_EQ(shares.size(), 4u);
    EXPECT_DOUBLE_EQ(shares[0].share, 1.0);  // memory mean 90 of 90
    EXPECT_EQ(shares[1].metric, "cpu");
    EXPECT_DOUBLE_EQ(shares[1].share, 1.0);  // 45 % of one core = 90 % of half a core
    EXPECT_EQ(shares[2].container, "kafka");
    EXPECT_EQ(shares[3].container, "host");
    EXPECT_DOUBLE_EQ(shares[3].share, 0.5);
    const auto means = level_window_means(w);
    ASSERT_EQ(means.size(), 2u);
    EXPECT_DOUBLE_EQ(means[0].memory_percent, 90.0);
    EXPECT_DOUBLE_EQ(means[0].cpu_percent_of_cores.value(), 90.0);
    EXPECT_FALSE(means[1].cpu_percent_of_cores.has_value());
}

}  // namespace
