// The one stress threshold rule (statistics.md §10.1-10.3): inclusive comparisons, rule combinations, the
// order of the checks (the same in every mode), critical stop, pace floor, host CPU, the reference's rolling
// mean over full windows, and bisection.
#include <gtest/gtest.h>

#include "perfrunner/analysis/stress_rule.hpp"

namespace pa = perfrunner::analysis;

TEST(StressRule, WindowMeanAndKOfMAreInclusive) {
    // mean exactly 90 ⇒ breach (≥)
    EXPECT_TRUE(pa::window_breaches({80, 100, 90, 90, 90}, 90, pa::BreachRule::window_mean, 4, 5));
    EXPECT_FALSE(pa::window_breaches({80, 100, 90, 89, 90}, 90, pa::BreachRule::window_mean, 4, 5));
    // 4 of the last 5 at ≥ 90 (one exactly at 90); the window mean is 80 < 90
    const std::vector<double> v{50, 90, 95, 95, 95, 55};
    EXPECT_FALSE(pa::window_breaches(v, 90, pa::BreachRule::window_mean, 4, 5));
    EXPECT_TRUE(pa::window_breaches(v, 90, pa::BreachRule::k_of_m, 4, 5));
    EXPECT_TRUE(pa::window_breaches(v, 90, pa::BreachRule::either, 4, 5));
    EXPECT_FALSE(pa::window_breaches(v, 90, pa::BreachRule::both, 4, 5));
    // only the last m count: three old highs do not make 4 of the last 5
    EXPECT_FALSE(pa::window_breaches({99, 99, 99, 10, 10, 99, 99, 99}, 90, pa::BreachRule::k_of_m, 4, 5));
    // floors: ≤
    EXPECT_TRUE(pa::window_breaches({0.5, 0.5, 0.5}, 0.5, pa::BreachRule::window_mean, 4, 5, /*below=*/true));
}

TEST(StressRule, CriticalMemoryStopsAtOnce) {
    pa::StressWindow w;
    w.containers.push_back({"rideshare-redis", {60, 70, 95}, {10, 10, 10}, 1.0});
    pa::StressRuleSettings s;
    s.critical_memory_percent = 95;
    const auto t = pa::evaluate_window(w, s);
    ASSERT_TRUE(t.has_value());
    ASSERT_TRUE(t->detail.has_value());
    EXPECT_TRUE(t->detail->critical);
    EXPECT_EQ(t->metric, "memory");
    EXPECT_DOUBLE_EQ(t->value, 95);
    EXPECT_DOUBLE_EQ(t->threshold, 95);
    // Without a critical share (ramp mode, speed scaling) the same window is only judged by its mean.
    s.critical_memory_percent.reset();
    EXPECT_FALSE(pa::evaluate_window(w, s).has_value());
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
    ASSERT_TRUE(t->detail.has_value());
    EXPECT_DOUBLE_EQ(t->detail->window_mean, 135);
    EXPECT_EQ(t->detail->samples_over, 4);
    EXPECT_EQ(t->detail->k, 4);
    EXPECT_EQ(t->detail->m, 5);
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
    EXPECT_EQ(t->container, "rideshare-simulation");  // the simulation container, named as configured
    EXPECT_EQ(t->detail->samples_over, 4);            // under the floor
    s.rtr_floor = 0;
    s.host_cpu_threshold_percent = 95;
    t = pa::evaluate_window(w, s);
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->container, "host");
    EXPECT_EQ(t->metric, "cpu");
}

