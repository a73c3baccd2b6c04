#include <gtest/gtest.h>

#include "perfrunner/model/timestamps.hpp"

using perfrunner::model::iso_utc;
using perfrunner::model::parse_iso;
using perfrunner::model::test_id_utc;

TEST(Timestamps, IsoUtcWritesMicrosecondsAndZ) {
    EXPECT_EQ(iso_utc(0.0), "1970-01-01T00:00:00.000000Z");
    EXPECT_EQ(iso_utc(1739388600.123456), "2025-02-12T19:30:00.123456Z");
    EXPECT_EQ(iso_utc(951782400.5), "2000-02-29T00:00:00.500000Z");  // leap day
    EXPECT_EQ(iso_utc(1739388600.9999996),
              "2025-02-12T19:30:01.000000Z");  // rounding carries into the seconds
}

TEST(Timestamps, TestIdIsUtcSeconds) {
    EXPECT_EQ(test_id_utc(1739388600.9), "20250212_193000");
}

TEST(Timestamps, ParsesNaiveReferenceForms) {
    auto a = parse_iso("2026-11-26T19:49:26.175184");
    ASSERT_TRUE(a);
    EXPECT_FALSE(a->has_zone);
    EXPECT_EQ(a->epoch_ns, 1795722566175184000LL);
    auto b = parse_iso("2026-11-26T19:49:26");  // Python drops .ffffff when the microsecond is 0
    ASSERT_TRUE(b);
    EXPECT_EQ(b->epoch_ns, 1795722566000000000LL);
}

TEST(Timestamps, ParsesZonesAndNanoseconds) {
    auto z = parse_iso("2026-02-12T19:30:00.123456789Z");
    ASSERT_TRUE(z);
    EXPECT_TRUE(z->has_zone);
    EXPECT_EQ(z->epoch_ns % 1000000000LL, 123456789);
    auto plus = parse_iso("2026-02-12T21:30:00+02:00");
    auto minus = parse_iso("2026-02-12T17:00:00.5-02:30");
    ASSERT_TRUE(plus && minus);
    EXPECT_EQ(plus->epoch_ns, parse_iso("2026-02-12T19:30:00Z")->epoch_ns);
    EXPECT_EQ(minus->epoch_ns, parse_iso("2026-02-12T19:30:00.5Z")->epoch_ns);
}

TEST(Timestamps, RoundTripsIsoUtc) {
    const double t = 1795722566.175184;
    auto p = parse_iso(iso_utc(t));
    ASSERT_TRUE(p);
    EXPECT_NEAR(static_cast<double>(p->epoch_ns) / 1e9, t, 1e-6);
}

TEST(Timestamps, RejectsMalformed) {
    for (const char* bad : {"", "2026-02-12", "2026-13-01T00:00:00", "2026-02-30T00:00:00",
                            "2026-02-12T24:00:00", "2026-02-12T19:30:00.", "2026-02-12T19:30:00.1234567890",
                            "2026-02-12T19:30:00+0200", "2026-02-12T19:30:00Zjunk", "abcd-02-12T19:30:00"}) {
        EXPECT_FALSE(parse_iso(bad)) << bad;
    }
}

// Found by fuzz_cadvisor in CI: a year past 2262 made seconds x 1e9 overflow int64 (UB).
TEST(Timestamps, YearsBeyondNanosecondRangeAreRejectedNotOverflowed) {
    EXPECT_FALSE(parse_iso("7252-06-01T00:00:00Z"));
    EXPECT_FALSE(parse_iso("9999-12-31T23:59:59.999999999Z"));
    EXPECT_FALSE(parse_iso("1600-01-01T00:00:00Z"));
    const auto last = parse_iso("2262-04-11T00:00:00Z");
    ASSERT_TRUE(last);
    EXPECT_GT(last->epoch_ns, 9'220'000'000'000'000'000);
    EXPECT_TRUE(parse_iso("1700-01-01T00:00:00Z"));
}
