// Statistics primitives against hand-computed values (statistics.md §1–5, §7, §9) and published quantiles.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <utility>
#include <vector>

#include "perfrunner/analysis/stats/descriptive.hpp"
#include "perfrunner/analysis/stats/distributions.hpp"
#include "perfrunner/analysis/stats/endpoint_slope.hpp"
#include "perfrunner/analysis/stats/envelope.hpp"
#include "perfrunner/analysis/stats/hodges_lehmann.hpp"
#include "perfrunner/analysis/stats/mann_kendall.hpp"
#include "perfrunner/analysis/stats/mser.hpp"
#include "perfrunner/analysis/stats/ols.hpp"
#include "perfrunner/analysis/stats/order_statistics.hpp"
#include "perfrunner/analysis/stats/power.hpp"
#include "perfrunner/analysis/stats/theil_sen.hpp"

namespace stats = perfrunner::analysis::stats;

TEST(Distributions, NormalQuantilesMatchTables) {
    EXPECT_NEAR(stats::normal_quantile(0.975), 1.959964, 1e-6);
    EXPECT_NEAR(stats::normal_quantile(0.95), 1.644854, 1e-6);
    EXPECT_NEAR(stats::normal_quantile(0.80), 0.841621, 1e-6);
    EXPECT_NEAR(stats::normal_cdf(0.0), 0.5, 1e-15);
    EXPECT_NEAR(stats::normal_cdf(-1.959964), 0.025, 1e-6);
}

TEST(Distributions, StudentTQuantilesMatchTables) {
    // Printed t tables: t(0.975; 1) = 12.706, t(0.975; 10) = 2.228, t(0.95; 5) = 2.015, t(0.975; 30) = 2.042.
    EXPECT_NEAR(stats::student_t_quantile(0.975, 1), 12.7062, 1e-3);
    EXPECT_NEAR(stats::student_t_quantile(0.975, 10), 2.228139, 1e-5);
    EXPECT_NEAR(stats::student_t_quantile(0.95, 5), 2.015048, 1e-5);
    EXPECT_NEAR(stats::student_t_quantile(0.975, 30), 2.042272, 1e-5);
    EXPECT_NEAR(stats::student_t_quantile(0.025, 10), -2.228139, 1e-5);
    // t with 1 df is Cauchy: F(1) = 0.75.
    EXPECT_NEAR(stats::student_t_cdf(1.0, 1.0), 0.75, 1e-10);
}

TEST(Descriptive, PercentilesInterpolateLinearlyLikeNumpy) {
    const std::vector<double> v{1, 2, 3, 4, 10};
    const auto s = stats::describe(v);
    EXPECT_EQ(s.n, 5u);
    EXPECT_DOUBLE_EQ(s.mean, 4.0);
    EXPECT_DOUBLE_EQ(s.std, std::sqrt((9 + 4 + 1 + 0 + 36) / 5.0));  // population std
    EXPECT_DOUBLE_EQ(s.min, 1);
    EXPECT_DOUBLE_EQ(s.max, 10);
    EXPECT_DOUBLE_EQ(s.p50, 3);
    EXPECT_NEAR(s.p95, 4 + 0.8 * 6, 1e-12);   // position 0.95·4 = 3.8
    EXPECT_NEAR(s.p99, 4 + 0.96 * 6, 1e-12);  // position 3.96
    EXPECT_EQ(stats::describe(std::vector<double>{}).n, 0u);
}

// describe selects its percentiles (and median_inplace its median) instead of sorting: the same values as
// from a sorted copy, for every size from 1 (where ranks coincide) up, with ties and in any order.
TEST(Descriptive, SelectedPercentilesEqualThoseOfASortedCopy) {
    std::mt19937_64 rng(12);
    for (std::size_t n = 1; n <= 600; n += (n < 40 ? 1 : 37)) {
        for (const int distinct : {3, 1000000}) {
            std::vector<double> v(n);
            std::uniform_int_distribution<int> pick(0, distinct - 1);
            for (auto& x : v) {
                x = pick(rng) * 0.25;
            }
            std::vector<double> sorted = v;
            std::sort(sorted.begin(), sorted.end());
            const auto s = stats::describe(v);
            SCOPED_TRACE(::testing::Message() << "n " << n << ", distinct " << distinct);
            EXPECT_EQ(s.min, sorted.front());
            EXPECT_EQ(s.max, sorted.back());
            EXPECT_EQ(s.p50, stats::percentile_sorted(sorted, 50));
            EXPECT_EQ(s.p95, stats::percentile_sorted(sorted, 95));
            EXPECT_EQ(s.p99, stats::percentile_sorted(sorted, 99));
            std::vector<double> copy = v;
            EXPECT_EQ(stats::median_inplace(copy),
                      n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]));
        }
    }
}

