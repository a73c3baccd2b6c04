// The USL on a step-mode stress record (issue 14 point 2): which judged loads become points, why a fit is not
// possible, the JSON of the result; and the baseline calibration report of a run (point 3).
#include <gtest/gtest.h>

#include <cmath>

#include "perfrunner/analysis/analysis_json.hpp"
#include "perfrunner/analysis/baseline_calibration.hpp"
#include "perfrunner/analysis/usl_capacity.hpp"
#include "perfrunner/model/scenario_names.hpp"

namespace analysis = perfrunner::analysis;
namespace model = perfrunner::model;

namespace {

double usl(double n) {
    return analysis::stats::usl_throughput(n, 8.0, 0.05, 4e-4);  // N* = sqrt(0.95 / 4e-4) = 48.7
}

model::RunResult step_run(const std::vector<long>& levels) {
    model::RunResult run;
    auto& s = run.scenarios.emplace_back();
    s.scenario_name = model::scenario_names::kStress;
    model::StressMetadata md;
    model::StressStepResult r;
    long level = 0;
    for (const long live : levels) {
        model::StressStep step;
        step.level = ++level;
        step.live_drivers = live;
        step.breach = false;
        step.window_throughput = usl(static_cast<double>(live));
        r.steps.push_back(step);
    }
    r.steps.back().breach = true;
    r.last_healthy = levels[levels.size() - 2];
    r.breaking_point = levels.back();
    md.step_mode = r;
    s.metadata = md;
    return run;
}

model::StressStepResult& steps_of(model::RunResult& run) {
    return *std::get<model::StressMetadata>(run.scenarios[0].metadata).step_mode;
}

}  // namespace

TEST(UslCapacity, FitsTheJudgedLevelsAndProbesAndFindsTheKnee) {
    auto run = step_run({10, 20, 30, 40, 50, 60});
    model::RefinementProbe probe;
    probe.probe = 55;
    probe.live_drivers = 55;
    probe.breach = true;
    probe.window_throughput = usl(55);
    steps_of(run).refinement.push_back(probe);
    const auto u = analysis::usl_capacity(run);
    ASSERT_TRUE(u.has_value());
    ASSERT_TRUE(u->fit.valid) << u->fit.why_not;
    EXPECT_EQ(u->points.size(), 7u);
    EXPECT_EQ(u->points.back().source, "refine 55");
    EXPECT_NEAR(u->fit.lambda.value, 8.0, 1e-3);
    EXPECT_NEAR(u->fit.sigma.value, 0.05, 1e-4);
    EXPECT_NEAR(u->fit.kappa.value, 4e-4, 1e-6);
    ASSERT_TRUE(u->fit.peak_load.has_value());
    EXPECT_NEAR(*u->fit.peak_load, std::sqrt(0.95 / 4e-4), 0.01);
    EXPECT_FALSE(u->disagreement.has_value());  // N* 48.7 vs last healthy 50

    const auto j = analysis::usl_capacity_json(*u);
    EXPECT_EQ(j["fitted"], true);
    EXPECT_TRUE(j["why_not"].is_null());
    EXPECT_EQ(j["load_axis"], "live_drivers");
    EXPECT_EQ(j["points"].size(), 7u);
    EXPECT_NEAR(j["kappa"]["value"].get<double>(), 4e-4, 1e-6);
    EXPECT_TRUE(j["lambda"]["ci95_lower"].is_number());
    EXPECT_NEAR(j["peak_load"].get<double>(), 48.7, 0.05);
    EXPECT_EQ(j["last_healthy"], 50);
    EXPECT_EQ(j["breaking_point"], 60);
}

TEST(UslCapacity, InterruptedAndCriticalLevelsAreNotPointsAndFiveLevelsAreTooFew) {
    auto run = step_run({10, 20, 30, 40, 50, 60, 70});
    steps_of(run).steps[5].critical = "oom";  // cut short: no steady-state window
    steps_of(run).steps[6].breach.reset();    // interrupted
    steps_of(run).steps[4].window_throughput.reset();
    const auto u = analysis::usl_capacity(run);
    ASSERT_TRUE(u.has_value());
    EXPECT_FALSE(u->fit.valid);
    EXPECT_EQ(u->points.size(), 4u);
    EXPECT_NE(u->fit.why_not.find("at least 6 load levels"), std::string::npos) << u->fit.why_not;
    const auto j = analysis::usl_capacity_json(*u);
    EXPECT_EQ(j["fitted"], false);
    EXPECT_EQ(j["why_not"], u->fit.why_not);
    EXPECT_FALSE(j.contains("lambda"));
}

