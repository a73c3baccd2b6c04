// The leak decision rule (statistics.md §6) on constructed series: each verdict and its reason.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "perfrunner/analysis/leak_rule.hpp"

namespace pa = perfrunner::analysis;

namespace {

struct Series {
    std::vector<double> t, y;
};

// 2-s samples, `minutes` long; y = 500 + slope·t(min) + noise.
Series make(double minutes, double slope, double sigma, unsigned seed, double ar = 0.0) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    Series s;
    double e = sigma * normal(rng);
    const auto n = static_cast<int>(minutes * 30);
    for (int i = 0; i < n; ++i) {
        const double t = 2.0 * i;
        if (i > 0) e = ar * e + sigma * std::sqrt(1 - ar * ar) * normal(rng);
        s.t.push_back(1.8e9 + t);
        s.y.push_back(500 + slope * t / 60.0 + e);
    }
    return s;
}

pa::LeakRuleSettings settings() {
    pa::LeakRuleSettings s;  // defaults: T 1.0, monitor 0.5, warm-up 30 s, min_samples 50, min_neff 10
    s.limit = 1024;
    return s;
}

}  // namespace

TEST(LeakRule, ClearLeakIsLeakWithTimeToLimit) {
    const auto s = make(20, 5.0, 2.0, 1);
    const auto a = pa::assess_leak(s.t, s.y, s.t.size(), settings());
    EXPECT_EQ(a.verdict, "leak") << a.to_json().dump();
    EXPECT_NEAR(a.theil_sen.slope, 5.0, 0.1);
    EXPECT_GT(a.decision_lower_bound, 1.0);
    EXPECT_LT(a.mann_kendall.p_hr, 0.05);
    ASSERT_TRUE(a.t_limit_minutes.has_value());
    // y_end ≈ 500 + 5·19.5 (after the 30-s warm-up the fit ends 19.5 min later) ⇒ (1024 − 597.5)/5 ≈ 85 min
    EXPECT_NEAR(*a.t_limit_minutes, (1024 - (500 + 5 * 20.0)) / 5.0, 3.0);
}

TEST(LeakRule, FlatSeriesIsOk) {
    const auto s = make(20, 0.0, 2.0, 2);
    const auto a = pa::assess_leak(s.t, s.y, s.t.size(), settings());
    EXPECT_EQ(a.verdict, "ok") << a.to_json().dump();
    EXPECT_LT(a.mds, 1.0);
    EXPECT_LT(a.upper_bound, 1.0);
}

TEST(LeakRule, SlopeBetweenMonitorAndThresholdIsSuspect) {
    const auto s = make(20, 0.8, 2.0, 3);
    const auto a = pa::assess_leak(s.t, s.y, s.t.size(), settings());
    EXPECT_EQ(a.verdict, "suspect") << a.to_json().dump();
    EXPECT_EQ(a.reason, "significant_trend_above_monitor");
}

TEST(LeakRule, NoisyShortPhaseIsUnderpoweredNeverOk) {
    const auto s = make(5, 0.0, 12.0, 4);
    const auto a = pa::assess_leak(s.t, s.y, s.t.size(), settings());
    EXPECT_EQ(a.verdict, "inconclusive") << a.to_json().dump();
    EXPECT_EQ(a.reason, "underpowered");
    EXPECT_GT(a.mds, 1.0);
    ASSERT_TRUE(a.needed_active_minutes.has_value());
    EXPECT_GT(*a.needed_active_minutes, 5.0);
}

TEST(LeakRule, StrongAutocorrelationOnAShortPhaseHasTooFewEffectiveSamples) {
    const auto s = make(5, 0.0, 2.0, 5, 0.97);
    const auto a = pa::assess_leak(s.t, s.y, s.t.size(), settings());
    EXPECT_EQ(a.verdict, "inconclusive") << a.to_json().dump();
    EXPECT_EQ(a.reason, "too_few_effective_samples");
    EXPECT_LT(a.n_eff_corrected, 10.0);
    ASSERT_TRUE(a.needed_active_minutes.has_value());
}

TEST(LeakRule, TooFewSamples) {
    const auto s = make(1, 5.0, 2.0, 6);  // 30 samples, 15 after the warm-up
    const auto a = pa::assess_leak(s.t, s.y, s.t.size(), settings());
    EXPECT_EQ(a.verdict, "inconclusive");
    EXPECT_EQ(a.reason, "too_few_samples");
    // 5 MB/min is not large against this phase's noise: 15 samples cannot confirm it.
    EXPECT_FALSE(a.size_judged);
    EXPECT_LT(a.theil_sen.slope, pa::LeakRuleSettings{}.gross_factor * a.mds_leak) << a.to_json().dump();
    ASSERT_TRUE(a.needed_active_minutes.has_value());
    // at least the warm-up plus min_samples samples (longer when the MDS asks for more)
    EXPECT_GE(*a.needed_active_minutes, (30 + 50 * 2) / 60.0 - 1e-9);
}