TEST(Ols, PlainSlopeAndReferenceVariant) {
    // y = 2t + 1 exactly, plus a bump: Sxx = 10, Sxy by hand.
    const std::vector<double> t{0, 1, 2, 3, 4};
    const std::vector<double> y{1, 3, 6, 7, 9};
    // t̄ = 2, ȳ = 5.2; Sxy = (-2)(-4.2) + (-1)(-2.2) + 0 + 1·1.8 + 2·3.8 = 8.4 + 2.2 + 1.8 + 7.6 = 20
    const auto fit = stats::ols_fit(t, y);
    ASSERT_TRUE(fit.valid);
    EXPECT_DOUBLE_EQ(fit.slope, 2.0);
    EXPECT_DOUBLE_EQ(fit.intercept, 5.2 - 2.0 * 2.0);
    // residuals: 1-1.2=-0.2, 3-3.2=-0.2, 6-5.2=0.8, 7-7.2=-0.2, 9-9.2=-0.2 ⇒ SSR = 0.8, s² = 0.8/3
    EXPECT_NEAR(fit.residual_sd, std::sqrt(0.8 / 3), 1e-12);
    EXPECT_NEAR(fit.se, std::sqrt(0.8 / 3) / std::sqrt(10.0), 1e-12);
    // ρ̂ = Σ r_i r_{i-1} / Σ r² = (0.04 - 0.16 - 0.16 + 0.04)/0.8 = -0.3 ⇒ clamped to 0
    EXPECT_DOUBLE_EQ(fit.rho, 0.0);
    EXPECT_DOUBLE_EQ(fit.n_eff, 5.0);
    // The reference's cov/var slope carries the factor n/(n-1).
    EXPECT_NEAR(*stats::reference_cov_slope(t, y), 2.0 * 5.0 / 4.0, 1e-12);
    EXPECT_FALSE(stats::ols_slope(std::vector<double>{1}, std::vector<double>{1}).has_value());
}

TEST(Ols, AutocorrelationInflatesTheStandardError) {
    const std::vector<double> r{1, 1, 1, -1, -1, -1, 1, 1, 1};
    // Σ r_i r_{i-1} = 1+1-1+1+1-1+1+1 = 4, Σ r² = 9
    EXPECT_NEAR(stats::lag1_autocorrelation(r), 4.0 / 9.0, 1e-12);
    std::vector<double> t, y;
    for (int i = 0; i < 9; ++i) {
        t.push_back(i);
        y.push_back(0.5 * i + r[static_cast<std::size_t>(i)]);
    }
    const auto fit = stats::ols_fit(t, y);
    EXPECT_GT(fit.rho, 0.0);
    EXPECT_NEAR(fit.se_eff, fit.se * std::sqrt((1 + fit.rho) / (1 - fit.rho)), 1e-12);
    EXPECT_NEAR(fit.n_eff, 9 * (1 - fit.rho) / (1 + fit.rho), 1e-12);
}

TEST(EndpointSlope, ReferenceFormulaOne) {
    EXPECT_DOUBLE_EQ(*stats::endpoint_slope(std::vector<double>{0, 1, 2}, std::vector<double>{10, 50, 16}),
                     3.0);
    EXPECT_DOUBLE_EQ(*stats::endpoint_slope(std::vector<double>{1, 1}, std::vector<double>{10, 50}), 0.0);
    EXPECT_FALSE(stats::endpoint_slope(std::vector<double>{1}, std::vector<double>{1}).has_value());
}

