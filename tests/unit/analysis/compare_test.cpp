// Comparing two runs (issue 14): series through the Holm-corrected median test and the single figures
// (capacity, max speed passed, leak verdicts, OOM events).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
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

namespace {

perfrunner::analysis::stats::MedianShift window_shift(double base_median, double change, double se,
                                                      double df) {
    perfrunner::analysis::stats::MedianShift w;
    w.valid = true;
    w.base.median = base_median;
    w.next.median = base_median + change;
    w.base.n = w.next.n = 150;
    w.change = change;
    w.se = se;
    w.df = df;
    return w;
}

}  // namespace

// Three windows each +10 % with a relative standard error of 5 %: the mean relative change is 10 %, its
// standard error 5 %/√3, and Welch–Satterthwaite gives (3v)²/(3v²/20) = 60 degrees of freedom.
TEST(PooledShift, MeanOfRelativeChangesWithSatterthwaiteDf) {
    const auto a = window_shift(50, 5, 2.5, 20);
    const auto b = window_shift(100, 10, 5, 20);
    const auto c = window_shift(20, 2, 1, 20);
    const auto r = analysis::pooled_shift({&a, &b, &c}, 0.05);
    ASSERT_TRUE(r.valid);
    const double base_scale = (50.0 + 100.0 + 20.0) / 3.0;
    EXPECT_DOUBLE_EQ(r.base.median, base_scale);
    EXPECT_DOUBLE_EQ(r.next.median, (55.0 + 110.0 + 22.0) / 3.0);
    EXPECT_NEAR(r.change, 0.10 * base_scale, 1e-12);
    EXPECT_NEAR(r.se, 0.05 / std::sqrt(3.0) * base_scale, 1e-12);
    EXPECT_NEAR(r.df, 60.0, 1e-9);
    EXPECT_NEAR(r.t, 0.10 / (0.05 / std::sqrt(3.0)), 1e-9);
    EXPECT_LT(r.p, 0.002);  // t = 3.46 on 60 df
    EXPECT_GT(r.p, 0.0005);
    EXPECT_LT(r.lower, r.change);
    EXPECT_GT(r.upper, r.change);
    EXPECT_EQ(r.base.n, 450U);
    // The regression rule sees the mean relative change: +10 % of the mean base median.
    const auto verdict = analysis::judge_change(r, r.p, {0.05, 1.0, analysis::WorseDirection::higher});
    EXPECT_EQ(verdict.change_class, analysis::ChangeClass::regression);
    EXPECT_NEAR(*verdict.relative, 0.10, 1e-12);
}

// One large window cannot dominate: equal weights, so +50 % in one window and 0 in three is +12.5 %.
TEST(PooledShift, EqualWeightsPerWindow) {
    const auto big = window_shift(10, 5, 0.1, 100);
    const auto flat = window_shift(50, 0, 2.5, 20);
    const auto r = analysis::pooled_shift({&big, &flat, &flat, &flat}, 0.05);
    ASSERT_TRUE(r.valid);
    EXPECT_NEAR(r.change / ((10.0 + 3 * 50.0) / 4.0), 0.125, 1e-12);
}

TEST(PooledShift, WindowsWithoutATestOrAZeroBaseAreLeftOut) {
    auto untested = window_shift(50, 30, 1, 20);
    untested.valid = false;
    const auto zero = window_shift(0, 3, 1, 20);
    const auto one = window_shift(50, 5, 2.5, 20);
    const auto r = analysis::pooled_shift({&untested, &zero, &one}, 0.05);
    EXPECT_FALSE(r.valid);
    EXPECT_NE(r.why_not.find("1 loaded window with a test, needs 2"), std::string::npos) << r.why_not;
    const auto two = analysis::pooled_shift({&untested, &zero, &one, &one}, 0.05);
    ASSERT_TRUE(two.valid);
    EXPECT_NEAR(two.change / two.base.median, 0.10, 1e-12);  // the +60 % and the zero base left out
}

// Eleven loaded windows (a default run: duration active and ten speed steps) where the container's CPU is
// 3.5 % higher (a tolerance of 2 % here), about 1.2 standard errors of one window's change: no window alone
// survives Holm, the pooled comparison (√11 times the evidence) does. The idle baseline (not loaded) is not
// pooled; a container in one loaded window gets no pooled row.
TEST(CompareSeries, PoolsEachContainerAndMetricOverTheLoadedWindows) {
    std::mt19937_64 rng(11);
    std::vector<analysis::SeriesPair> pairs;
    pairs.push_back({{"baseline", "", "sim", analysis::CompareMetric::cpu_percent},
                     white(5, 0.5, 40, rng),
                     white(5, 0.5, 40, rng),
                     false});
    for (int w = 0; w < 11; ++w) {
        const std::string phase = w == 0 ? "active" : "x" + std::to_string(1 << w);
        const std::string scenario = w == 0 ? "duration_leak" : "speed_scaling";
        pairs.push_back({{scenario, phase, "sim", analysis::CompareMetric::cpu_percent},
                         white(50, 10, 150, rng),
                         white(51.75, 10, 150, rng),
                         true});
        pairs.push_back({{scenario, phase, "kafka", analysis::CompareMetric::cpu_percent},
                         white(30, 9, 150, rng),
                         white(30, 9, 150, rng),
                         true});
    }
    pairs.push_back({{"duration_leak", "active", "only-here", analysis::CompareMetric::memory_mb},
                     white(300, 5, 150, rng),
                     white(300, 5, 150, rng),
                     true});
    analysis::CompareSettings settings;
    settings.tolerance.at(0) = {0.02, 0.5, analysis::WorseDirection::higher};
    const auto out = analysis::compare_series(pairs, settings);
    ASSERT_EQ(out.size(), pairs.size() + 2);
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        EXPECT_FALSE(out[i].pooled());
        EXPECT_NE(out[i].verdict.change_class, analysis::ChangeClass::regression) << i;
    }
    const auto& sim = out[pairs.size()];
    EXPECT_EQ(sim.key.scenario, analysis::kPooledScenario);
    EXPECT_EQ(sim.key.container, "sim");
    ASSERT_EQ(sim.pooled_from.size(), 11U);
    EXPECT_EQ(sim.pooled_from.front(), "duration_leak/active");
    EXPECT_EQ(sim.pooled_from.back(), "speed_scaling/x1024");
    EXPECT_TRUE(sim.base_values.empty());
    EXPECT_EQ(sim.verdict.change_class, analysis::ChangeClass::regression);
    EXPECT_NEAR(*sim.verdict.relative, 0.035, 0.02);
    EXPECT_GE(sim.verdict.p_adjusted, sim.shift.p);  // a member of the same Holm family
    const auto& kafka = out[pairs.size() + 1];
    EXPECT_EQ(kafka.key.container, "kafka");
    EXPECT_EQ(kafka.verdict.change_class, analysis::ChangeClass::not_significant);
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
