// Two runs compared end to end in memory (issue 14): which series are paired, and which changes count as
// regressions — a container's CPU, capacity, max speed passed, OOM events — and which do not.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "fakes/synthetic_runs.hpp"
#include "perfrunner/analysis/compare_runs.hpp"
#include "perfrunner/analysis/stats/usl.hpp"
#include "perfrunner/config/config.hpp"
#include "perfrunner/model/scenario_metadata.hpp"
#include "perfrunner/model/scenario_names.hpp"

namespace analysis = perfrunner::analysis;
namespace model = perfrunner::model;
namespace names = perfrunner::model::scenario_names;

namespace {

using perfrunner::fakes::make_run;
using perfrunner::fakes::RunShape;

analysis::CompareResult compare(const RunShape& a, const RunShape& b,
                                const perfrunner::config::Config& config = perfrunner::config::defaults()) {
    const auto base = make_run(a);
    const auto next = make_run(b);
    return analysis::compare_runs(base, analysis::analyze(base, config), next,
                                  analysis::analyze(next, config), config,
                                  analysis::compare_settings(config.compare));
}

const analysis::MetricComparison* find(const analysis::CompareResult& r, const std::string& described) {
    for (const auto& m : r.metrics) {
        if (analysis::describe(m.key) == described) {
            return &m;
        }
    }
    return nullptr;
}

}  // namespace

TEST(CompareRuns, SameShapeIsNoRegression) {
    const auto r = compare({.seed = 1}, {.seed = 2});
    EXPECT_FALSE(r.regression()) << (r.regressions.empty() ? "" : r.regressions.front());
    EXPECT_EQ(r.capacity_kind, "live drivers (step mode)");
    EXPECT_FALSE(r.capacity.regression);
    // Duration active phase and every speed step, per container and metric, plus the simulation's pace.
    ASSERT_NE(find(r, "duration_leak/active rideshare-simulation cpu_percent"), nullptr);
    ASSERT_NE(find(r, "speed_scaling/x4 rideshare-kafka memory_mb"), nullptr);
    ASSERT_NE(find(r, "duration_leak/active status_latency_ms"), nullptr);
    // The 15-sample baseline is paired but too short to test.
    const auto* idle = find(r, "baseline rideshare-simulation cpu_percent");
    ASSERT_NE(idle, nullptr);
    EXPECT_EQ(idle->verdict.change_class, analysis::ChangeClass::insufficient_data);
    // Priority containers first: the simulation before Kafka.
    EXPECT_EQ(r.metrics.front().key.container, "rideshare-simulation");
}

TEST(CompareRuns, MoreCpuNamesScenarioContainerAndMetric) {
    const auto r = compare({.seed = 3}, {.simulation_cpu = 60.0, .seed = 4});
    ASSERT_TRUE(r.regression());
    const auto* m = find(r, "duration_leak/active rideshare-simulation cpu_percent");
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->verdict.change_class, analysis::ChangeClass::regression);
    EXPECT_NEAR(*m->verdict.relative, 0.2, 0.03);
    bool named = false;
    for (const auto& line : r.regressions) {
        named =
            named || line.find("duration_leak/active rideshare-simulation cpu_percent") != std::string::npos;
    }
    EXPECT_TRUE(named);
    EXPECT_NE(find(r, "duration_leak/active rideshare-kafka cpu_percent")->verdict.change_class,
              analysis::ChangeClass::regression);
}

TEST(CompareRuns, CapacitySpeedAndOomRegressions) {
    const auto r =
        compare({.seed = 5},
                {.last_healthy = 140, .breaking_point = 150, .max_speed_passed = 2, .oom = true, .seed = 6});
    EXPECT_TRUE(r.capacity.regression);
    EXPECT_NEAR(*r.capacity.last_healthy_change, -0.30, 1e-12);  // 60 drivers: more than one 50-driver step
    EXPECT_DOUBLE_EQ(*r.capacity.base.step, 50.0);
    EXPECT_TRUE(r.speed.regression);
    ASSERT_EQ(r.ooms.size(), 1U);
    EXPECT_TRUE(r.ooms[0].regression);
    EXPECT_GE(r.regressions.size(), 3U);
}

TEST(CompareRuns, DifferentDurationLoadsAreNoted) {
    const auto config = perfrunner::config::defaults();
    auto base = make_run({.seed = 7});
    auto next = make_run({.seed = 8});
    next.find_scenario(names::kDuration)->scenario_params["drivers"] = 120;
    const auto r = analysis::compare_runs(base, analysis::analyze(base, config), next,
                                          analysis::analyze(next, config), config, {});
    ASSERT_FALSE(r.notes.empty());
    EXPECT_NE(r.notes.front().find("160 drivers in the base run, 120 in the new run"), std::string::npos)
        << r.notes.front();
}

