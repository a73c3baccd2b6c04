#include "perfrunner/model/optional_figure.hpp"

#include <bit>
#include <cmath>
#include <limits>
#include <optional>

#include <gtest/gtest.h>

namespace pm = perfrunner::model;

TEST(OptionalFigure, EmptyByDefaultAndAfterReset) {
    pm::OptionalFigure f;
    EXPECT_FALSE(f.has_value());
    EXPECT_FALSE(static_cast<bool>(f));
    EXPECT_TRUE(f == std::nullopt);
    EXPECT_EQ(f.value_or(7.5), 7.5);
    EXPECT_THROW((void)f.value(), std::bad_optional_access);
    f = 3.25;
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(*f, 3.25);
    f.reset();
    EXPECT_FALSE(f.has_value());
    f = 1.0;
    f = std::nullopt;
    EXPECT_FALSE(f.has_value());
}

TEST(OptionalFigure, EveryDoubleIsAValueNaNIncluded) {
    // Zero, negative zero, extremes and infinities keep their bits.
    for (const double v :
         {0.0, -0.0, 1e-310, -1e300, std::numeric_limits<double>::max(),
          std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()}) {
        const pm::OptionalFigure f(v);
        ASSERT_TRUE(f.has_value()) << v;
        EXPECT_EQ(std::signbit(*f), std::signbit(v)) << v;
        EXPECT_TRUE(*f == v || (std::isnan(*f) && std::isnan(v))) << v;
    }
    // Any NaN, even one carrying the bits that mark "absent", is a value (a quiet NaN), never absent.
    const double absent_bits = std::bit_cast<double>(0x7FF0'DEAD'BEEF'F16EULL);
    for (const double nan : {std::numeric_limits<double>::quiet_NaN(),
                             std::numeric_limits<double>::signaling_NaN(), -std::nan(""), absent_bits}) {
        const pm::OptionalFigure f(nan);
        EXPECT_TRUE(f.has_value());
        EXPECT_TRUE(std::isnan(*f));
    }
}

TEST(OptionalFigure, ConvertsBothWaysWithStdOptional) {
    const std::optional<double> some = 12.5;
    const std::optional<double> none;
    const pm::OptionalFigure from_some = some;
    const pm::OptionalFigure from_none = none;
    EXPECT_EQ(from_some, 12.5);
    EXPECT_FALSE(from_none.has_value());
    const std::optional<double> back = from_some;
    EXPECT_EQ(back, some);
    EXPECT_EQ(static_cast<std::optional<double>>(from_none), std::nullopt);
}

TEST(OptionalFigure, OrderedAsStdOptional) {
    // std::optional: an empty one is less than every value and equal only to another empty one.
    const pm::OptionalFigure none;
    const pm::OptionalFigure two = 2.0;
    EXPECT_TRUE(none < 0.0);
    EXPECT_FALSE(none > -1e300);
    EXPECT_FALSE(none == 0.0);
    EXPECT_TRUE(two > 0);
    EXPECT_TRUE(two >= 2.0);
    EXPECT_FALSE(two < 2.0);
    EXPECT_TRUE(two == pm::OptionalFigure(2.0));
    EXPECT_FALSE(two == none);
    EXPECT_TRUE(none == pm::OptionalFigure());
    EXPECT_FALSE(pm::OptionalFigure(std::nan("")) == pm::OptionalFigure(std::nan("")));  // NaN != NaN
}
