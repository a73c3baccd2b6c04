// Stress threshold rules (statistics.md §10.1–10.3): inclusive comparisons, rule combinations, critical stop,
// pace floor, host CPU, the reference rolling mean and bisection.
#include <gtest/gtest.h>

#include "perfrunner/analysis/stress_rule.hpp"

namespace pa = perfrunner::analysis;

TEST(StressRule, WindowMeanAndKOfMAreInclusive) {
    // mean exactly 90 ⇒ breach (≥)
    EXPECT_TRUE(pa::window_breaches({80, 100, 90, 90, 90}, 90, "window_mean", 4, 5));
    EXPECT_FALSE(pa::window_breaches({80, 100, 90, 89, 90}, 90, "window_mean", 4, 5));
    // 4 of the last 5 at ≥ 90 (one exactly at 90); the window mean is 80 < 90
    const std::vector<double> v{50, 90, 95, 95, 95, 55};
    EXPECT_FALSE(pa::window_breaches(v, 90, "window_mean", 4, 5));
    EXPECT_TRUE(pa::window_breaches(v, 90, "k_of_m", 4, 5));
    EXPECT_TRUE(pa::window_breaches(v, 90, "either", 4, 5));
    EXPECT_FALSE(pa::window_breaches(v, 90, "both", 4, 5));
    // only the last m count: three old highs do not make 4 of the last 5
    EXPECT_FALSE(pa::window_breaches({99, 99, 99, 10, 10, 99, 99, 99}, 90, "k_of_m", 4, 5));
    // floors: ≤
    EXPECT_TRUE(pa::window_breaches({0.5, 0.5, 0.5}, 0.5, "window_mean", 4, 5, /*below=*/true));
}

TEST(StressRule, CriticalMemoryStopsAtOnce) {
    pa::StressWindow w;
    w.containers.push_back({"rideshare-redis", {60, 70, 95}, {10, 10, 10}, 1.0});
    pa::StressRuleSettings s;
    const auto t = pa::evaluate_window(w, s);
    ASSERT_TRUE(t.has_value());
    EXPECT_TRUE(t->critical);
    EXPECT_EQ(t->metric, "memory");
    EXPECT_DOUBLE_EQ(t->value, 95);
    EXPECT_DOUBLE_EQ(t->threshold, 95);
}

TEST(StressRule, CpuThresholdIsPercentOfTheQuota) {
    pa::StressWindow w;
    // 1.5 cores: threshold 90 % of quota = 135 % of one core
    w.containers.push_back({"rideshare-kafka", {20, 20, 20, 20, 20}, {130, 130, 130, 130, 130}, 1.5});
    pa::StressRuleSettings s;
    EXPECT_FALSE(pa::evaluate_window(w, s).has_value());
    w.containers[0].cpu_percent = {135, 136, 134, 135, 135};
    const auto t = pa::evaluate_window(w, s);
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->container, "rideshare-kafka");
    EXPECT_EQ(t->metric, "cpu");
    EXPECT_DOUBLE_EQ(t->threshold, 135);
    EXPECT_DOUBLE_EQ(t->window_mean, 135);
    EXPECT_EQ(t->samples_over, 4);
    EXPECT_EQ(t->k, 4);
    EXPECT_EQ(t->m, 5);
    const auto j = t->to_json();
    EXPECT_EQ(j["metric"], "cpu");
    EXPECT_DOUBLE_EQ(j["threshold"].get<double>(), 135.0);
}

TEST(StressRule, PaceFloorAndHostCpu) {
    pa::StressWindow w;
    w.containers.push_back({"rideshare-simulation", {20, 20}, {10, 10}, 1.0});
    w.real_time_ratio = {0.9, 0.7, 0.6, 0.6, 0.6};
    w.host_cpu_percent = {96, 97, 98, 99, 99};
    pa::StressRuleSettings s;  // both off by default
    EXPECT_FALSE(pa::evaluate_window(w, s).has_value());
    s.rtr_floor = 0.8;
    auto t = pa::evaluate_window(w, s);
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->metric, "rtr");
    EXPECT_EQ(t->samples_over, 4);  // below the floor
    s.rtr_floor = 0;
    s.host_cpu_threshold_percent = 95;
    t = pa::evaluate_window(w, s);
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->container, "host");
    EXPECT_EQ(t->metric, "cpu");
}

TEST(StressRule, SettingsFromConfigKeepDefaultsForUnsetValues) {
    perfrunner::config::Config c;
    c.scenarios.stress_memory_threshold_percent = 80;
    c.scenarios.stress_breach_rule = "both";
    const auto s = pa::StressRuleSettings::from(c);
    EXPECT_DOUBLE_EQ(s.memory_threshold_percent, 80);
    EXPECT_DOUBLE_EQ(s.cpu_threshold_percent, 90);
    EXPECT_EQ(s.breach_rule, "both");
    EXPECT_EQ(s.k, 4);
    EXPECT_DOUBLE_EQ(s.critical_memory_percent, 95);
}

TEST(StressRule, ReferenceRollingMean) {
    pa::StressWindow w;
    w.containers.push_back({"rideshare-simulation", {50, 88, 90, 91, 92, 89}, {}, 1.0});
    pa::StressRuleSettings s;
    // last 5: 88,90,91,92,89 ⇒ mean 90 ⇒ hit (≥)
    auto t = pa::rolling_mean_check(w, 5, s);
    ASSERT_TRUE(t.has_value());
    EXPECT_DOUBLE_EQ(t->value, 90);
    // fewer samples than the window: no decision yet
    EXPECT_FALSE(pa::rolling_mean_check(w, 7, s).has_value());
    w.containers[0].memory_percent.back() = 88;
    EXPECT_FALSE(pa::rolling_mean_check(w, 5, s).has_value());
}

TEST(StressRule, BisectionProbes) {
    // 1..1024 at resolution 8 needs ⌈log2(1023/8)⌉ = 7 probes when every probe breaches.
    long lo = 1, hi = 1024;
    int probes = 0;
    while (auto m = pa::next_bisection_probe(lo, hi, 8)) {
        EXPECT_GT(*m, lo);
        EXPECT_LT(*m, hi);
        hi = *m;
        ++probes;
    }
    EXPECT_EQ(probes, 7);
    EXPECT_LE(hi - lo, 8);
    // granularity: probes are multiples of the spawn batch
    EXPECT_EQ(pa::next_bisection_probe(100, 200, 10, 20), 140);
    EXPECT_FALSE(pa::next_bisection_probe(100, 108, 10).has_value());
    EXPECT_FALSE(pa::next_bisection_probe(100, 110, 0, 20).has_value());  // no multiple of 20 strictly between
}
