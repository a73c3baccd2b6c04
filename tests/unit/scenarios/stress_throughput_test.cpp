// Step-mode stress and issue 14: throughput per judged window (the USL's points) and the baseline-calibrated
// triggers (off by default), on the fakes and the virtual clock.
#include <cmath>

#include "perfrunner/analysis/stats/usl.hpp"
#include "perfrunner/analysis/usl_capacity.hpp"
#include "perfrunner/model/scenario_metadata_json.hpp"
#include "perfrunner/scenarios/stress.hpp"
#include "scenario_fixture.hpp"

using namespace perfrunner;

namespace {

constexpr double kLambda = 10.0, kSigma = 0.02, kKappa = 5e-4;

double usl_of(double drivers) {
    return analysis::stats::usl_throughput(drivers, kLambda, kSigma, kKappa);
}

struct StepFixture : scenarios::testing::BaselineThenStressFixture {
    StepFixture() {
        h.config.scenarios.stress_mode = "step";
        // Simulation CPU: 2.1 % of one core per live driver -> the CPU threshold (90 %) at 43 drivers.
        script([this](double, ports::MetricsReading& m) {
            m.containers[0].cpu_percent = 2.1 * static_cast<double>(h.simulation.drivers_live);
        });
        // The simulation's throughput follows the USL in live drivers (riders are added one for one).
        h.simulation.throughput = [](long agents) -> std::optional<double> {
            return usl_of(static_cast<double>(agents) / 2.0);
        };
    }
    const model::StressStepResult& step() const { return md().step_mode.value(); }
    void baseline_latency(double latency_ms) { fill_stopped_baseline(baseline, latency_ms); }
};

TEST_F(StepFixture, EveryJudgedLoadRecordsItsWindowThroughputAndTheUslIsFittedOnThem) {
    h.config.scenarios.stress_refine = true;
    h.config.scenarios.stress_refine_resolution = 4;
    run_stress();
    ASSERT_EQ(step().breaking_point, 45);
    for (const auto& s : step().steps) {
        ASSERT_TRUE(s.window_throughput.has_value()) << "level " << s.level;
        EXPECT_NEAR(*s.window_throughput, usl_of(static_cast<double>(s.live_drivers)), 0.005);
    }
    ASSERT_EQ(step().refinement.size(), 2u);
    for (const auto& r : step().refinement) {
        ASSERT_TRUE(r.window_throughput.has_value()) << "probe " << r.probe;
        EXPECT_NEAR(*r.window_throughput, usl_of(static_cast<double>(r.live_drivers)), 0.005);
    }
    // The figure survives the results.json mapping.
    const auto back = model::metadata_from_json("stress_test", model::metadata_to_json(stress.metadata));
    EXPECT_EQ(std::get<model::StressMetadata>(back).step_mode->steps[2].window_throughput,
              step().steps[2].window_throughput);

    const auto usl = analysis::usl_capacity(run);
    ASSERT_TRUE(usl.has_value());
    ASSERT_TRUE(usl->fit.valid) << usl->fit.why_not;
    EXPECT_EQ(usl->points.size(), 7u);  // 5 levels + 2 probes
    EXPECT_EQ(usl->fit.levels, 7u);
    EXPECT_NEAR(usl->fit.lambda.value, kLambda, 0.01);
    EXPECT_NEAR(usl->fit.sigma.value, kSigma, 1e-3);
    EXPECT_NEAR(usl->fit.kappa.value, kKappa, 2e-5);
    ASSERT_TRUE(usl->fit.peak_load.has_value()) << usl->fit.peak_note;
    EXPECT_NEAR(*usl->fit.peak_load, std::sqrt((1 - kSigma) / kKappa), 0.5);
    EXPECT_EQ(usl->last_healthy, 42);
    EXPECT_EQ(usl->breaking_point, 45);
}

TEST_F(StepFixture, WithoutAThroughputFigureTheFitSaysWhy) {
    h.simulation.throughput = [](long) { return std::optional<double>(); };
    run_stress();
    EXPECT_FALSE(step().steps.front().window_throughput.has_value());
    const auto usl = analysis::usl_capacity(run);
    ASSERT_TRUE(usl.has_value());
    EXPECT_FALSE(usl->fit.valid);
    EXPECT_NE(usl->fit.why_not.find("/metrics/performance"), std::string::npos) << usl->fit.why_not;
}

TEST_F(StepFixture, BaselineTriggersAreOffByDefault) {
    baseline_latency(10.0);
    // Status latency grows with load: 5 ms + 0.5 ms per live driver (15 ms = 1.5x the baseline at 20).
    script([this](double, ports::MetricsReading& m) {
        m.containers[0].cpu_percent = 2.1 * static_cast<double>(h.simulation.drivers_live);
        h.simulation.status_latency_ms = 5.0 + 0.5 * static_cast<double>(h.simulation.drivers_live);
    });
    run_stress();
    EXPECT_EQ(step().breaking_point, 50);
    EXPECT_EQ(step().trigger_detail.value().metric, "cpu");
}

TEST_F(StepFixture, BaselineLatencyTriggerBreachesAtOneAndAHalfTimesTheBaselineP95) {
    h.config.scenarios.stress_baseline_triggers = true;
    baseline_latency(10.0);
    script([this](double, ports::MetricsReading& m) {
        m.containers[0].cpu_percent = 2.1 * static_cast<double>(h.simulation.drivers_live);
        h.simulation.status_latency_ms = 5.0 + 0.5 * static_cast<double>(h.simulation.drivers_live);
    });
    run_stress();
    EXPECT_EQ(step().last_healthy, 10);
    EXPECT_EQ(step().breaking_point, 20);
    const auto& t = step().trigger_detail.value();
    EXPECT_EQ(t.metric, "latency");
    EXPECT_EQ(t.container, "rideshare-simulation");
    EXPECT_DOUBLE_EQ(t.threshold, 15.0);
}

TEST_F(StepFixture, BaselineRealTimeRatioTriggerUsesTheFirstLevelWhenTheBaselineHadNone) {
    h.config.scenarios.stress_baseline_triggers = true;
    h.config.scenarios.stress_rtr_floor = 0.1;  // the configured floor alone would never breach here
    baseline_latency(10.0);                     // no ratio: the simulation does not run in the baseline
    // The engine keeps pace up to 20 live drivers, then falls to 70 % (above 0.67, below 0.8 x 1.0).
    h.simulation.pace = [this](int) { return h.simulation.drivers_live > 20 ? 0.7 : 1.0; };
    run_stress();
    EXPECT_EQ(step().last_healthy, 20);
    EXPECT_GT(step().breaking_point.value(), 20);  // the next level (its live count lags: the clock is slow)
    EXPECT_LE(step().breaking_point.value(), 30);
    const auto& t = step().trigger_detail.value();
    EXPECT_EQ(t.metric, "rtr");
    EXPECT_NEAR(t.threshold, 0.8, 1e-9);
}

}  // namespace
