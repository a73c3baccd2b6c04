// number_text's fast path (figures with one or two decimals, whole numbers) must print exactly what
// std::to_chars prints, or results.json would change with it: compared here over every figure of two decimals
// up to 20,000, whole numbers of every length and trailing-zero count, and random values of every magnitude.
#include "../src/model/json_number.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>

#include <gtest/gtest.h>

namespace {

using perfrunner::model::detail::kNumberTextMax;
using perfrunner::model::detail::number_text;

// The writer's number text before the fast path: to_chars, ".0" when it has neither point nor exponent.
std::string reference(double v) {
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    std::string text(buf, res.ptr);
    if (text.find_first_of(".e") == std::string::npos) {
        text += ".0";
    }
    return text;
}

std::string fast(double v) {
    char buf[kNumberTextMax];
    return std::string(buf, number_text(v, buf));
}

// Counts mismatches (and keeps the first) so one failure does not print a million lines.
struct Check {
    long mismatches = 0;
    std::string first;
    void operator()(double v) {
        const std::string want = reference(v);
        const std::string got = fast(v);
        if (want != got && mismatches++ == 0) {
            first = want + " vs " + got;
        }
    }
};

TEST(JsonNumber, EveryFigureWithTwoDecimalsMatchesToChars) {
    Check check;
    for (long k = -200'000; k <= 2'000'000; ++k) {
        check(static_cast<double>(k) / 100.0);
        check(static_cast<double>(k) / 10.0);
    }
    EXPECT_EQ(check.mismatches, 0) << check.first;
}

TEST(JsonNumber, WholeNumbersMatchToCharsIncludingExponentForms) {
    Check check;
    for (double p = 1; p < 1e16; p *= 10) {
        for (double d : {1.0, 2.0, 9.0, 10.0, 12.0, 99.0, 100.0, 101.0, 1024.0, 12345.0}) {
            check(d * p);
            check(-d * p);
            check(d * p + 1);
        }
    }
    for (double v : {0.0, -0.0, 1.0, 512.0, 1024.0, 1795722558.0, 999999999999.0, 1e12, 1e12 - 1, 1e12 + 1}) {
        check(v);
    }
    EXPECT_EQ(check.mismatches, 0) << check.first;
    EXPECT_EQ(fast(1e5), "1e+05");  // the exponent form is kept where to_chars chooses it
    EXPECT_EQ(fast(-0.0), "-0.0");
    EXPECT_EQ(fast(102.2), "102.2");
    EXPECT_EQ(fast(0.05), "0.05");
}

TEST(JsonNumber, RandomValuesOfEveryMagnitudeMatchToChars) {
    Check check;
    std::mt19937_64 rng(12);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::uniform_int_distribution<int> exponent(-12, 16);
    for (int i = 0; i < 300'000; ++i) {
        const double v = (unit(rng) - 0.5) * std::pow(10.0, exponent(rng));
        check(v);
        check(std::round(v * 100.0) / 100.0);  // rounded like the sampled figures
        check(std::round(v * 1000.0) / 1000.0);
        check(std::nextafter(std::round(v * 10.0) / 10.0, 1e300));  // one ulp off a one-decimal figure
    }
    EXPECT_EQ(check.mismatches, 0) << check.first;
}

}  // namespace