// Same build, AR(1) noise with lag-1 correlation 0.9 on every series (a loaded container's CPU sampled every
// 2 s): a test on raw samples would call most of these pairs different. Over 40 seeded pairs, each a family
// of ~30 Holm-corrected comparisons, at most the nominal 5 % of the pairs may report any regression.
TEST(CompareRuns, AutocorrelatedSameBuildPairsStayAtTheNominalRate) {
    const auto config = perfrunner::config::defaults();
    int flagged = 0;
    std::size_t tested = 0;
    for (unsigned seed = 100; seed < 140; ++seed) {
        const auto r = compare({.seed = seed, .rho = 0.9}, {.seed = seed + 1000, .rho = 0.9}, config);
        flagged += r.regression() ? 1 : 0;
        for (const auto& m : r.metrics) {
            tested += m.shift.valid ? 1 : 0;
        }
    }
    EXPECT_LE(flagged, 2) << "of 40 same-build pairs";
    // The pairs were really tested (duration and speed steps), not skipped as too short for ρ = 0.9.
    EXPECT_GT(tested, 40U * 14U);
}

// With ρ = 0.9 a 5-minute phase holds only ~8 independent samples (n·(1 − ρ)/(1 + ρ)), so the test needs a
// larger step than in white noise: +40 % CPU is found in (nearly) every pair; +20 % in most (the accuracy
// benchmark, tests/bench/compare_accuracy, measures the rates).
TEST(CompareRuns, AutocorrelatedTrueRegressionIsStillFound) {
    int found = 0;
    for (unsigned seed = 200; seed < 220; ++seed) {
        const auto r =
            compare({.seed = seed, .rho = 0.9}, {.simulation_cpu = 70.0, .seed = seed + 1000, .rho = 0.9});
        const auto* m = find(r, "duration_leak/active rideshare-simulation cpu_percent");
        found += m != nullptr && m->verdict.change_class == analysis::ChangeClass::regression ? 1 : 0;
    }
    EXPECT_GE(found, 19) << "of 20 pairs with +40 % CPU";
}

// A run's loaded windows (duration active and the speed steps x2, x4, x8) pooled per container and metric,
// after the windows' own comparisons; the baseline is not loaded, so not pooled. (What pooling adds to the
// detection rate: CompareSeries.PoolsEachContainerAndMetricOverTheLoadedWindows and
// tests/bench/compare_accuracy; its same-build false alarms are counted in
// AutocorrelatedSameBuildPairsStayAtTheNominalRate above.)
TEST(CompareRuns, PooledComparisonOverTheLoadedWindows) {
    const auto r = compare({.seed = 9}, {.simulation_cpu = 60.0, .seed = 10});
    const auto* pooled = find(r, "pooled rideshare-simulation cpu_percent");
    ASSERT_NE(pooled, nullptr);
    EXPECT_EQ(pooled->pooled_from, (std::vector<std::string>{"duration_leak/active", "speed_scaling/x2",
                                                             "speed_scaling/x4", "speed_scaling/x8"}));
    EXPECT_EQ(pooled->verdict.change_class, analysis::ChangeClass::regression);
    EXPECT_NEAR(*pooled->verdict.relative, 0.2, 0.03);
    EXPECT_EQ(pooled->shift.base.n, 150U + 3U * 60U);
    // Every pooled row comes after the windows' rows, one per container and metric.
    std::size_t first_pooled = r.metrics.size();
    std::size_t pooled_rows = 0;
    for (std::size_t i = 0; i < r.metrics.size(); ++i) {
        if (r.metrics[i].pooled()) {
            first_pooled = std::min(first_pooled, i);
            ++pooled_rows;
        }
    }
    EXPECT_EQ(first_pooled + pooled_rows, r.metrics.size());
    EXPECT_NE(find(r, "pooled rideshare-kafka memory_mb"), nullptr);
    EXPECT_NE(find(r, "pooled status_latency_ms"), nullptr);
    EXPECT_NE(find(r, "pooled rideshare-kafka cpu_percent")->verdict.change_class,
              analysis::ChangeClass::regression);
}