// mann_kendall_s counts by merge sort (O(n log n)); it must equal the definition, sum of sgn(y_j - y_i) over
// i < j, with ties, infinities, signed zeros, and NaN (which compares with nothing).
TEST(MannKendall, ScoreEqualsThePairByPairDefinition) {
    const auto by_definition = [](const std::vector<double>& y) {
        long long s = 0;
        for (std::size_t i = 0; i < y.size(); ++i) {
            for (std::size_t j = i + 1; j < y.size(); ++j) {
                const double d = y[j] - y[i];
                s += (d > 0) - (d < 0);
            }
        }
        return static_cast<double>(s);
    };
    std::mt19937_64 rng(7);
    const double inf = std::numeric_limits<double>::infinity();
    for (std::size_t n = 0; n <= 300; n += (n < 20 ? 1 : 31)) {
        for (const int distinct : {2, 9, 1000000}) {
            std::vector<double> y(n);
            std::uniform_int_distribution<int> pick(0, distinct - 1);
            for (auto& v : y) {
                v = pick(rng) - distinct / 2;
            }
            SCOPED_TRACE(::testing::Message() << "n " << n << ", distinct " << distinct);
            EXPECT_EQ(stats::mann_kendall_s(y), by_definition(y));
            if (n >= 4) {
                y[1] = -0.0;
                y[2] = inf;
                y[3] = -inf;
                EXPECT_EQ(stats::mann_kendall_s(y), by_definition(y));
                y[n / 2] = std::nan("");
                EXPECT_EQ(stats::mann_kendall_s(y), by_definition(y));
            }
        }
    }
}

TEST(MannKendall, ScoreAndTieCorrectedVariance) {
    const std::vector<double> y{1, 2, 4, 3, 5};
    // pairs: 10, discordant only (4,3) ⇒ S = 9 − 1 = 8
    EXPECT_DOUBLE_EQ(stats::mann_kendall_s(y), 8.0);
    EXPECT_NEAR(stats::mann_kendall_variance(y), 5.0 * 4 * 15 / 18, 1e-12);
    // ties: {2,2} and {3,3,3}: [n(n-1)(2n+5) − 2·1·9 − 3·2·11]/18 with n = 6
    const std::vector<double> tied{2, 3, 2, 3, 3, 1};
    EXPECT_NEAR(stats::mann_kendall_variance(tied), (6.0 * 5 * 17 - 18 - 66) / 18, 1e-12);
    EXPECT_DOUBLE_EQ(stats::mann_kendall_z(8, 16.0), 7.0 / 4.0);
    EXPECT_DOUBLE_EQ(stats::mann_kendall_z(-8, 16.0), -7.0 / 4.0);
    EXPECT_DOUBLE_EQ(stats::mann_kendall_z(0, 16.0), 0.0);
}

TEST(MannKendall, FullTestOnAMonotoneSeries) {
    std::vector<double> t, y;
    for (int i = 0; i < 10; ++i) {
        t.push_back(i);
        y.push_back(i * i);  // strictly increasing: S = 45, τ = 1
    }
    const auto mk = stats::mann_kendall(t, y, 9.0);
    EXPECT_DOUBLE_EQ(mk.s, 45.0);
    EXPECT_DOUBLE_EQ(mk.tau, 1.0);
    const double var = 10.0 * 9 * 25 / 18;
    EXPECT_NEAR(mk.z, 44.0 / std::sqrt(var), 1e-12);
    EXPECT_NEAR(mk.p, 2 * (1 - stats::normal_cdf(44.0 / std::sqrt(var))), 1e-12);
    EXPECT_GT(mk.n_ns_ratio, 0.0);
    EXPECT_NEAR(mk.var_s_hr, var * mk.n_ns_ratio, 1e-9);
}

