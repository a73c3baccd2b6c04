#include "perfrunner/scenarios/stress.hpp"

#include "perfrunner/analysis/baseline_calibration.hpp"
#include "perfrunner/error.hpp"
#include "perfrunner/model/scenario_metadata_json.hpp"
#include "scenario_fixture.hpp"

using namespace perfrunner;
using scenarios::testing::ScenarioFixture;

namespace {

struct StressTest : ScenarioFixture {
    model::ScenarioResult& stress = add("stress_test");
    void run_stress() {
        scenarios::StressScenario s(h.config);
        stress.scenario_params = s.params();
        s.run(ctx, stress);
    }
    const model::StressMetadata& md() const { return std::get<model::StressMetadata>(stress.metadata); }
    const model::StressStepResult& step() const { return md().step_mode.value(); }
    const model::PeakValues& peak(const std::string& container) const {
        for (const auto& p : md().peak_values) {
            if (p.container == container) {
                return p;
            }
        }
        throw std::runtime_error("no peak of " + container);
    }
};

TEST_F(StressTest, ParamsAndWindowFollowTheSchema) {
    scenarios::StressScenario s(h.config);
    const auto p = s.params();
    EXPECT_EQ(p["rolling_window_samples"], 5);
    EXPECT_EQ(p["cpu_threshold_percent"], 90.0);
    EXPECT_EQ(p["spawn_batch_size"], 10);
    EXPECT_EQ(p["max_duration_minutes"], 30.0);
}

TEST_F(StressTest, CpuTriggerIsScaledByEffectiveCores) {
    // Kafka (1.5 cores) climbs 1 % per second from 100 %: 100-134 % does not trigger, 135 % does.
    script([](double t, ports::MetricsReading& m) {
        m.containers[1].cpu_percent = 100.0 + std::max(0.0, t - 10.0);
    });
    run_stress();
    ASSERT_TRUE(md().trigger.has_value());
    const auto& t = *md().trigger;
    EXPECT_EQ(t.container, "rideshare-kafka");
    EXPECT_EQ(t.metric, "cpu");
    EXPECT_DOUBLE_EQ(t.threshold, 135.0);
    EXPECT_GE(t.value, 135.0);
    EXPECT_LT(t.value, 140.0);
    EXPECT_FALSE(t.detail.has_value());  // the reference's shape
    EXPECT_EQ(md().stop_reason, "threshold");
    EXPECT_FALSE(stress.aborted);
    EXPECT_EQ(h.simulation.state, "stopped");
    EXPECT_EQ(md().drivers_queued, 10 * md().batch_count);
    EXPECT_EQ(md().total_agents_queued, md().drivers_queued + md().riders_queued);
    EXPECT_GE(peak("rideshare-kafka").cpu_percent, 135.0);
    // Loop samples carry rolling averages and queued agents; warm-up samples do not.
    EXPECT_TRUE(stress.samples.front().rolling_averages.empty());
    EXPECT_FALSE(stress.samples.back().rolling_averages.empty());
    ASSERT_TRUE(stress.samples.back().agents_queued.has_value());
}

TEST_F(StressTest, MemoryTriggerAndSamplesAtTheSamplingIntervalWhileSpawningEverySpawnInterval) {
    script(
        [](double t, ports::MetricsReading& m) { m.containers[0].memory_percent = t < 70.0 ? 50.0 : 95.0; });
    run_stress();
    ASSERT_TRUE(md().trigger.has_value());
    EXPECT_EQ(md().trigger->container, "rideshare-simulation");
    EXPECT_EQ(md().trigger->metric, "memory");
    // The 5-sample window is 10 s of samples 2 s apart (reference bug 17: 3-s cadence).
    const auto& s = stress.samples;
    for (std::size_t i = 6; i < s.size(); ++i) {
        EXPECT_NEAR(s[i].timestamp - s[i - 1].timestamp, 2.0, 1e-6);
    }
    const double loop = md().duration_seconds;
    EXPECT_NEAR(static_cast<double>(md().batch_count), std::floor(loop / 3.0) + 1, 1.0);
    // The live drivers at the trigger run behind the queued ones (2 per second leave the queue, 10 join
    // every 3 s).
    ASSERT_TRUE(md().live_drivers_at_trigger.has_value());
    EXPECT_GT(*md().live_drivers_at_trigger, 0);
    EXPECT_LT(*md().live_drivers_at_trigger, md().drivers_queued);
    EXPECT_TRUE(md().live_riders_at_trigger.has_value());
}

TEST_F(StressTest, IdleWarmupSamplesAreNotInTheWindow) {
    // CPU saturated only during the warm-up (first 10 s): must not trigger.
    h.config.scenarios.stress_max_duration_minutes = 1;
    script([](double t, ports::MetricsReading& m) { m.containers[0].cpu_percent = t < 9.9 ? 300.0 : 10.0; });
    run_stress();
    EXPECT_FALSE(md().trigger.has_value());
    EXPECT_EQ(md().stop_reason, "max_duration");
    EXPECT_NEAR(md().duration_seconds, 60.0, 1e-6);
    EXPECT_DOUBLE_EQ(peak("rideshare-simulation").cpu_percent, 300.0);
}

TEST_F(StressTest, RealTimeRatioBelowTheFloorIsAnRtrHit) {
    h.simulation.pace = [](int) { return 0.5; };
    run_stress();
    ASSERT_TRUE(md().trigger.has_value());
    const auto& t = *md().trigger;
    EXPECT_EQ(t.metric, "rtr");
    EXPECT_EQ(t.container, "rideshare-simulation");
    EXPECT_NEAR(t.value, 0.5, 1e-6);
    EXPECT_DOUBLE_EQ(t.threshold, 0.67);
    EXPECT_TRUE(md().live_drivers.has_value());
}

// Ramp mode (the reference's) with scenarios.stress_baseline_triggers: the same calibrated limits as step
// mode.
struct RampCalibrationTest : scenarios::testing::BaselineThenStressFixture {
    RampCalibrationTest() {
        h.config.scenarios.stress_mode = "ramp";
        h.config.scenarios.stress_max_duration_minutes = 2;
        fill_stopped_baseline(baseline, 10.0);
    }
    // Status latency grows with load: 5 ms + 0.5 ms per live driver (15 ms = 1.5x the baseline at 20).
    void latency_grows_with_load() {
        script([this](double, ports::MetricsReading&) {
            h.simulation.status_latency_ms = 5.0 + 0.5 * static_cast<double>(h.simulation.drivers_live);
        });
    }
};

TEST_F(RampCalibrationTest, TriggersAreOffByDefault) {
    latency_grows_with_load();
    run_stress();
    EXPECT_FALSE(md().trigger.has_value());
    EXPECT_EQ(md().stop_reason, "max_duration");
}

TEST_F(RampCalibrationTest, LatencyTriggerAtOneAndAHalfTimesTheBaselineP95) {
    h.config.scenarios.stress_baseline_triggers = true;
    latency_grows_with_load();
    run_stress();
    ASSERT_TRUE(md().trigger.has_value());
    EXPECT_EQ(md().trigger->metric, "latency");
    EXPECT_EQ(md().trigger->container, "rideshare-simulation");
    EXPECT_DOUBLE_EQ(md().trigger->threshold, 15.0);
    EXPECT_GE(md().trigger->value, 15.0);
    ASSERT_TRUE(md().live_drivers.has_value());
    EXPECT_GE(*md().live_drivers, 20);
}

TEST_F(RampCalibrationTest, RealTimeRatioFloorFromTheWarmupWhenTheBaselineHadNone) {
    h.config.scenarios.stress_baseline_triggers = true;
    h.config.scenarios.stress_rtr_floor = 0.1;  // the configured floor alone would never breach here
    // The engine keeps pace up to 20 live drivers, then falls to 70 % (below 0.8 x the warm-up's 1.0).
    h.simulation.pace = [this](int) { return h.simulation.drivers_live > 20 ? 0.7 : 1.0; };
    run_stress();
    ASSERT_TRUE(md().trigger.has_value());
    EXPECT_EQ(md().trigger->metric, "rtr");
    EXPECT_NEAR(md().trigger->threshold, 0.8, 1e-9);
    ASSERT_TRUE(md().live_drivers.has_value());
    EXPECT_GT(*md().live_drivers, 20);
    // The report's calibration names the same reference.
    const auto report = analysis::calibration_report(run);
    ASSERT_TRUE(report.has_value());
    EXPECT_EQ(report->calibration.real_time_ratio_source, "stress_test warm-up");
    EXPECT_NEAR(report->calibration.real_time_ratio_floor.value(), 0.8, 1e-9);
}

TEST_F(StressTest, HostCpuSaturationIsAHostHit) {
    script([](double t, ports::MetricsReading& m) {
        ports::HostReading host;
        host.num_cores = 2;
        host.cpu_percent_of_host = t > 30.0 ? 97.0 : 40.0;
        host.cpu_percent = *host.cpu_percent_of_host * 2;
        m.host = host;
    });
    run_stress();
    ASSERT_TRUE(md().trigger.has_value());
    EXPECT_EQ(md().trigger->container, "host");
    EXPECT_EQ(md().trigger->metric, "cpu");
    ASSERT_TRUE(stress.samples.back().host.has_value());
}

TEST_F(StressTest, OomAbortKeepsMetadataAndStopsTheSimulation) {
    h.stack.schedule_oom("rideshare-kafka", h.t0() + 40.0);
    run_stress();
    EXPECT_TRUE(stress.aborted);
    EXPECT_EQ(stress.abort_reason.value_or(""), "OOM detected in: rideshare-kafka");
    ASSERT_EQ(stress.oom_events.size(), 1u);
    // Reference bug 10: all of it is stored.
    EXPECT_FALSE(md().trigger.has_value());
    EXPECT_GT(md().drivers_queued, 0);
    EXPECT_GT(md().batch_count, 0);
    EXPECT_FALSE(md().peak_values.empty());
    EXPECT_GT(md().duration_seconds, 0.0);
    EXPECT_EQ(md().stop_reason, "oom");
    EXPECT_EQ(h.simulation.count("stop"), 1);
    EXPECT_EQ(h.simulation.state, "stopped");
}

TEST_F(StressTest, ExceptionStillStoresMetadataAndStops) {
    h.simulation.state = "stopped";
    script([&](double t, ports::MetricsReading&) {
        if (t > 20.0) {
            h.simulation.fail_status_calls = 100;  // the API dies
        }
    });
    EXPECT_THROW(run_stress(), RuntimeFailure);
    EXPECT_GT(md().drivers_queued, 0);
    EXPECT_EQ(md().stop_reason, "error");
    EXPECT_NE(h.simulation.count("reset") + h.simulation.count("stop"), 0);
}

}  // namespace

