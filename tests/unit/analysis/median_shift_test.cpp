// Change of the median between two autocorrelated series (issue 14): a hand-computed case, degenerate inputs,
// the pooled autocorrelation estimate, and seeded Monte-Carlo checks of the test's level and power.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "perfrunner/analysis/stats/distributions.hpp"
#include "perfrunner/analysis/stats/median_shift.hpp"

namespace stats = perfrunner::analysis::stats;

namespace {

std::vector<double> ar1(double rho, double level, double sd, std::size_t n, std::mt19937_64& rng) {
    std::normal_distribution<double> normal(0.0, 1.0);
    std::vector<double> y(n);
    double state = sd * normal(rng);
    for (std::size_t i = 0; i < n; ++i) {
        if (i > 0) {
            state = rho * state + sd * std::sqrt(1.0 - rho * rho) * normal(rng);
        }
        y[i] = level + state;
    }
    return y;
}

}  // namespace

TEST(MedianShift, HandComputedAlternatingSeries) {
    // 30, 1, 29, 2, …, 16, 15: a negative lag-1 autocorrelation, so ρ is clamped to 0 and n_eff = n = 30.
    std::vector<double> base, next;
    for (int k = 0; k < 15; ++k) {
        base.push_back(30.0 - k);
        base.push_back(1.0 + k);
    }
    for (const double v : base) {
        next.push_back(v + 10);
    }
    const auto s = stats::median_shift(base, next);
    ASSERT_TRUE(s.valid) << s.why_not;
    EXPECT_DOUBLE_EQ(s.rho, 0.0);
    // Sign-test ranks for n = 30: C = 1.959964·√30 = 10.735 → round(9.63) = 10 and round(20.37) + 1 = 21.
    EXPECT_DOUBLE_EQ(s.base.median, 15.5);
    EXPECT_DOUBLE_EQ(s.base.lower, 10.0);
    EXPECT_DOUBLE_EQ(s.base.upper, 21.0);
    EXPECT_DOUBLE_EQ(s.next.lower, 20.0);
    EXPECT_DOUBLE_EQ(s.base.n_eff, 30.0);
    // Distribution-free 11/(2·1.959964) = 2.80617 beats normal theory √(π/60)·sd(1..30) = 2.01444.
    EXPECT_NEAR(s.base.se, 2.806174, 1e-5);
    EXPECT_DOUBLE_EQ(s.change, 10.0);
    EXPECT_NEAR(s.se, std::sqrt(2.0) * 2.806174, 1e-5);
    EXPECT_NEAR(s.df, 58.0, 1e-9);  // equal variances: 2·(n_eff − 1)
    EXPECT_NEAR(s.t, 2.519828, 1e-5);
    EXPECT_NEAR(s.p, 2.0 * stats::student_t_cdf(-s.t, 58.0), 1e-12);
    EXPECT_NEAR(s.p, 0.014517, 1e-6);
    EXPECT_GT(s.p, 0.01);
    EXPECT_LT(s.p, 0.02);
    const double q = stats::student_t_quantile(0.975, 58.0);  // 2.001717
    EXPECT_NEAR(q, 2.001717, 1e-5);
    EXPECT_NEAR(s.lower, 10.0 - q * s.se, 1e-9);
    EXPECT_NEAR(s.upper, 10.0 + q * s.se, 1e-9);
}

TEST(MedianShift, IdenticalSeriesShowNoChange) {
    const std::vector<double> y{4, 7, 5, 6, 5, 8, 4, 6, 7, 5, 6, 5, 4, 7, 5, 6, 5, 8,
                                4, 6, 7, 5, 6, 5, 4, 7, 5, 6, 5, 8, 4, 6, 7, 5, 6, 5};
    const auto s = stats::median_shift(y, y);
    ASSERT_TRUE(s.valid);
    EXPECT_DOUBLE_EQ(s.change, 0.0);
    EXPECT_DOUBLE_EQ(s.p, 1.0);
    EXPECT_LT(s.lower, 0.0);
    EXPECT_GT(s.upper, 0.0);
}

TEST(MedianShift, ConstantSeriesAreExact) {
    const std::vector<double> a(40, 51.4), b(40, 53.4);
    const auto differ = stats::median_shift(a, b);
    ASSERT_TRUE(differ.valid);
    EXPECT_NEAR(differ.change, 2.0, 1e-12);
    EXPECT_DOUBLE_EQ(differ.p, 0.0);
    EXPECT_DOUBLE_EQ(differ.lower, differ.upper);
    const auto same = stats::median_shift(a, a);
    EXPECT_DOUBLE_EQ(same.p, 1.0);
}