TEST(MannKendall, HamedRaoByHand) {
    // n = 6, detrended with slope 0: y' = y; ranks of y = {1,2,3,4,5,6} in order ⇒ ACF of ranks of a ramp.
    const std::vector<double> t{0, 1, 2, 3, 4, 5};
    const std::vector<double> y{1, 2, 3, 4, 5, 6};
    // R̄ = 3.5, deviations -2.5..2.5, Σd² = 17.5. ρ1 = (−2.5·−1.5 + −1.5·−.5 + −.5·.5 + .5·1.5 + 1.5·2.5)/17.5
    //   = (3.75 + .75 − .25 + .75 + 3.75)/17.5 = 8.75/17.5 = 0.5. Band z/√6 = 0.8002 ⇒ not significant.
    // ρ2 = (−2.5·−.5 + −1.5·.5 + −.5·1.5 + .5·2.5)/17.5 = (1.25 − .75 − .75 + 1.25)/17.5 = 0.0571;
    // ρ3 = (−2.5·.5 + −1.5·1.5 + −.5·2.5)/17.5 = −4.75/17.5 = −0.2714; ρ4 = (−2.5·1.5 + −1.5·2.5)/17.5 =
    // −0.4286; ρ5 = −6.25/17.5 = −0.357. None exceeds 0.8002 ⇒ n/n* = 1.
    const auto mk = stats::mann_kendall(t, y, 0.0);
    EXPECT_DOUBLE_EQ(mk.n_ns_ratio, 1.0);
    EXPECT_DOUBLE_EQ(mk.p_hr, mk.p);
    // Blocks of rising values: ranks 3.5,5.5,7.5,9,1,2,3.5,5.5,10..12 (ties averaged); only lag 1 is beyond
    // the band 1.96/√12 = 0.566: ρ1 = 0.58451 (checked with an independent script) ⇒ n/n* = 1 +
    // 2/1320·(11·10·9·ρ1).
    const std::vector<double> t12{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    const std::vector<double> blocks{3, 4, 5, 6, 1, 2, 3, 4, 8, 9, 10, 11};
    const auto mk2 = stats::mann_kendall(t12, blocks, 0.0);
    EXPECT_NEAR(mk2.n_ns_ratio, 1 + 2.0 / 1320 * 990 * 0.5845070422535211, 1e-9);
    EXPECT_NEAR(mk2.var_s_hr, mk2.var_s * mk2.n_ns_ratio, 1e-9);
    EXPECT_LT(std::fabs(mk2.z_hr), std::fabs(mk2.z));
    // Alternating ranks 1,8,2,7,3,6,4,5: ρ1 = −0.8155 is significant and makes n/n* = −0.019 ⇒ guard: 1,
    // flagged.
    const std::vector<double> t8{0, 1, 2, 3, 4, 5, 6, 7};
    const auto mk3 = stats::mann_kendall(t8, std::vector<double>{1, 8, 2, 7, 3, 6, 4, 5}, 0.0);
    EXPECT_TRUE(mk3.hr_correction_invalid);
    EXPECT_DOUBLE_EQ(mk3.n_ns_ratio, 1.0);
}

TEST(MannKendall, HamedRaoIsTheSameToTheBitAsOneLagAtATime) {
    // The lags' sums run four at a time, each in its own order of terms: n/n* must equal, bit for bit, the
    // one-lag-at-a-time loop of the definition, for every n around the blocks of four (and their remainder),
    // on a random walk whose many significant lags all count.
    const auto one_lag_at_a_time = [](const std::vector<double>& ranks, double alpha) {
        const auto nd = static_cast<double>(ranks.size());
        const double mean = (nd + 1) / 2.0;
        double denom = 0;
        for (const double v : ranks) {
            denom += (v - mean) * (v - mean);
        }
        double sum = 0;
        const double band = stats::normal_quantile(1.0 - alpha / 2.0) / std::sqrt(nd);
        for (std::size_t k = 1; k < ranks.size(); ++k) {
            double num = 0;
            for (std::size_t i = 0; i + k < ranks.size(); ++i) {
                num += (ranks[i] - mean) * (ranks[i + k] - mean);
            }
            if (std::fabs(num / denom) > band) {
                const auto nk = static_cast<double>(ranks.size() - k);
                sum += nk * (nk - 1) * (nk - 2) * (num / denom);
            }
        }
        return 1.0 + 2.0 / (nd * (nd - 1) * (nd - 2)) * sum;
    };
    std::mt19937_64 rng(5);
    std::normal_distribution<double> step(0.0, 1.0);
    for (const std::size_t n : {3U, 4U, 5U, 6U, 7U, 8U, 9U, 10U, 11U, 12U, 97U, 1000U, 1001U, 1002U, 1003U}) {
        std::vector<double> t, y;
        double level = 0;
        for (std::size_t i = 0; i < n; ++i) {
            level += step(rng);
            t.push_back(static_cast<double>(i));
            y.push_back(level);
        }
        const auto mk = stats::mann_kendall(t, y, 0.0);
        double expected = one_lag_at_a_time(stats::average_ranks(y), 0.05);
        if (!(expected > 0)) {
            expected = 1.0;
        }
        EXPECT_EQ(mk.n_ns_ratio, expected) << "n " << n;
    }
}

TEST(MannKendall, AverageRanksForTies) {
    const auto r = stats::average_ranks(std::vector<double>{10, 20, 10, 30});
    EXPECT_EQ(r, (std::vector<double>{1.5, 3, 1.5, 4}));
}

TEST(TheilSen, SlopeAndSenCiRanksByHand) {
    const std::vector<double> t{1, 2, 3, 4, 5};
    const std::vector<double> y{1, 2, 4, 3, 5};
    // sorted pairwise slopes: −1, .5, .5, .667, 1, 1, 1, 1.5, 2, 2 (N = 10) ⇒ median 1
    const auto ts = stats::theil_sen(t, y);
    ASSERT_TRUE(ts.valid);
    EXPECT_EQ(ts.n_pairs, 10u);
    EXPECT_DOUBLE_EQ(ts.slope, 1.0);
    EXPECT_DOUBLE_EQ(ts.intercept, 0.0);  // median(0, 0, 1, −1, 0)
    // Var(S) = 5·4·15/18 = 16.667, C = 1.96·4.082 = 8.0015: lower rank round(0.999) = 1, upper
    // round(9.0007)+1 = 10
    EXPECT_DOUBLE_EQ(ts.lower, -1.0);
    EXPECT_DOUBLE_EQ(ts.upper, 2.0);
    // A larger variance (e.g. Hamed–Rao) cannot narrow the interval.
    const auto wide = stats::theil_sen(t, y, 0.05, 100.0);
    EXPECT_LE(wide.lower, ts.lower);
    EXPECT_GE(wide.upper, ts.upper);
}

TEST(TheilSen, RankRuleRoundsHalfToEvenLikeNumpy) {
    // (10 − 1)/2 = 4.5 → 4; (10 + 1)/2 = 5.5 → 6, +1 = 7
    EXPECT_EQ(stats::sen_ci_ranks(10, 1.0), (std::pair<std::size_t, std::size_t>{4, 7}));
    // (10 − 3)/2 = 3.5 → 4; (13)/2 = 6.5 → 6, +1 = 7
    EXPECT_EQ(stats::sen_ci_ranks(10, 3.0), (std::pair<std::size_t, std::size_t>{4, 7}));
    EXPECT_EQ(stats::sen_ci_ranks(10, 50.0), (std::pair<std::size_t, std::size_t>{1, 10}));
}

TEST(TheilSen, RobustToASpikeAndFastForThreeThousandPoints) {
    std::vector<double> t, y;
    for (int i = 0; i < 3000; ++i) {
        t.push_back(i / 30.0);
        y.push_back(100 + 0.5 * (i / 30.0) + ((i * 7919) % 13) * 0.1);
    }
    y[1500] += 1000;  // one spike
    const auto ts = stats::theil_sen(t, y);
    EXPECT_NEAR(ts.slope, 0.5, 0.01);
    EXPECT_LT(ts.lower, ts.slope);
    EXPECT_GT(ts.upper, ts.slope);
}

TEST(OrderStatistics, SelectionMatchesSorting) {
    std::vector<double> v{5, 3, 9, 1, 7, 2, 8};
    const auto r = stats::values_at_ranks(v, {7, 1, 4, 4});
    EXPECT_EQ(r, (std::vector<double>{9, 1, 5, 5}));
    std::vector<double> even{4, 1, 3, 2};
    EXPECT_DOUBLE_EQ(stats::median_by_selection(even), 2.5);
}

TEST(OrderStatistics, ASelectorAnswersEveryRankInAnyOrderLikeSorting) {
    // Ties on purpose (values rounded like samples): a selection that mixes up the stretches between final
    // positions returns a wrong value for some rank and order.
    std::vector<double> v;
    for (int i = 0; i < 2001; ++i) v.push_back(std::round(std::sin(i * 0.37) * 20.0) / 4.0);
    std::vector<double> sorted = v;
    std::sort(sorted.begin(), sorted.end());
    stats::RankSelector selector(v);
    for (std::size_t k : {1000u, 17u, 2001u, 1u, 999u, 1001u, 1500u, 40u, 1000u, 1999u}) {
        EXPECT_EQ(selector.at_rank(k), sorted[k - 1]) << "rank " << k;
    }
    for (std::size_t k = 1; k <= sorted.size(); k += 7) {
        EXPECT_EQ(selector.at_rank(k), sorted[k - 1]) << "rank " << k;
    }
    EXPECT_EQ(selector.at_rank(0), sorted.front());    // clamped
    EXPECT_EQ(selector.at_rank(5000), sorted.back());  // clamped
}

TEST(OrderStatistics, BranchFreeSelectionGivesTheSortedValueForEveryRankSizeAndTiePattern) {
    // Values without NaN take the branch-free partition: a pivot that is the least value (all equal, mostly
    // the minimum) must still make progress, and stretches around its hand-over to std::nth_element (32)
    // must answer. A fresh selector per rank, so that each rank partitions the whole vector.
    std::mt19937_64 rng(11);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_int_distribution<int> small(0, 3), tenth(0, 9);
    for (const std::size_t n : {1U, 2U, 31U, 32U, 33U, 34U, 63U, 64U, 65U, 100U, 257U, 1000U}) {
        std::vector<std::vector<double>> inputs(8);
        for (std::size_t i = 0; i < n; ++i) {
            inputs[0].push_back(2.5);                                      // all equal
            inputs[1].push_back(tenth(rng) == 0 ? 7.0 : -1.0);             // mostly the minimum
            inputs[2].push_back(tenth(rng) == 0 ? -1.0 : 7.0);             // mostly the maximum
            inputs[3].push_back(small(rng));                               // four values, ties everywhere
            inputs[4].push_back(static_cast<double>(i));                   // sorted
            inputs[5].push_back(static_cast<double>(n - i));               // reversed
            inputs[6].push_back(static_cast<double>(std::min(i, n - i)));  // organ pipe
            inputs[7].push_back(normal(rng));
        }
        for (const auto& input : inputs) {
            std::vector<double> sorted = input;
            std::sort(sorted.begin(), sorted.end());
            const std::size_t step = n <= 257 ? 1 : 7;
            for (std::size_t k = 1; k <= n; k += step) {
                stats::RankSelector selector(input);
                ASSERT_EQ(selector.at_rank(k), sorted[k - 1]) << "n " << n << ", rank " << k;
            }
        }
    }
}

TEST(OrderStatistics, ManyValuesAnswerEveryRankSetLikeSortingWhetherBracketedOrNot) {
    // Above kBracketFrom the ranks asked together are selected inside a sampled bracket: every rank set
    // (close ranks as Sen's interval asks, far apart, the extremes) must give the sorted values, on data with
    // heavy ties, infinities, sorted and reversed order (a systematic sample of those is a worst case for a
    // bad stride), and a NaN (no bracket: the plain selection answers).
    const std::size_t n = stats::RankSelector::kBracketFrom * 3 + 17;
    std::mt19937_64 rng(7);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::vector<std::vector<double>> inputs(5);
    for (std::size_t i = 0; i < n; ++i) {
        const double x = normal(rng);
        inputs[0].push_back(x);
        inputs[1].push_back(std::round(x * 4.0) / 4.0);   // ties
        inputs[2].push_back(static_cast<double>(i));      // sorted
        inputs[3].push_back(static_cast<double>(n - i));  // reversed
        inputs[4].push_back(i % 1000 == 0 ? std::numeric_limits<double>::infinity() * (i % 2000 == 0 ? 1 : -1)
                                          : x);
    }
    std::uniform_int_distribution<std::size_t> rank(1, n);
    for (const auto& input : inputs) {
        std::vector<double> sorted = input;
        std::sort(sorted.begin(), sorted.end());
        stats::RankSelector selector(input);
        std::vector<std::vector<std::size_t>> sets{{n / 2, n / 2 + 1, n / 2 - 3000, n / 2 + 3000},
                                                   {1, n},
                                                   {n / 2 - 9000, n / 2 + 9000, n / 2},
                                                   {n / 2 - 10, n / 2 + 10},
                                                   {n, n - 1},
                                                   {1, 2, 0}};
        for (int i = 0; i < 20; ++i) {
            const std::size_t k = rank(rng);
            sets.push_back({k, std::min(n, k + 50)});
            sets.push_back({k, rank(rng)});
        }
        for (const auto& ranks : sets) {
            const auto got = selector.at_ranks(ranks);
            for (std::size_t i = 0; i < ranks.size(); ++i) {
                const std::size_t k = std::clamp<std::size_t>(ranks[i], 1, n);
                ASSERT_EQ(got[i], sorted[k - 1]) << "rank " << k;
            }
        }
    }
    std::vector<double> with_nan = inputs[0];
    with_nan[n / 3] = std::numeric_limits<double>::quiet_NaN();
    stats::RankSelector selector(with_nan);
    EXPECT_EQ(selector.at_ranks({n / 2, n / 2 + 1}).size(), 2U);  // answered by the plain selection
}

TEST(TheilSen, OneSetOfSlopesGivesEveryIntervalTheSeparateFitsGive) {
    std::vector<double> t, y;
    for (int i = 0; i < 400; ++i) {
        t.push_back(i / 30.0);
        y.push_back(std::round(10.0 * (100 + 0.3 * (i / 30.0) + ((i * 7919) % 13) * 0.4)) / 10.0);
    }
    stats::PairwiseSlopes slopes(t, y);
    for (const auto& [alpha, var] : std::vector<std::pair<double, std::optional<double>>>{
             {0.05, std::nullopt}, {0.05, 4.0e6}, {0.10, 4.0e6}, {0.10, std::nullopt}, {0.01, 1.0e5}}) {
        const auto alone = stats::theil_sen(t, y, alpha, var);
        const auto shared = slopes.fit(alpha, var);
        EXPECT_EQ(shared.slope, alone.slope);
        EXPECT_EQ(shared.lower, alone.lower);
        EXPECT_EQ(shared.upper, alone.upper);
        EXPECT_EQ(shared.intercept, alone.intercept);
        EXPECT_EQ(shared.n_pairs, alone.n_pairs);
    }
}

TEST(TheilSen, SlopesComputedOnTheFlyGiveTheValuesOfTheSortedSlopes) {
    // Above kBracketFrom pairs, with strictly increasing times, the slopes are not stored: each fit computes
    // them into a bracket. The median, the interval and the intercept must be exactly those of every slope
    // sorted, for every interval width (the later fits reach past the first bracket), on series with ties,
    // a spike, a step, infinities and a NaN (no bracket: every slope stored), and on times with repeats
    // (not strictly increasing: every slope stored, the pairs with equal times left out).
    const std::size_t n = 420;  // 87,990 pairs
    std::mt19937_64 rng(11);
    std::normal_distribution<double> noise(0.0, 1.0);
    std::vector<std::pair<std::vector<double>, std::vector<double>>> series;
    for (int shape = 0; shape < 6; ++shape) {
        std::vector<double> t, y;
        for (std::size_t i = 0; i < n; ++i) {
            t.push_back(shape == 5 ? static_cast<double>(i / 3) : static_cast<double>(i) / 30.0);
            double v = 100 + 0.2 * t.back() + noise(rng);
            if (shape == 1) v = std::round(v);             // heavy ties
            if (shape == 2 && i == n / 2) v += 1e6;        // one spike
            if (shape == 3) v += i >= n / 3 ? 50.0 : 0.0;  // a step
            if (shape == 4 && i == 7) v = std::numeric_limits<double>::quiet_NaN();
            if (shape == 0 && (i == 97 || i == 300))
                v = std::numeric_limits<double>::infinity() * (i == 97 ? 1 : -1);
            y.push_back(v);
        }
        series.emplace_back(t, y);
    }
    for (const auto& [t, y] : series) {
        std::vector<double> sorted;
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t j = i + 1; j < n; ++j) {
                if (t[j] - t[i] != 0) sorted.push_back((y[j] - y[i]) / (t[j] - t[i]));
            }
        }
        const bool has_nan =
            std::any_of(sorted.begin(), sorted.end(), [](double v) { return std::isnan(v); });
        if (!has_nan) std::sort(sorted.begin(), sorted.end());
        const std::size_t m = sorted.size();
        stats::PairwiseSlopes slopes(t, y);
        for (const double var : {2.0e4, 1.0e7, 4.0e8, 1.0e5, 3.0e9}) {
            const auto fit = slopes.fit(0.05, var);
            ASSERT_EQ(fit.n_pairs, m);
            if (has_nan) continue;  // no order to compare with; answered without a crash
            const auto [lo, hi] =
                stats::sen_ci_ranks(m, stats::normal_quantile(1.0 - 0.05 / 2.0) * std::sqrt(var));
            const double median = m % 2 == 1 ? sorted[m / 2] : 0.5 * (sorted[m / 2 - 1] + sorted[m / 2]);
            EXPECT_EQ(fit.slope, median) << "var " << var;
            EXPECT_EQ(fit.lower, sorted[lo - 1]) << "var " << var;
            EXPECT_EQ(fit.upper, sorted[hi - 1]) << "var " << var;
        }
    }
}