namespace {

// Step mode (statistics.md §10.1): load counted in live agents after the queue drained; settle; judged
// window.
struct StressStepTest : StressTest {
    StressStepTest() {
        h.config.scenarios.stress_mode = "step";
        // Simulation CPU follows live drivers: 2 % of one core per driver -> 90 % at 45 drivers.
        script([this](double, ports::MetricsReading& m) {
            m.containers[0].cpu_percent = 2.0 * static_cast<double>(h.simulation.drivers_live);
        });
    }
};

TEST_F(StressStepTest, ReportsLastHealthyBreakingPointAndHeadroom) {
    run_stress();
    EXPECT_EQ(md().stop_reason, "breach");
    EXPECT_EQ(step().last_healthy, 40);
    EXPECT_EQ(step().breaking_point, 50);
    EXPECT_EQ(step().headroom_recommendation, 32);
    ASSERT_EQ(step().steps.size(), 5u);
    EXPECT_EQ(step().steps[4].breach, true);
    EXPECT_EQ(step().steps[3].breach, false);
    ASSERT_TRUE(md().trigger.has_value());
    EXPECT_EQ(md().trigger->container, "rideshare-simulation");
    EXPECT_EQ(md().trigger->metric, "cpu");
    ASSERT_TRUE(step().trigger_detail.has_value());
    ASSERT_TRUE(step().trigger_detail->detail.has_value());
    EXPECT_EQ(step().trigger_detail->detail->m, 5);
    EXPECT_EQ(step().steps[0].window_samples, 10u);
    EXPECT_EQ(h.simulation.count("wait_for_spawn"), 5);
    EXPECT_EQ(h.simulation.state, "stopped");
}

TEST_F(StressStepTest, CriticalMemoryStopsAtOnce) {
    script([this](double, ports::MetricsReading& m) {
        m.containers[0].memory_percent = h.simulation.drivers_live >= 30 ? 96.0 : 40.0;
    });
    run_stress();
    EXPECT_EQ(md().stop_reason, "critical");
    EXPECT_EQ(step().breaking_point, 30);
    EXPECT_EQ(step().last_healthy, 20);
    ASSERT_TRUE(md().trigger.has_value());
    EXPECT_EQ(md().trigger->metric, "memory");
    EXPECT_TRUE(step().trigger_detail.value().detail.value().critical);
}

}  // namespace

