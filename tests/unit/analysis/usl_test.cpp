// Universal Scalability Law fit (statistics.md §10.4): the published test vector, synthetic data with known
// parameters, and the inputs on which no fit or no peak may be reported.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "perfrunner/analysis/stats/usl.hpp"

namespace stats = perfrunner::analysis::stats;

namespace {

std::vector<stats::UslPoint> exact_points(const std::vector<double>& loads, double lambda, double sigma,
                                          double kappa) {
    std::vector<stats::UslPoint> pts;
    pts.reserve(loads.size());
    for (const double n : loads) {
        pts.push_back({n, stats::usl_throughput(n, lambda, sigma, kappa)});
    }
    return pts;
}

}  // namespace

TEST(Usl, ReproducesTheCodahaleTestVector) {
    const std::vector<stats::UslPoint> pts{{1, 65},     {18, 996},   {36, 1652}, {72, 1853},
                                           {108, 1829}, {144, 1775}, {216, 1702}};
    const auto fit = stats::fit_usl(pts);
    ASSERT_TRUE(fit.valid) << fit.why_not;
    EXPECT_EQ(fit.levels, 7U);
    EXPECT_NEAR(fit.lambda.value, 89.987, 0.01);
    EXPECT_NEAR(fit.sigma.value, 0.027729, 2e-5);
    EXPECT_NEAR(fit.kappa.value, 0.00010434, 2e-7);
    ASSERT_TRUE(fit.peak_load.has_value()) << fit.peak_note;
    EXPECT_NEAR(*fit.peak_load, 96.5, 0.1);
    EXPECT_NEAR(*fit.peak_throughput, 1883.8, 0.1);
    // Every interval is finite and contains its estimate.
    for (const auto* p : {&fit.lambda, &fit.sigma, &fit.kappa}) {
        ASSERT_TRUE(p->se.has_value());
        EXPECT_GT(*p->se, 0);
        EXPECT_LT(*p->lower, p->value);
        EXPECT_GT(*p->upper, p->value);
        EXPECT_FALSE(p->at_bound);
    }
    EXPECT_GT(fit.rmse, 0);
}

TEST(Usl, RecoversKnownParametersFromExactData) {
    const auto pts = exact_points({10, 20, 40, 60, 80, 100, 120, 140}, 12.5, 0.05, 0.0008);
    const auto fit = stats::fit_usl(pts);
    ASSERT_TRUE(fit.valid);
    EXPECT_NEAR(fit.lambda.value, 12.5, 1e-6);
    EXPECT_NEAR(fit.sigma.value, 0.05, 1e-8);
    EXPECT_NEAR(fit.kappa.value, 0.0008, 1e-10);
    EXPECT_NEAR(fit.rmse, 0.0, 1e-8);
    ASSERT_TRUE(fit.peak_load.has_value());
    EXPECT_NEAR(*fit.peak_load, std::sqrt(0.95 / 0.0008), 1e-6);
}