TEST(Mser, DropsTheTransientBatch) {
    std::vector<double> y(30, 0.0);
    for (int i = 0; i < 5; ++i) y[static_cast<std::size_t>(i)] = 10.0;
    // Batch means 10,0,0,0,0,0: MSER(0) = (8.33² + 5·1.67²)/36 = 2.31, MSER(1) = 0 ⇒ d* = 1
    const auto m = stats::mser5(y);
    EXPECT_EQ(m.batches, 6u);
    EXPECT_EQ(m.d_star, 1u);
    EXPECT_EQ(m.truncate_samples, 5u);
    EXPECT_FALSE(m.at_boundary);
}

TEST(Mser, PlainMserCallsALineUnsettledTheLinearVariantDoesNot) {
    std::vector<double> y;
    for (int i = 0; i < 60; ++i) y.push_back(i + ((i * 31) % 7) * 0.3);
    const auto plain = stats::mser5(y);
    EXPECT_TRUE(plain.at_boundary);  // d* = ⌊12/2⌋ = 6
    EXPECT_EQ(plain.d_star, 6u);
    const auto lin = stats::mser5_linear(y);
    EXPECT_FALSE(lin.at_boundary);
    EXPECT_EQ(stats::mser5(std::vector<double>{1, 2, 3}).valid, false);
}