TEST(LeakRule, MissingSamplesMakeItInconclusive) {
    const auto s = make(20, 5.0, 2.0, 7);
    const auto a = pa::assess_leak(s.t, s.y, s.t.size() * 2, settings());  // half the phase missing
    EXPECT_EQ(a.verdict, "inconclusive");
    EXPECT_EQ(a.reason, "missing_data");
    EXPECT_NEAR(a.missing_fraction, 0.5, 1e-12);
}

TEST(LeakRule, WarmUpTransientIsNotALeak) {
    // 30 MB cache fill with τ = 60 s inside a 5-minute phase: the seed calls this a leak every time.
    for (unsigned seed = 10; seed < 30; ++seed) {
        auto s = make(5, 0.0, 2.0, seed);
        for (std::size_t i = 0; i < s.t.size(); ++i) s.y[i] += 30 * (1 - std::exp(-(s.t[i] - s.t[0]) / 60.0));
        const auto a = pa::assess_leak(s.t, s.y, s.t.size(), settings());
        EXPECT_NE(a.verdict, "leak") << a.to_json().dump();
        EXPECT_NE(a.verdict, "ok") << a.to_json().dump();
    }
}

TEST(LeakRule, UnsettledExponentialHasNoSteadyState) {
    // A cache still filling at the end of the phase (τ = 10 min over 5 min) and nothing else.
    Series s;
    for (int i = 0; i < 150; ++i) {
        s.t.push_back(2.0 * i);
        s.y.push_back(500 + 300 * (1 - std::exp(-2.0 * i / 600.0)));
    }
    const auto a = pa::assess_leak(s.t, s.y, s.t.size(), settings());
    EXPECT_EQ(a.verdict, "inconclusive") << a.to_json().dump();
    EXPECT_EQ(a.reason, "no_steady_state");
    EXPECT_TRUE(a.settling_detected);
}

TEST(LeakRule, SawtoothUsesTheEnvelope) {
    // Fast GC: +12 MB over 30 s then drop, on a 2 MB/min leak, 5 minutes.
    Series s;
    std::mt19937_64 rng(8);
    std::normal_distribution<double> normal(0.0, 1.0);
    for (int i = 0; i < 150; ++i) {
        const double t = 2.0 * i;
        const double x = t / 30.0 + 0.3;
        s.t.push_back(t);
        s.y.push_back(500 + 2.0 * t / 60 + 12 * (x - std::floor(x)) + normal(rng));
    }
    const auto a = pa::assess_leak(s.t, s.y, s.t.size(), settings());
    EXPECT_TRUE(a.sawtooth_detected);
    EXPECT_TRUE(a.envelope_used);
    EXPECT_EQ(a.envelope_windows, 9u);  // 270 s after the 30-s warm-up
    EXPECT_EQ(a.verdict, "leak") << a.to_json().dump();
}

TEST(LeakRule, ConfiguredGcWindowForcesTheEnvelopeAndCanBeTooCoarse) {
    auto st = settings();
    st.envelope_configured = true;
    st.envelope_window_seconds = 120;  // JVM window on a 5-minute phase: 3 windows
    const auto s = make(5, 5.0, 2.0, 9);
    const auto a = pa::assess_leak(s.t, s.y, s.t.size(), st);
    EXPECT_TRUE(a.envelope_used);
    EXPECT_EQ(a.verdict, "inconclusive");
    EXPECT_EQ(a.reason, "too_few_windows");
    ASSERT_TRUE(a.needed_active_minutes.has_value());
    EXPECT_NEAR(*a.needed_active_minutes, (30 + 6 * 120) / 60.0, 0.1);  // warm-up + min_windows windows
}

TEST(LeakRule, CpuPipelineIsNeverStrongerThanSuspect) {
    auto st = settings();
    st.leak_allowed = false;
    st.envelope_allowed = false;
    const auto s = make(20, 5.0, 2.0, 11);
    const auto a = pa::assess_leak(s.t, s.y, s.t.size(), st);
    EXPECT_EQ(a.verdict, "suspect");
}

TEST(LeakRule, JsonHasNoNonFiniteNumbers) {
    const auto a = pa::assess_leak(std::vector<double>{}, std::vector<double>{}, 10, settings());
    EXPECT_EQ(a.verdict, "inconclusive");
    EXPECT_EQ(a.reason, "no_data");
    const auto j = a.to_json();
    EXPECT_EQ(j.dump().find("nan"), std::string::npos);
    EXPECT_TRUE(j["sen_slope"].is_null());
}
