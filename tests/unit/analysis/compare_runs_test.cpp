// Two runs compared end to end in memory (issue 14): which series are paired, and which changes count as
// regressions — a container's CPU, capacity, max speed passed, OOM events — and which do not.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "perfrunner/analysis/compare_runs.hpp"
#include "perfrunner/config/config.hpp"
#include "perfrunner/model/scenario_metadata.hpp"
#include "perfrunner/model/scenario_names.hpp"

namespace analysis = perfrunner::analysis;
namespace model = perfrunner::model;
namespace names = perfrunner::model::scenario_names;

namespace {

struct RunShape {
    double simulation_cpu = 50.0;  // duration and speed level of the simulation's CPU %
    long last_healthy = 200;
    long breaking_point = 210;
    int max_speed_passed = 4;
    bool oom = false;
    unsigned seed = 1;
};

void add_samples(model::RunResult& run, model::ScenarioResult& sc, std::size_t n, double cpu,
                 std::mt19937_64& rng) {
    std::normal_distribution<double> noise(0.0, 1.0);
    const auto sim = run.intern("rideshare-simulation");
    const auto kafka = run.intern("rideshare-kafka");
    for (std::size_t i = 0; i < n; ++i) {
        model::Sample s;
        s.timestamp = 1.8e9 + static_cast<double>(sc.samples.size()) * 2.0;
        model::ContainerSample a;
        a.container = sim;
        a.cpu_percent = cpu + 2.0 * noise(rng);
        a.memory_used_mb = 400.0 + noise(rng);
        model::ContainerSample b;
        b.container = kafka;
        b.cpu_percent = 20.0 + noise(rng);
        b.memory_used_mb = 700.0 + noise(rng);
        s.containers = {a, b};
        model::PaceSample p;
        p.status_latency_ms = 3.0 + 0.2 * noise(rng);
        p.real_time_ratio = 1.0;
        s.pace = p;
        sc.samples.push_back(std::move(s));
    }
}

model::RunResult make_run(const RunShape& shape) {
    std::mt19937_64 rng(shape.seed);
    model::RunResult run;
    run.test_id = "run" + std::to_string(shape.seed);

    model::ScenarioResult baseline;
    baseline.scenario_name = names::kBaseline;
    add_samples(run, baseline, 15, 1.0, rng);
    run.scenarios.push_back(std::move(baseline));

    model::ScenarioResult stress;
    stress.scenario_name = names::kStress;
    model::StressMetadata sm;
    model::StressStepResult steps;
    for (long level = 50; level <= shape.breaking_point; level += 50) {
        model::StressStep st;
        st.level = level;
        st.live_drivers = std::min(level, shape.breaking_point);
        steps.steps.push_back(st);
    }
    steps.last_healthy = shape.last_healthy;
    steps.breaking_point = shape.breaking_point;
    sm.step_mode = steps;
    stress.metadata = sm;
    if (shape.oom) {
        model::OomEvent e;
        e.container_name = "rideshare-simulation";
        stress.oom_events.push_back(e);
    }
    run.scenarios.push_back(std::move(stress));

    model::ScenarioResult duration;
    duration.scenario_name = names::kDuration;
    duration.scenario_params = {{"drivers", 160}, {"riders", 160}};
    add_samples(run, duration, 150, shape.simulation_cpu, rng);
    model::DurationMetadata dm;
    model::PhaseSampleCounts counts;
    counts.active = 150;
    counts.drain = 0;
    counts.cooldown = 0;
    dm.phase_sample_counts = counts;
    duration.metadata = dm;
    run.scenarios.push_back(std::move(duration));

    model::ScenarioResult speed;
    speed.scenario_name = names::kSpeed;
    model::SpeedMetadata spm;
    for (int step = 1; step <= 3; ++step) {
        model::SpeedStepResult r;
        r.step = step;
        r.multiplier = 1 << step;
        r.sample_count = 60;
        r.threshold_hit = r.multiplier > shape.max_speed_passed;
        add_samples(run, speed, 60, shape.simulation_cpu, rng);
        spm.step_results.push_back(r);
    }
    spm.total_steps = 3;
    speed.metadata = spm;
    run.scenarios.push_back(std::move(speed));
    return run;
}

analysis::CompareResult compare(const RunShape& a, const RunShape& b) {
    const auto config = perfrunner::config::defaults();
    const auto base = make_run(a);
    const auto next = make_run(b);
    return analysis::compare_runs(base, analysis::analyze(base, config), next,
                                  analysis::analyze(next, config), config, analysis::CompareSettings{});
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