TEST(MedianShift, TooFewSamplesIsNotATest) {
    const std::vector<double> short_side(29, 1.0), long_side(60, 2.0);
    const auto s = stats::median_shift(short_side, long_side);
    EXPECT_FALSE(s.valid);
    EXPECT_EQ(s.base.n, 29U);
    EXPECT_NE(s.why_not.find("too few samples"), std::string::npos) << s.why_not;
}

TEST(MedianShift, ShortDriftingSeriesAreTooShortForTheirAutocorrelation) {
    // Two 40-sample drifts: r₁ near 1, n_eff below 2 — such data cannot tell a level change from the drift.
    std::vector<double> a, b;
    for (int i = 0; i < 40; ++i) {
        a.push_back(40.0 + 0.5 * i);
        b.push_back(55.0 - 0.4 * i);
    }
    const auto s = stats::median_shift(a, b);
    EXPECT_FALSE(s.valid);
    EXPECT_GT(s.rho, 0.9);
    EXPECT_NE(s.why_not.find("autocorrelation"), std::string::npos) << s.why_not;
}

TEST(MedianShift, PooledAutocorrelationIsNearTheTruth) {
    std::mt19937_64 rng(7);
    const auto a = ar1(0.9, 50, 5, 2000, rng), b = ar1(0.9, 60, 5, 2000, rng);
    EXPECT_NEAR(stats::pooled_lag1_autocorrelation(a, b), 0.9, 0.02);
    const auto w1 = ar1(0.0, 50, 5, 2000, rng), w2 = ar1(0.0, 50, 5, 2000, rng);
    EXPECT_LT(stats::pooled_lag1_autocorrelation(w1, w2), 0.05);
    const std::vector<double> flat(50, 3.0), tiny{1.0, 2.0};
    EXPECT_DOUBLE_EQ(stats::pooled_lag1_autocorrelation(flat, tiny), 0.0);
    // A constant side does not dilute the other side's estimate.
    EXPECT_DOUBLE_EQ(stats::pooled_lag1_autocorrelation(a, flat), stats::pooled_lag1_autocorrelation(a, {}));
}

TEST(MedianShift, MedianInflationOfAr1) {
    EXPECT_DOUBLE_EQ(stats::median_variance_inflation(0.0), 1.0);
    // 1 + 2·Σ (2/π) asin(0.9^k), summed to convergence.
    EXPECT_NEAR(stats::median_variance_inflation(0.9), 13.27887, 1e-4);
    EXPECT_LT(stats::median_variance_inflation(0.5), 3.0);  // below the mean's (1 + ρ)/(1 − ρ)
}

TEST(MedianShift, LevelHoldsOnAutocorrelatedSameDistributionPairs) {
    // 400 seeded pairs of AR(1) ρ = 0.9 series of 150 samples (a 5-minute phase at 2 s) from one
    // distribution: a raw-sample test would reject in roughly half of them; this one at most at its nominal 5
    // %.
    std::mt19937_64 rng(1414);
    int rejected = 0, tested = 0;
    for (int t = 0; t < 400; ++t) {
        const auto s = stats::median_shift(ar1(0.9, 50, 5, 150, rng), ar1(0.9, 50, 5, 150, rng));
        if (s.valid) {
            ++tested;
            rejected += s.p < 0.05 ? 1 : 0;
        }
    }
    EXPECT_GE(tested, 390);
    EXPECT_LE(rejected, tested * 5 / 100);
}

TEST(MedianShift, DetectsAShiftInWhiteNoise) {
    // +20 % with 5 % noise over 150 samples: far beyond any Holm threshold of a run's comparisons.
    std::mt19937_64 rng(2020);
    int detected = 0;
    for (int t = 0; t < 200; ++t) {
        const auto s = stats::median_shift(ar1(0.0, 50, 2.5, 150, rng), ar1(0.0, 60, 2.5, 150, rng));
        detected += s.valid && s.p < 1e-4 && s.lower > 0 ? 1 : 0;
    }
    EXPECT_EQ(detected, 200);
}

TEST(MedianShift, AKnownAutocorrelationReplacesTheEstimate) {
    // White noise estimates ρ ≈ 0; told ρ = 0.9, the test uses it: n_eff = n·(1 − ρ)/(1 + ρ), a wider
    // interval.
    std::mt19937_64 rng(77);
    const auto a = ar1(0.0, 50, 2.5, 150, rng);
    const auto b = ar1(0.0, 50, 2.5, 150, rng);
    const auto estimated = stats::median_shift(a, b);
    const auto known = stats::median_shift(a, b, 0.05, 0.9);
    ASSERT_TRUE(estimated.valid && known.valid);
    EXPECT_LT(estimated.rho, 0.2);
    EXPECT_DOUBLE_EQ(known.rho, 0.9);
    EXPECT_NEAR(known.base.n_eff, 150.0 * 0.1 / 1.9, 1e-9);
    EXPECT_GT(known.se, 2.0 * estimated.se);
    EXPECT_EQ(known.change, estimated.change);
}