namespace {

TEST_F(StressStepTest, RefinementBisectsBetweenLastHealthyAndBreakingPoint) {
    h.config.scenarios.stress_refine = true;
    h.config.scenarios.stress_refine_resolution = 4;
    // Breach at >= 43 live drivers (2.1 % each): levels say 40 healthy / 50 breach; probes 45 (breach), 42
    // (ok).
    script([this](double, ports::MetricsReading& m) {
        m.containers[0].cpu_percent = 2.1 * static_cast<double>(h.simulation.drivers_live);
    });
    run_stress();
    const auto& refinement = step().refinement;
    ASSERT_EQ(refinement.size(), 2u) << model::metadata_to_json(stress.metadata).dump();
    EXPECT_EQ(refinement[0].probe, 45);
    EXPECT_TRUE(refinement[0].breach);
    EXPECT_EQ(refinement[1].probe, 42);
    EXPECT_FALSE(refinement[1].breach);
    EXPECT_EQ(step().last_healthy, 42);
    EXPECT_EQ(step().breaking_point, 45);
    EXPECT_EQ(step().headroom_recommendation, 33);
    EXPECT_EQ(h.simulation.state, "stopped");
}

}  // namespace

namespace {

std::vector<long> live_levels(const model::StressStepResult& r) {
    std::vector<long> out;
    for (const auto& s : r.steps) {
        out.push_back(s.live_drivers);
    }
    return out;
}

// The default step policy (issue 10): coarse steps far from the thresholds, one batch near them.
struct StressCoarseStepTest : StressStepTest {
    StressCoarseStepTest() {
        h.config.scenarios.stress_max_step_batches = 10;
        h.config.scenarios.stress_refine = true;
        h.config.scenarios.stress_refine_resolution = 10;
    }
};

TEST_F(StressCoarseStepTest, StepsShrinkToOneBatchNearTheThreshold) {
    // 0.5 % of a core per live driver: the 90 % threshold at 180 drivers. Kafka's flat 30 % memory limits
    // the second level (origin slope), the simulation's CPU the others; 100 drivers at most per step.
    script([this](double, ports::MetricsReading& m) {
        m.containers[0].cpu_percent = 0.5 * static_cast<double>(h.simulation.drivers_live);
    });
    run_stress();
    EXPECT_EQ(live_levels(step()), (std::vector<long>{10, 20, 120, 160, 170, 180}));
    EXPECT_EQ(step().last_healthy, 170);
    EXPECT_EQ(step().breaking_point, 180);
    EXPECT_TRUE(step().refinement.empty());  // already within one batch
    EXPECT_EQ(md().drivers_queued, 180);
    EXPECT_EQ(md().batch_count, 18);
    // The judged windows' means are recorded per container (the capacity chart's points).
    const auto& means = step().steps[2].window_means;
    ASSERT_EQ(means.size(), 2u);
    EXPECT_EQ(means[0].container, "rideshare-simulation");
    EXPECT_DOUBLE_EQ(means[0].cpu_percent_of_cores.value(), 60.0);
    EXPECT_DOUBLE_EQ(means[1].cpu_percent_of_cores.value(), 13.33);  // 20 % of one core on 1.5 cores
    EXPECT_DOUBLE_EQ(means[1].memory_percent, 30.0);
}

TEST_F(StressCoarseStepTest, AnOvershootIsBisectedResettingOnlyBelowARunningBreach) {
    // Linear below 100 drivers, then a cliff at 125: the climb jumps 20 -> 120 -> breach only at 160.
    script([this](double, ports::MetricsReading& m) {
        const auto n = static_cast<double>(h.simulation.drivers_live);
        m.containers[0].cpu_percent = n >= 125 ? 95.0 : 0.5 * n;
    });
    run_stress();
    EXPECT_EQ(live_levels(step()), (std::vector<long>{10, 20, 120, 160}));
    const auto& probes = step().refinement;
    ASSERT_EQ(probes.size(), 2u) << model::metadata_to_json(stress.metadata).dump();
    EXPECT_EQ(probes[0].probe, 140);
    EXPECT_TRUE(probes[0].breach);
    EXPECT_EQ(probes[1].probe, 130);
    EXPECT_TRUE(probes[1].breach);
    EXPECT_EQ(step().last_healthy, 120);
    EXPECT_EQ(step().breaking_point, 130);
    EXPECT_EQ(h.simulation.count("reset"), 2);  // both probes lay below a breaching load
}

TEST_F(StressCoarseStepTest, AProbeAboveAHealthyProbeAddsAgentsWithoutAReset) {
    script([this](double, ports::MetricsReading& m) {
        const auto n = static_cast<double>(h.simulation.drivers_live);
        m.containers[0].cpu_percent = n >= 155 ? 95.0 : 0.5 * n;
    });
    run_stress();
    EXPECT_EQ(live_levels(step()), (std::vector<long>{10, 20, 120, 160}));
    const auto& probes = step().refinement;
    ASSERT_EQ(probes.size(), 2u) << model::metadata_to_json(stress.metadata).dump();
    EXPECT_EQ(probes[0].probe, 140);
    EXPECT_FALSE(probes[0].breach);
    EXPECT_EQ(probes[1].probe, 150);
    EXPECT_FALSE(probes[1].breach);
    EXPECT_EQ(step().last_healthy, 150);
    EXPECT_EQ(step().breaking_point, 160);
    EXPECT_EQ(h.simulation.count("reset"), 1);  // 140 after the breach at 160; 150 added 10 on top
    EXPECT_EQ(h.simulation.state, "stopped");   // at rest afterwards
}

}  // namespace