TEST(StressRule, OneOrderInEveryMode) {
    // Everything breaches at once; the checks answer in the documented order, whatever the mode:
    // critical, then per container (window order) memory before CPU, then host CPU, then the pace floor.
    pa::StressWindow w;
    w.containers.push_back({"rideshare-simulation", {96, 96, 96, 96, 96}, {200, 200, 200, 200, 200}, 1.0});
    w.containers.push_back({"rideshare-kafka", {99, 99, 99, 99, 99}, {300, 300, 300, 300, 300}, 1.5});
    w.host_cpu_percent = {99, 99, 99, 99, 99};
    w.real_time_ratio = {0.1, 0.1, 0.1, 0.1, 0.1};
    perfrunner::config::Config c;
    c.sampling.interval_seconds = 2;
    c.scenarios.stress_rolling_window_seconds = 10;
    c.scenarios.stress_memory_threshold_percent = 90;
    c.scenarios.stress_cpu_threshold_percent = 90;
    c.scenarios.host_cpu_threshold_percent = 95;
    c.scenarios.stress_rtr_floor = 0.67;
    c.scenarios.stress_breach_rule = "either";
    c.scenarios.stress_k = 4;
    c.scenarios.stress_m = 5;
    c.scenarios.stress_critical_memory_percent = 98;
    c.containers = {{"rideshare-simulation", "Simulation", "core", 1.0, std::nullopt, ""}};
    for (auto s : {pa::StressRuleSettings::rolling_mean(c, 5), pa::StressRuleSettings::sustained(c)}) {
        const bool sustained = s.critical_memory_percent.has_value();
        auto t = pa::evaluate_window(w, s);
        ASSERT_TRUE(t.has_value());
        if (sustained) {  // kafka's 99 % is over the critical share: that comes first
            EXPECT_EQ(t->container, "rideshare-kafka");
            EXPECT_TRUE(t->detail->critical);
            s.critical_memory_percent.reset();
            t = pa::evaluate_window(w, s);
            ASSERT_TRUE(t.has_value());
        }
        EXPECT_EQ(t->container + "/" + t->metric, "rideshare-simulation/memory");
        auto v = w;
        v.containers[0].memory_percent = {10, 10, 10, 10, 10};
        EXPECT_EQ(pa::evaluate_window(v, s)->metric, "cpu");
        v.containers[0].cpu_percent = {10, 10, 10, 10, 10};
        EXPECT_EQ(pa::evaluate_window(v, s)->container + "/" + pa::evaluate_window(v, s)->metric,
                  "rideshare-kafka/memory");
        v.containers.clear();
        EXPECT_EQ(pa::evaluate_window(v, s)->container, "host");
        v.host_cpu_percent = {10, 10, 10, 10, 10};
        EXPECT_EQ(pa::evaluate_window(v, s)->metric, "rtr");
        v.real_time_ratio = {1, 1, 1, 1, 1};
        EXPECT_FALSE(pa::evaluate_window(v, s).has_value());
    }
}

TEST(StressRule, SettingsMirrorTheValidatedConfig) {
    perfrunner::config::Config c;
    c.sampling.interval_seconds = 2;
    c.scenarios.stress_memory_threshold_percent = 80;
    c.scenarios.stress_cpu_threshold_percent = 85;
    c.scenarios.stress_breach_rule = "both";
    c.scenarios.stress_k = 3;
    c.scenarios.stress_m = 6;
    c.scenarios.stress_critical_memory_percent = 97;
    c.scenarios.stress_rtr_floor = 0.5;
    c.scenarios.host_cpu_threshold_percent = 99;
    const auto step = pa::StressRuleSettings::sustained(c);
    EXPECT_DOUBLE_EQ(step.memory_threshold_percent, 80);
    EXPECT_DOUBLE_EQ(step.cpu_threshold_percent, 85);
    EXPECT_EQ(step.rule, pa::BreachRule::both);
    EXPECT_EQ(step.k, 3);
    EXPECT_EQ(step.m, 6);
    EXPECT_EQ(step.critical_memory_percent, 97);
    EXPECT_EQ(step.min_values, 1u);
    const auto ramp = pa::StressRuleSettings::rolling_mean(c, 5);
    EXPECT_EQ(ramp.rule, pa::BreachRule::window_mean);
    EXPECT_FALSE(ramp.critical_memory_percent.has_value());
    EXPECT_EQ(ramp.min_values, 5u);
    EXPECT_DOUBLE_EQ(ramp.rtr_floor, 0.5);
    EXPECT_DOUBLE_EQ(ramp.host_cpu_threshold_percent, 99);
}

TEST(StressRule, ReferenceRollingMeanJudgesOnlyFullWindows) {
    pa::StressWindow w;
    w.containers.push_back({"rideshare-simulation", {88, 90, 91, 92, 89}, {}, 1.0});
    pa::StressRuleSettings s;
    s.rule = pa::BreachRule::window_mean;
    s.min_values = 5;
    // 88,90,91,92,89 ⇒ mean 90 ⇒ hit (≥)
    auto t = pa::evaluate_window(w, s);
    ASSERT_TRUE(t.has_value());
    EXPECT_DOUBLE_EQ(t->value, 90);
    // fewer values than the window: no decision yet
    s.min_values = 7;
    EXPECT_FALSE(pa::evaluate_window(w, s).has_value());
    s.min_values = 5;
    w.containers[0].memory_percent.back() = 88;
    EXPECT_FALSE(pa::evaluate_window(w, s).has_value());
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
    EXPECT_FALSE(
        pa::next_bisection_probe(100, 110, 0, 20).has_value());  // no multiple of 20 strictly between
}
