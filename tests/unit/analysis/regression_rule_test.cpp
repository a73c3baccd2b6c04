// Holm–Bonferroni adjustment and the regression rule of `perfrunner compare` (issue 14).
#include <gtest/gtest.h>

#include <vector>

#include "perfrunner/analysis/regression_rule.hpp"
#include "perfrunner/analysis/stats/holm.hpp"

namespace analysis = perfrunner::analysis;
namespace stats = perfrunner::analysis::stats;

TEST(Holm, AdjustsStepDownInInputOrder) {
    // Sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → running max 0.06.
    const std::vector<double> p{0.01, 0.04, 0.03, 0.005};
    const auto adj = stats::holm_adjust(p);
    ASSERT_EQ(adj.size(), 4U);
    EXPECT_DOUBLE_EQ(adj[0], 0.03);
    EXPECT_DOUBLE_EQ(adj[1], 0.06);
    EXPECT_DOUBLE_EQ(adj[2], 0.06);
    EXPECT_DOUBLE_EQ(adj[3], 0.02);
}

TEST(Holm, CapsAtOneAndKeepsASingleComparisonUnchanged) {
    EXPECT_TRUE(stats::holm_adjust(std::vector<double>{}).empty());
    EXPECT_DOUBLE_EQ(stats::holm_adjust(std::vector<double>{0.03})[0], 0.03);
    const auto adj = stats::holm_adjust(std::vector<double>{0.6, 0.5, 0.001});
    EXPECT_DOUBLE_EQ(adj[0], 1.0);
    EXPECT_DOUBLE_EQ(adj[1], 1.0);
    EXPECT_DOUBLE_EQ(adj[2], 0.003);
}

namespace {

stats::MedianShift shift(double base_median, double change, double lower, double upper) {
    stats::MedianShift s;
    s.valid = true;
    s.base.n = s.next.n = 100;
    s.base.median = base_median;
    s.next.median = base_median + change;
    s.change = change;
    s.lower = lower;
    s.upper = upper;
    return s;
}

}  // namespace

TEST(RegressionRule, SignificantWorseAndLargeIsARegression) {
    const analysis::ChangeTolerance cpu{0.10, 2.0, analysis::WorseDirection::higher};
    const auto v = analysis::judge_change(shift(50, 10, 6, 14), 0.001, cpu);
    EXPECT_EQ(v.change_class, analysis::ChangeClass::regression);
    ASSERT_TRUE(v.relative.has_value());
    EXPECT_DOUBLE_EQ(*v.relative, 0.2);
    EXPECT_DOUBLE_EQ(*v.relative_lower, 0.12);
    EXPECT_DOUBLE_EQ(*v.relative_upper, 0.28);
    EXPECT_STREQ(analysis::to_string(v.change_class), "regression");
}

TEST(RegressionRule, NotSignificantIsTildeWhateverTheSize) {
    const analysis::ChangeTolerance cpu{0.10, 2.0, analysis::WorseDirection::higher};
    const auto v = analysis::judge_change(shift(50, 25, -5, 55), 0.05, cpu);  // p̃ = α is not < α
    EXPECT_EQ(v.change_class, analysis::ChangeClass::not_significant);
    EXPECT_STREQ(analysis::to_string(v.change_class), "~");
}

TEST(RegressionRule, SmallerThanToleranceOrFloorIsWithinTolerance) {
    const analysis::ChangeTolerance cpu{0.10, 2.0, analysis::WorseDirection::higher};
    // +8 % of 50: below the 10 % tolerance.
    EXPECT_EQ(analysis::judge_change(shift(50, 4, 3, 5), 1e-6, cpu).change_class,
              analysis::ChangeClass::within_tolerance);
    // +40 % of 1.0 % CPU is 0.4 points: below the 2-point floor.
    EXPECT_EQ(analysis::judge_change(shift(1.0, 0.4, 0.3, 0.5), 1e-6, cpu).change_class,
              analysis::ChangeClass::within_tolerance);
    // Exactly at the tolerance is not beyond it.
    EXPECT_EQ(analysis::judge_change(shift(50, 5, 4, 6), 1e-6, cpu).change_class,
              analysis::ChangeClass::within_tolerance);
}

TEST(RegressionRule, DirectionDecidesRegressionOrImprovement) {
    const analysis::ChangeTolerance cpu{0.10, 2.0, analysis::WorseDirection::higher};
    const analysis::ChangeTolerance throughput{0.10, 1.0, analysis::WorseDirection::lower};
    EXPECT_EQ(analysis::judge_change(shift(50, -10, -14, -6), 1e-4, cpu).change_class,
              analysis::ChangeClass::improvement);
    EXPECT_EQ(analysis::judge_change(shift(200, -40, -50, -30), 1e-4, throughput).change_class,
              analysis::ChangeClass::regression);
    EXPECT_EQ(analysis::judge_change(shift(200, 40, 30, 50), 1e-4, throughput).change_class,
              analysis::ChangeClass::improvement);
}

TEST(RegressionRule, ZeroBaseHasNoRelativeChangeAndOnlyTheFloorApplies) {
    const analysis::ChangeTolerance cpu{0.10, 2.0, analysis::WorseDirection::higher};
    const auto v = analysis::judge_change(shift(0.0, 5.0, 4.0, 6.0), 1e-4, cpu);
    EXPECT_FALSE(v.relative.has_value());
    EXPECT_EQ(v.change_class, analysis::ChangeClass::regression);
    EXPECT_EQ(analysis::judge_change(shift(0.0, 1.0, 0.5, 1.5), 1e-4, cpu).change_class,
              analysis::ChangeClass::within_tolerance);
}

TEST(RegressionRule, InvalidShiftIsInsufficientData) {
    stats::MedianShift s;  // valid = false
    const auto v = analysis::judge_change(s, 0.0, analysis::ChangeTolerance{});
    EXPECT_EQ(v.change_class, analysis::ChangeClass::insufficient_data);
    EXPECT_STREQ(analysis::to_string(v.change_class), "insufficient_data");
}