TEST(Envelope, MinimumPerWindow) {
    const std::vector<double> t{0, 1, 2, 3, 4, 5, 6};
    const std::vector<double> y{5, 3, 4, 9, 2, 8, 7};
    const auto e = stats::lower_envelope(t, y, 3.0);  // windows [0,3), [3,6), [6,9)
    EXPECT_EQ(e.t, (std::vector<double>{1, 4, 6}));
    EXPECT_EQ(e.y, (std::vector<double>{3, 2, 7}));
}

TEST(HodgesLehmann, ShiftAndCiByHand) {
    const std::vector<double> a{1, 2, 3}, c{4, 5, 6};
    // differences 1,2,2,3,3,3,4,4,5 ⇒ median 3; C = 1.96·√(9·7/3) = 8.98 ⇒ ranks 1 and 9 (clamped)
    const auto hl = stats::hodges_lehmann(a, c);
    EXPECT_DOUBLE_EQ(hl.shift, 3.0);
    EXPECT_DOUBLE_EQ(hl.lower, 1.0);
    EXPECT_DOUBLE_EQ(hl.upper, 5.0);
    EXPECT_FALSE(stats::hodges_lehmann(std::vector<double>{}, c).valid);
}

TEST(Power, MinimumDetectableSlopeTable) {
    // statistics.md §2: σ = 2, 2-s samples, 5 min, ρ = 0: SE = 2·√(12/(150·25)) = 0.113, MDS 0.28
    const double se = 2.0 * std::sqrt(12.0 / (150.0 * 25.0));
    EXPECT_NEAR(stats::minimum_detectable_slope(se), 0.28, 0.005);
    EXPECT_NEAR(stats::minimum_detectable_slope(1.0), 1.644854 + 0.841621, 1e-5);
    // SE ∝ D^(-3/2): halving the MDS needs 2^(2/3) times the length.
    EXPECT_NEAR(stats::duration_for_mds(5.0, 2.0, 1.0), 5.0 * std::pow(2.0, 2.0 / 3.0), 1e-12);
}

