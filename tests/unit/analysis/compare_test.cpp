// Comparing two runs (issue 14): series through the Holm-corrected median test and the single figures
// (capacity, max speed passed, leak verdicts, OOM events).
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "perfrunner/analysis/compare.hpp"

namespace analysis = perfrunner::analysis;

namespace {

std::vector<double> white(double level, double sd, std::size_t n, std::mt19937_64& rng) {
    std::normal_distribution<double> normal(0.0, sd);
    std::vector<double> y(n);
    for (auto& v : y) {
        v = level + normal(rng);
    }
    return y;
}

}  // namespace

TEST(CompareSeries, FlagsTheWorseMetricAndLeavesTheRestAlone) {
    std::mt19937_64 rng(99);
    std::vector<analysis::SeriesPair> pairs;
    pairs.reserve(23);
    // 20 unchanged containers' CPU, one +20 %, one throughput −20 %, one CPU −20 % (an improvement).
    for (int k = 0; k < 20; ++k) {
        pairs.push_back(
            {{"duration_leak", "active", "c" + std::to_string(k), analysis::CompareMetric::cpu_percent},
             white(50, 2.5, 150, rng),
             white(50, 2.5, 150, rng)});
    }
    pairs.push_back(
        {{"duration_leak", "active", "rideshare-simulation", analysis::CompareMetric::cpu_percent},
         white(50, 2.5, 150, rng),
         white(60, 2.5, 150, rng)});
    pairs.push_back({{"duration_leak", "active", "", analysis::CompareMetric::throughput},
                     white(200, 5, 150, rng),
                     white(160, 5, 150, rng)});
    pairs.push_back({{"duration_leak", "active", "rideshare-kafka", analysis::CompareMetric::cpu_percent},
                     white(50, 2.5, 150, rng),
                     white(40, 2.5, 150, rng)});
    const auto out = analysis::compare_series(pairs, analysis::CompareSettings{});
    ASSERT_EQ(out.size(), pairs.size());
    for (int k = 0; k < 20; ++k) {
        EXPECT_NE(out[k].verdict.change_class, analysis::ChangeClass::regression) << k;
    }
    EXPECT_EQ(out[20].verdict.change_class, analysis::ChangeClass::regression);
    EXPECT_NEAR(*out[20].verdict.relative, 0.2, 0.03);
    EXPECT_EQ(out[21].verdict.change_class, analysis::ChangeClass::regression);  // lower throughput is worse
    EXPECT_EQ(out[22].verdict.change_class, analysis::ChangeClass::improvement);
    // Holm: the adjusted p is at least the raw p.
    for (const auto& c : out) {
        EXPECT_GE(c.verdict.p_adjusted, c.shift.p);
    }
}

TEST(CompareSeries, UntestablePairsDoNotWidenTheFamily) {
    std::mt19937_64 rng(5);
    std::vector<analysis::SeriesPair> pairs;
    pairs.push_back({{"duration_leak", "active", "a", analysis::CompareMetric::cpu_percent},
                     white(50, 2.5, 150, rng),
                     white(53, 2.5, 150, rng)});
    const double alone = analysis::compare_series(pairs, {})[0].verdict.p_adjusted;
    for (int k = 0; k < 10; ++k) {  // baseline windows of 15 samples: too short to test
        pairs.push_back({{"baseline", "", "b", analysis::CompareMetric::memory_mb},
                         white(100, 1, 15, rng),
                         white(100, 1, 15, rng)});
    }
    const auto out = analysis::compare_series(pairs, {});
    EXPECT_DOUBLE_EQ(out[0].verdict.p_adjusted, alone);
    EXPECT_EQ(out[1].verdict.change_class, analysis::ChangeClass::insufficient_data);
}

TEST(CompareCapacity, ADropBeyondToleranceAndOneStepIsARegression) {
    const analysis::CapacityFigures base{210, 220, 10.0, 230.0};
    const auto drop = analysis::compare_capacity(base, {170, 180, 10.0, 190.0}, 0.10);
    EXPECT_TRUE(drop.regression);
    EXPECT_NEAR(*drop.last_healthy_change, 170.0 / 210.0 - 1.0, 1e-12);
    EXPECT_NEAR(*drop.peak_load_change, 190.0 / 230.0 - 1.0, 1e-12);
    EXPECT_FALSE(
        analysis::compare_capacity(base, {200, 210, 10.0, std::nullopt}, 0.10).regression);  // one step
    // 15 % of a small capacity is still within one (coarse) step.
    EXPECT_FALSE(analysis::compare_capacity({40, 60, 20.0, {}}, {34, 40, 20.0, {}}, 0.10).regression);
    EXPECT_FALSE(analysis::compare_capacity(base, {260, 270, 10.0, {}}, 0.10).regression);
    const auto missing = analysis::compare_capacity(base, {}, 0.10);
    EXPECT_FALSE(missing.regression);
    EXPECT_FALSE(missing.last_healthy_change.has_value());
}

TEST(CompareFigures, SpeedLeaksAndOoms) {
    EXPECT_TRUE(analysis::compare_speed(8, 4).regression);
    EXPECT_FALSE(analysis::compare_speed(4, 8).regression);
    EXPECT_FALSE(analysis::compare_speed(std::nullopt, 4).regression);

    const auto leaks = analysis::compare_leaks({{"sim", "ok"}, {"kafka", "leak"}, {"redis", "suspect"}},
                                               {{"sim", "leak"}, {"kafka", "leak"}, {"new", "leak"}});
    ASSERT_EQ(leaks.size(), 4U);
    EXPECT_TRUE(leaks[0].regression);   // sim: ok → leak
    EXPECT_FALSE(leaks[1].regression);  // kafka: leak before too
    EXPECT_EQ(leaks[2].next, "");       // redis: not analysed in the new run
    EXPECT_FALSE(leaks[2].regression);
    EXPECT_TRUE(leaks[3].regression);  // only in the new run, and leaking

    const auto ooms = analysis::compare_ooms({{"sim", 1}}, {{"sim", 1}, {"kafka", 2}, {"kafka", 1}});
    ASSERT_EQ(ooms.size(), 2U);
    EXPECT_EQ(ooms[0].container, "kafka");
    EXPECT_EQ(ooms[0].next, 3);
    EXPECT_TRUE(ooms[0].regression);
    EXPECT_FALSE(ooms[1].regression);
}

TEST(CompareMetricNames, DirectionsAndUnits) {
    EXPECT_STREQ(analysis::to_string(analysis::CompareMetric::throughput), "throughput");
    EXPECT_STREQ(analysis::unit_of(analysis::CompareMetric::memory_mb), "MB");
    EXPECT_EQ(analysis::worse_direction(analysis::CompareMetric::real_time_ratio),
              analysis::WorseDirection::lower);
    EXPECT_EQ(analysis::worse_direction(analysis::CompareMetric::status_latency_ms),
              analysis::WorseDirection::higher);
}