// The tolerance comes from the config's compare section, per metric: +20 % CPU within a 30 % CPU tolerance
// is significant but not a regression, while the default 10 % makes it one.
TEST(CompareRuns, PerMetricToleranceFromConfig) {
    auto config = perfrunner::config::defaults();
    config.compare.cpu_tolerance_percent = 30.0;
    const auto r = compare({.seed = 11}, {.simulation_cpu = 60.0, .seed = 12}, config);
    const auto* m = find(r, "duration_leak/active rideshare-simulation cpu_percent");
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->verdict.change_class, analysis::ChangeClass::within_tolerance);
    EXPECT_FALSE(r.regression()) << (r.regressions.empty() ? "" : r.regressions.front());

    const auto settings = analysis::compare_settings(perfrunner::config::defaults().compare);
    EXPECT_DOUBLE_EQ(settings.tolerance_for(analysis::CompareMetric::cpu_percent).relative, 0.10);
    EXPECT_DOUBLE_EQ(settings.tolerance_for(analysis::CompareMetric::memory_mb).absolute, 10.0);
    EXPECT_EQ(settings.tolerance_for(analysis::CompareMetric::throughput).worse,
              analysis::WorseDirection::lower);
    EXPECT_DOUBLE_EQ(settings.alpha, 0.05);
    EXPECT_DOUBLE_EQ(settings.capacity_tolerance, 0.10);
}

namespace {

// Throughput per sample (issue 14 point 1) added to a synthetic run: `level` events/s with 2 % white noise.
void add_throughput(model::RunResult& run, double level, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> noise(0.0, 1.0);
    for (auto& sc : run.scenarios) {
        for (auto& s : sc.samples) {
            if (s.pace) {
                s.pace->events_per_sec = level * (1.0 + 0.02 * noise(rng));
            }
        }
    }
}

}  // namespace

TEST(CompareRuns, ThroughputPerSampleIsComparedAndAFallIsARegression) {
    const auto& config = perfrunner::config::defaults();
    auto base = make_run({.seed = 11});
    auto same = make_run({.seed = 12});
    auto slower = make_run({.seed = 13});
    add_throughput(base, 500.0, 1);
    add_throughput(same, 500.0, 2);
    add_throughput(slower, 350.0, 3);
    const auto settings = analysis::compare_settings(config.compare);
    const auto a = analysis::analyze(base, config);
    const auto ok = analysis::compare_runs(base, a, same, analysis::analyze(same, config), config, settings);
    const auto* m = find(ok, "duration_leak/active throughput");
    ASSERT_NE(m, nullptr);
    EXPECT_NE(m->verdict.change_class, analysis::ChangeClass::regression);
    const auto bad =
        analysis::compare_runs(base, a, slower, analysis::analyze(slower, config), config, settings);
    m = find(bad, "duration_leak/active throughput");
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->verdict.change_class, analysis::ChangeClass::regression);
    EXPECT_NEAR(*m->verdict.relative, -0.30, 0.02);
    // Runs without the figure (the reference framework's, older perfrunner ones) compare without it.
    const auto none = compare({.seed = 11}, {.seed = 12});
    EXPECT_EQ(find(none, "duration_leak/active throughput"), nullptr);
}

TEST(CompareRuns, UslPeakOfEachRunFeedsTheCapacityComparison) {
    const auto& config = perfrunner::config::defaults();
    const auto with_curve = [](model::RunResult& run, double kappa) {
        auto* stress = run.find_scenario(names::kStress);
        auto& steps = std::get<model::StressMetadata>(stress->metadata).step_mode->steps;
        steps.clear();
        for (long live = 40; live <= 240; live += 40) {
            model::StressStep st;
            st.level = live / 40;
            st.live_drivers = live;
            st.breach = false;
            st.window_throughput =
                analysis::stats::usl_throughput(static_cast<double>(live), 5.0, 0.02, kappa);
            steps.push_back(st);
        }
    };
    auto base = make_run({.seed = 21});
    auto next = make_run({.seed = 22});
    with_curve(base, 2.5e-5);  // N* = sqrt(0.98 / 2.5e-5) = 198
    with_curve(next, 4e-5);    // N* = 156.5
    const auto r =
        analysis::compare_runs(base, analysis::analyze(base, config), next, analysis::analyze(next, config),
                               config, analysis::compare_settings(config.compare));
    ASSERT_TRUE(r.capacity.base.peak_load.has_value());
    ASSERT_TRUE(r.capacity.next.peak_load.has_value());
    EXPECT_NEAR(*r.capacity.base.peak_load, std::sqrt(0.98 / 2.5e-5), 0.5);
    EXPECT_NEAR(*r.capacity.peak_load_change, std::sqrt(2.5e-5 / 4e-5) - 1.0, 0.01);
}