TEST(Usl, IntervalsCoverTheTruthUnderNoise) {
    // 200 seeded noisy data sets (2 % noise, 10 levels): the 95 % intervals of λ, σ, κ cover the truth in
    // roughly 95 % of them (Jacobian intervals are approximate; accept 85–100 %).
    std::mt19937_64 rng(14);
    std::normal_distribution<double> noise(0.0, 1.0);
    const double lambda = 20, sigma = 0.08, kappa = 0.0005;
    int covered[3] = {0, 0, 0};
    const int trials = 200;
    for (int t = 0; t < trials; ++t) {
        auto pts = exact_points({10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, lambda, sigma, kappa);
        for (auto& p : pts) {
            p.throughput *= 1.0 + 0.02 * noise(rng);
        }
        const auto fit = stats::fit_usl(pts);
        ASSERT_TRUE(fit.valid);
        const double truth[3] = {lambda, sigma, kappa};
        const stats::UslParameter* params[3] = {&fit.lambda, &fit.sigma, &fit.kappa};
        for (int i = 0; i < 3; ++i) {
            if (params[i]->lower && *params[i]->lower <= truth[i] && truth[i] <= *params[i]->upper) {
                ++covered[i];
            }
        }
    }
    for (const int c : covered) {
        EXPECT_GE(c, trials * 85 / 100);
    }
}

TEST(Usl, BoundsHoldWhereAnUnboundedFitGoesNegative) {
    // Super-linear growth (X rises faster than N) would need σ < 0: the fit holds σ and κ at 0.
    std::vector<stats::UslPoint> pts;
    for (const double n : {1.0, 2.0, 4.0, 6.0, 8.0, 10.0}) {
        pts.push_back({n, 10.0 * n * (1.0 + 0.02 * n)});
    }
    const auto fit = stats::fit_usl(pts);
    ASSERT_TRUE(fit.valid);
    EXPECT_EQ(fit.sigma.value, 0.0);
    EXPECT_TRUE(fit.sigma.at_bound);
    EXPECT_EQ(fit.kappa.value, 0.0);
    EXPECT_GE(fit.lambda.value, 0.0);
    EXPECT_FALSE(fit.peak_load.has_value());
    EXPECT_NE(fit.peak_note.find("κ = 0"), std::string::npos) << fit.peak_note;
}

TEST(Usl, AmdahlDataHasNoPeak) {
    const auto fit = stats::fit_usl(exact_points({5, 10, 20, 40, 80, 160}, 3.0, 0.1, 0.0));
    ASSERT_TRUE(fit.valid);
    EXPECT_NEAR(fit.sigma.value, 0.1, 1e-6);
    EXPECT_NEAR(fit.kappa.value, 0.0, 1e-9);
    EXPECT_FALSE(fit.peak_load.has_value());
}

TEST(Usl, PeakFarBeyondTheMeasuredLoadsIsNotReported) {
    // True N* = sqrt(0.99/1e-5) ≈ 315, measured 10..60 in steps of 10: no extrapolated knee.
    const auto fit = stats::fit_usl(exact_points({10, 20, 30, 40, 50, 60}, 5.0, 0.01, 1e-5));
    ASSERT_TRUE(fit.valid);
    EXPECT_NEAR(fit.kappa.value, 1e-5, 1e-9);
    EXPECT_FALSE(fit.peak_load.has_value());
    EXPECT_NE(fit.peak_note.find("outside"), std::string::npos) << fit.peak_note;
    EXPECT_DOUBLE_EQ(fit.step, 10.0);
}

TEST(Usl, PeakWithinOneStepBeyondTheRangeIsReported) {
    // N* = sqrt(0.9/1e-4) = 94.9 with levels up to 90 in steps of 15: within one step.
    const auto fit = stats::fit_usl(exact_points({15, 30, 45, 60, 75, 90}, 5.0, 0.1, 1e-4));
    ASSERT_TRUE(fit.peak_load.has_value()) << fit.peak_note;
    EXPECT_NEAR(*fit.peak_load, std::sqrt(0.9 / 1e-4), 1e-4);
}

TEST(Usl, FewerThanSixLevelsSaysWhy) {
    const auto fit = stats::fit_usl(exact_points({10, 20, 30, 40, 50}, 5.0, 0.1, 1e-4));
    EXPECT_FALSE(fit.valid);
    EXPECT_EQ(fit.levels, 5U);
    EXPECT_NE(fit.why_not.find("at least 6 load levels"), std::string::npos) << fit.why_not;
}

TEST(Usl, RepeatedLoadsCountAsOneLevel) {
    auto pts = exact_points({10, 10, 20, 20, 30, 30, 40, 40, 50, 50}, 5.0, 0.1, 1e-4);
    EXPECT_FALSE(stats::fit_usl(pts).valid);
    pts.push_back({60, stats::usl_throughput(60, 5.0, 0.1, 1e-4)});
    EXPECT_TRUE(stats::fit_usl(pts).valid);
}

TEST(Usl, InvalidPointsAreIgnoredAndAllZeroThroughputIsRefused) {
    auto pts = exact_points({10, 20, 30, 40, 50, 60}, 5.0, 0.1, 1e-4);
    pts.push_back({0, 3});
    pts.push_back({-5, 3});
    pts.push_back({70, std::nan("")});
    pts.push_back({80, -1});
    const auto fit = stats::fit_usl(pts);
    ASSERT_TRUE(fit.valid);
    EXPECT_EQ(fit.levels, 6U);
    EXPECT_NEAR(fit.sigma.value, 0.1, 1e-6);

    std::vector<stats::UslPoint> zeros;
    for (const double n : {1.0, 2.0, 3.0, 4.0, 5.0, 6.0}) {
        zeros.push_back({n, 0.0});
    }
    const auto none = stats::fit_usl(zeros);
    EXPECT_FALSE(none.valid);
    EXPECT_NE(none.why_not.find("zero"), std::string::npos);
    EXPECT_FALSE(stats::fit_usl({}).valid);
}