TEST(UslCapacity, AKneeFarFromTheLastHealthyLoadIsFlagged) {
    auto run = step_run({10, 20, 30, 40, 50, 60});
    steps_of(run).last_healthy = 10;  // the thresholds tripped long before the curve bent
    const auto u = analysis::usl_capacity(run);
    ASSERT_TRUE(u && u->fit.valid);
    ASSERT_TRUE(u->disagreement.has_value());
    EXPECT_NE(u->disagreement->find("more than 2x"), std::string::npos);
}

TEST(UslCapacity, RampModeAndRunsWithoutStressHaveNoFit) {
    model::RunResult run;
    EXPECT_FALSE(analysis::usl_capacity(run).has_value());
    auto& s = run.scenarios.emplace_back();
    s.scenario_name = model::scenario_names::kStress;
    s.metadata = model::StressMetadata{};
    EXPECT_FALSE(analysis::usl_capacity(run).has_value());
}

TEST(UslCapacity, WindowThroughputIsTheMeanOfTheFiguresPresent) {
    std::vector<model::Sample> w(4);
    w[0].pace = model::PaceSample{};
    w[0].pace->events_per_sec = 10.0;
    w[1].pace = model::PaceSample{};  // a failed call: no figure
    w[2].pace = model::PaceSample{};
    w[2].pace->events_per_sec = 20.0;
    EXPECT_EQ(analysis::window_throughput(w), std::optional<double>(15.0));
    EXPECT_EQ(analysis::window_throughput(std::span<const model::Sample>(w).subspan(3)), std::nullopt);
}

TEST(CalibrationReport, BaselineLimitsAndEveryLaterScenarioJudged) {
    model::RunResult run;
    auto& base = run.scenarios.emplace_back();
    base.scenario_name = model::scenario_names::kBaseline;
    for (const double ms : {4.0, 4.0, 4.0, 4.0, 8.0}) {
        model::Sample s;
        s.pace = model::PaceSample{};
        s.pace->status_latency_ms = ms;
        base.samples.push_back(s);
    }
    auto& stress = run.scenarios.emplace_back();
    stress.scenario_name = model::scenario_names::kStress;
    for (const double ms : {20.0, 20.0, 20.0}) {
        model::Sample s;
        s.pace = model::PaceSample{};
        s.pace->status_latency_ms = ms;
        s.pace->real_time_ratio = 0.95;
        stress.samples.push_back(s);
    }
    const auto r = analysis::calibration_report(run);
    ASSERT_TRUE(r.has_value());
    ASSERT_TRUE(r->calibration.latency_p95_ms.has_value());
    const double p95 = *r->calibration.latency_p95_ms;
    EXPECT_GT(p95, 4.0);
    EXPECT_DOUBLE_EQ(*r->calibration.latency_unhealthy_ms, 1.5 * p95);
    EXPECT_FALSE(r->calibration.mean_real_time_ratio.has_value());  // the baseline never ran the simulation
    ASSERT_EQ(r->scenarios.size(), 1u);
    EXPECT_EQ(r->scenarios[0].scenario_name, "stress_test");
    EXPECT_EQ(r->scenarios[0].assessment.latency, analysis::PaceState::unhealthy);
    const auto j = analysis::calibration_json(*r);
    EXPECT_EQ(j["scenarios"]["stress_test"]["latency"], "unhealthy");
    EXPECT_TRUE(j["limits"]["latency_degraded_ms"].is_number());
    EXPECT_TRUE(j["limits"]["real_time_ratio_floor"].is_null());

    analysis::StressRuleSettings rule;
    rule.rtr_floor = 0.67;
    auto c = r->calibration;
    c.real_time_ratio_floor = 0.76;
    analysis::apply_baseline_triggers(rule, c);
    EXPECT_DOUBLE_EQ(rule.rtr_floor, 0.76);
    EXPECT_DOUBLE_EQ(rule.latency_limit_ms, 1.5 * p95);
}

TEST(CalibrationReport, NoneWithoutABaselineWithStatusLatencies) {
    model::RunResult run;
    EXPECT_FALSE(analysis::calibration_report(run).has_value());
    run.scenarios.emplace_back().scenario_name = model::scenario_names::kBaseline;
    run.scenarios[0].samples.emplace_back();  // a reference-framework baseline: no pace records
    EXPECT_FALSE(analysis::calibration_report(run).has_value());
}
