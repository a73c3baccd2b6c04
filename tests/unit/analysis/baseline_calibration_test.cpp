// Baseline calibration (issue 14): latency percentiles and real-time ratio of the idle baseline, the limits
// derived from them, and a scenario judged against those limits.
#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "perfrunner/analysis/baseline_calibration.hpp"

namespace analysis = perfrunner::analysis;
namespace model = perfrunner::model;

namespace {

std::vector<model::Sample> pace_samples(const std::vector<double>& latency, std::optional<double> ratio) {
    std::vector<model::Sample> out;
    out.reserve(latency.size());
    for (const double ms : latency) {
        model::Sample s;
        model::PaceSample p;
        p.status_latency_ms = ms;
        p.real_time_ratio = ratio;
        s.pace = p;
        out.push_back(s);
    }
    return out;
}

}  // namespace

TEST(BaselineCalibration, PercentilesAndDerivedLimits) {
    // Latencies 1..11 ms: p50 = 6, p95 = 10.5 (linear interpolation, numpy's default).
    const auto base = pace_samples({3, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11}, 0.98);
    const auto c = analysis::calibrate_baseline(base);
    EXPECT_EQ(c.latency_samples, 11U);
    EXPECT_DOUBLE_EQ(*c.latency_p50_ms, 6.0);
    EXPECT_DOUBLE_EQ(*c.latency_p95_ms, 10.5);
    EXPECT_DOUBLE_EQ(*c.latency_degraded_ms, 13.125);
    EXPECT_DOUBLE_EQ(*c.latency_unhealthy_ms, 15.75);
    EXPECT_DOUBLE_EQ(*c.mean_real_time_ratio, 0.98);
    EXPECT_EQ(c.real_time_ratio_source, "baseline");
    EXPECT_DOUBLE_EQ(*c.real_time_ratio_floor, 0.784);
}

TEST(BaselineCalibration, StoppedSimulationTakesTheRatioFromTheLightestLoad) {
    auto c = analysis::calibrate_baseline(pace_samples({2, 2, 2}, std::nullopt));
    EXPECT_FALSE(c.mean_real_time_ratio.has_value());
    EXPECT_FALSE(c.real_time_ratio_floor.has_value());
    analysis::use_real_time_reference(c, pace_samples({5, 5}, 0.9), "stress_test level 1");
    EXPECT_DOUBLE_EQ(*c.mean_real_time_ratio, 0.9);
    EXPECT_EQ(c.real_time_ratio_source, "stress_test level 1");
    // A measured baseline ratio is never replaced.
    analysis::use_real_time_reference(c, pace_samples({5}, 0.5), "later");
    EXPECT_DOUBLE_EQ(*c.mean_real_time_ratio, 0.9);
}

TEST(BaselineCalibration, NoPaceRecordsMeansNoLimits) {
    std::vector<model::Sample> bare(5);
    const auto c = analysis::calibrate_baseline(bare);
    EXPECT_EQ(c.latency_samples, 0U);
    EXPECT_FALSE(c.latency_p95_ms.has_value());
    EXPECT_FALSE(c.latency_unhealthy_ms.has_value());
    const auto a = analysis::assess_pace(pace_samples({100}, 0.1), c);
    EXPECT_EQ(a.latency, analysis::PaceState::no_data);
    EXPECT_EQ(a.real_time, analysis::PaceState::no_data);
    EXPECT_DOUBLE_EQ(*a.latency_p95_ms, 100.0);
}

TEST(BaselineCalibration, ScenarioJudgedAgainstTheLimits) {
    const auto c = analysis::calibrate_baseline(pace_samples({10, 10, 10, 10}, 1.0));  // p95 10 → 12.5 / 15
    EXPECT_EQ(analysis::assess_pace(pace_samples({9, 11, 12}, 0.95), c).latency, analysis::PaceState::ok);
    EXPECT_EQ(analysis::assess_pace(pace_samples({12, 13, 13}, 0.95), c).latency,
              analysis::PaceState::degraded);
    const auto bad = analysis::assess_pace(pace_samples({14, 20, 30}, 0.7), c);
    EXPECT_EQ(bad.latency, analysis::PaceState::unhealthy);
    EXPECT_EQ(bad.real_time, analysis::PaceState::unhealthy);  // 0.7 < 0.8
    EXPECT_STREQ(analysis::to_string(bad.latency), "unhealthy");
    EXPECT_EQ(analysis::assess_pace(pace_samples({10}, 0.85), c).real_time, analysis::PaceState::ok);
}