// The window median of upward_spikes: the fifth smallest of nine, for every order and with ties (values drawn
// from a few levels), as nth_element gives it.
TEST(Descriptive, MedianOfNineIsTheFifthSmallest) {
    std::mt19937_64 rng(20261203);
    std::uniform_int_distribution<int> level(0, 4);
    std::normal_distribution<double> noise(100.0, 15.0);
    for (int trial = 0; trial < 20000; ++trial) {
        std::array<double, 9> v{};
        for (auto& x : v) {
            x = trial % 2 == 0 ? static_cast<double>(level(rng)) : noise(rng);
        }
        std::array<double, 9> sorted = v;
        std::sort(sorted.begin(), sorted.end());
        ASSERT_EQ(stats::median_of_nine(v), sorted[4]) << "trial " << trial;
    }
    // Every placement of the median: a sorted run rotated through all nine positions, both directions.
    for (int shift = 0; shift < 9; ++shift) {
        std::array<double, 9> up{};
        std::array<double, 9> down{};
        for (int i = 0; i < 9; ++i) {
            up[static_cast<std::size_t>((i + shift) % 9)] = i;
            down[static_cast<std::size_t>((i + shift) % 9)] = -i;
        }
        EXPECT_EQ(stats::median_of_nine(up), 4.0);
        EXPECT_EQ(stats::median_of_nine(down), -4.0);
    }
}
