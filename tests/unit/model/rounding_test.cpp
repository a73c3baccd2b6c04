#include "perfrunner/model/rounding.hpp"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace pm = perfrunner::model;

// Expected values are what Python 3's round(x, n) prints for the same literal.
TEST(Rounding, ExactBinaryTiesGoToEven) {
    EXPECT_EQ(pm::round_half_even(0.125, 2), 0.12);
    EXPECT_EQ(pm::round_half_even(0.375, 2), 0.38);
    EXPECT_EQ(pm::round_half_even(2.5, 0), 2.0);
    EXPECT_EQ(pm::round_half_even(3.5, 0), 4.0);
    EXPECT_EQ(pm::round_half_even(-0.125, 2), -0.12);
}

TEST(Rounding, DecimalTiesFollowTheBinaryValue) {
    EXPECT_EQ(pm::round_half_even(2.675, 2), 2.67);  // 2.67499999...
    EXPECT_EQ(pm::round_half_even(1.005, 2), 1.0);   // 1.00499999...
    EXPECT_EQ(pm::round_half_even(0.15, 1), 0.1);    // 0.1499999...
    EXPECT_EQ(pm::round_half_even(0.35, 1), 0.3);    // 0.34999...
    EXPECT_EQ(pm::round_half_even(0.45, 1), 0.5);    // 0.45000000000000001
}

TEST(Rounding, OrdinaryValues) {
    EXPECT_EQ(pm::round_half_even(37.6543, 1), 37.7);
    EXPECT_EQ(pm::round_half_even(123.456, 0), 123.0);
    EXPECT_EQ(pm::round_half_even(-0.04, 1), 0.0);
    EXPECT_FALSE(std::signbit(pm::round_half_even(-0.04, 1)));
}

TEST(Rounding, NonFiniteAndOptional) {
    EXPECT_TRUE(std::isnan(pm::round_half_even(std::numeric_limits<double>::quiet_NaN(), 2)));
    EXPECT_EQ(pm::round_half_even(std::optional<double>{}, 2), std::nullopt);
    EXPECT_EQ(pm::round_half_even(std::optional<double>{std::numeric_limits<double>::infinity()}, 2),
              std::nullopt);
    EXPECT_EQ(pm::round_half_even(std::optional<double>{1.25}, 1), std::optional<double>{1.2});
    EXPECT_EQ(pm::round_half_even(1e300, 3), 1e300);
}
