#include "perfrunner/scenarios/run_flow.hpp"

#include <gtest/gtest.h>

#include "fakes/harness.hpp"

using namespace perfrunner;
using scenarios::ScenarioKind;

namespace {

struct RunFlowTest : ::testing::Test {
    fakes::Harness h;
    RunFlowTest() {
        auto& s = h.config.scenarios;
        s.baseline_duration_seconds = 10;
        s.stress_max_duration_minutes = 2;
        s.duration_active_minutes = 1;
        s.duration_cooldown_minutes = 0.5;
        s.speed_scaling_step_duration_minutes = 0.5;
        s.speed_scaling_max_multiplier = 8;
        // Kafka saturates after 60 s of stress ramp: about 30 batches = 300 drivers queued.
        h.metrics.script = [this](double) {
            ports::MetricsReading m;
            m.ok = true;
            m.containers = {fakes::reading("rideshare-simulation", 20.0, 10.0),
                            fakes::reading("rideshare-kafka", 30.0,
                                           h.simulation.drivers_requested > 300 ? 150.0 : 20.0, 1.5)};
            return m;
        };
    }
    scenarios::RunFlow flow(scenarios::RunOptions options = {}) {
        return scenarios::RunFlow({h.clock, h.stop, h.metrics, h.stack, h.simulation, h.sink, h.progress},
                                  h.config, std::move(options));
    }
};

TEST_F(RunFlowTest, FullRunOrderDerivedConfigAndCheckpoints) {
    auto f = flow();
    auto& run = f.execute();
    ASSERT_EQ(run.scenarios.size(), 4u);
    EXPECT_EQ(run.scenarios[0].scenario_name, "baseline");
    EXPECT_EQ(run.scenarios[1].scenario_name, "stress_test");
    EXPECT_EQ(run.scenarios[2].scenario_name, "duration_leak");
    EXPECT_EQ(run.scenarios[3].scenario_name, "speed_scaling");
    for (const auto& s : run.scenarios) {
        EXPECT_FALSE(s.aborted) << s.scenario_name << ": " << s.abort_reason.value_or("");
    }
    EXPECT_FALSE(run.aborted);
    const long drivers = std::get<model::StressMetadata>(run.scenarios[1].metadata).drivers_queued;
    ASSERT_TRUE(run.derived_config.has_value());
    EXPECT_EQ((*run.derived_config)["duration_agent_count"], drivers / 2);
    EXPECT_EQ((*run.derived_config)["stress_drivers_queued"], drivers);
    // The harness runs the reference's ramp: its rule and its source, the reference's value in the params.
    EXPECT_EQ((*run.derived_config)["agent_count_source"], "ramp_queued_half");
    EXPECT_EQ((*run.derived_config)["stress_mode"], "ramp");
    EXPECT_EQ(run.scenarios[2].scenario_params["agent_count_source"], "stress_test_drivers_queued_half");
    EXPECT_EQ(run.scenarios[2].scenario_params["drivers"], drivers / 2);
    EXPECT_EQ(run.scenarios[3].scenario_params["base_agent_count"], drivers / 2);
    EXPECT_EQ(run.extra["schema_version"], "perfrunner-results/1");
    EXPECT_EQ(run.test_id, model::test_id_utc(h.t0()));
    EXPECT_TRUE(run.config.contains("perfrunner"));
    EXPECT_EQ(run.config["perfrunner"]["api"]["api_key"], "***");
    EXPECT_EQ(run.config["scenarios"]["duration_active_minutes"], 1);
    // Every sample recorded once as taken; state records at every scenario start and end (and phase change),
    // the last holding everything.
    std::size_t total = 0;
    for (const auto& s : run.scenarios) {
        total += s.samples.size();
    }
    EXPECT_EQ(h.sink.recorded.size(), total);
    EXPECT_GE(h.sink.sample_counts.size(), 2u + 2u * run.scenarios.size());
    EXPECT_TRUE(std::is_sorted(h.sink.sample_counts.begin(), h.sink.sample_counts.end()));
    EXPECT_EQ(h.sink.sample_counts.back(), total);
    EXPECT_EQ(scenarios::exit_code_for(run, false, f.interrupted()), ExitCode::ok);
    EXPECT_EQ(scenarios::exit_code_for(run, true, f.interrupted()), ExitCode::verdict_fail);
    f.teardown();
    EXPECT_EQ(h.stack.downs, 1);
}

TEST_F(RunFlowTest, StressOomAbortsTheRunAfterStress) {
    h.stack.schedule_oom("rideshare-kafka", h.t0() + 40.0);
    auto f = flow();
    auto& run = f.execute();
    ASSERT_EQ(run.scenarios.size(), 2u);
    EXPECT_TRUE(run.aborted);
    EXPECT_EQ(run.abort_reason.value_or(""), "stress_test_oom");
    EXPECT_FALSE(run.derived_config.has_value());
    EXPECT_EQ(run.scenarios[1].oom_events.size(), 1u);
    EXPECT_GT(std::get<model::StressMetadata>(run.scenarios[1].metadata).drivers_queued, 0);
    EXPECT_EQ(scenarios::exit_code_for(run, false, false), ExitCode::verdict_fail);
}

TEST_F(RunFlowTest, OtherStressAbortKeepsItsOwnReason) {
    h.simulation.fail_status_calls = 1000;  // the API dies right after the baseline's readiness check
    scenarios::RunOptions o;
    o.scenarios = {ScenarioKind::stress, ScenarioKind::duration};
    auto f = flow(o);
    auto& run = f.execute();
    ASSERT_EQ(run.scenarios.size(), 1u);
    EXPECT_TRUE(run.aborted);
    EXPECT_NE(run.abort_reason.value_or(""), "stress_test_oom");
    EXPECT_NE(run.abort_reason.value_or("").find("Setup failed"), std::string::npos);
    EXPECT_EQ(scenarios::exit_code_for(run, false, false), ExitCode::runtime_error);
}

TEST_F(RunFlowTest, FewerThanTwoDriversAbortsInsufficientAgents) {
    h.simulation.fail_spawn = true;
    h.config.scenarios.stress_max_duration_minutes = 0.2;
    auto f = flow();
    auto& run = f.execute();
    ASSERT_EQ(run.scenarios.size(), 2u);
    EXPECT_EQ(run.abort_reason.value_or(""), "stress_test_insufficient_agents");
    EXPECT_EQ(scenarios::exit_code_for(run, false, false), ExitCode::runtime_error);
}

TEST_F(RunFlowTest, SigintMidDurationKeepsEverySampleAndRests) {
    scenarios::RunOptions o;
    o.scenarios = {ScenarioKind::duration};
    o.agents = 10;
    h.clock.stop_at(h.t0() + 45.0);  // inside the 60-s active phase
    auto f = flow(o);
    auto& run = f.execute();
    EXPECT_TRUE(f.interrupted());
    EXPECT_TRUE(run.aborted);
    EXPECT_EQ(run.abort_reason.value_or(""), "user_interrupt");
    ASSERT_EQ(run.scenarios.size(), 1u);
    const auto& d = run.scenarios[0];
    EXPECT_TRUE(d.aborted);
    EXPECT_EQ(d.abort_reason.value_or(""), "user_interrupt");
    EXPECT_EQ(d.scenario_params["agent_count_source"], "cli_agents");
    EXPECT_GT(d.samples.size(), 10u);
    EXPECT_EQ(std::get<model::DurationMetadata>(d.metadata).phase_sample_counts->active, d.samples.size());
    EXPECT_EQ(h.sink.sample_counts.back(), d.samples.size());
    EXPECT_EQ(h.sink.last.abort_reason.value_or(""), "user_interrupt");
    EXPECT_EQ(h.simulation.state, "stopped");
    EXPECT_EQ(scenarios::exit_code_for(run, false, f.interrupted()), ExitCode::interrupted);
}

TEST_F(RunFlowTest, ScenarioSelectionAndAgentsRules) {
    EXPECT_EQ(scenarios::parse_scenario_selection("speed, baseline"),
              (std::vector<ScenarioKind>{ScenarioKind::baseline, ScenarioKind::speed}));
    EXPECT_EQ(scenarios::parse_scenario_selection("stress_test,duration_leak,speed_scaling,stress"),
              (std::vector<ScenarioKind>{ScenarioKind::stress, ScenarioKind::duration, ScenarioKind::speed}));
    EXPECT_THROW(scenarios::parse_scenario_selection("baseline,soak"), UsageError);
    EXPECT_THROW(scenarios::parse_scenario_selection(" , "), UsageError);

    scenarios::RunOptions o;
    o.scenarios = {ScenarioKind::duration};
    EXPECT_THROW(scenarios::validate(o), UsageError);
    o.agents = 0;
    EXPECT_THROW(scenarios::validate(o), UsageError);
    o.agents = 4;
    EXPECT_NO_THROW(scenarios::validate(o));
    o.scenarios = {ScenarioKind::stress, ScenarioKind::speed};
    o.agents.reset();
    EXPECT_NO_THROW(scenarios::validate(o));
    o.scenarios = {ScenarioKind::baseline};
    EXPECT_NO_THROW(scenarios::validate(o));
}

TEST_F(RunFlowTest, SubsetRunsOnlyTheSelectedScenarios) {
    scenarios::RunOptions o;
    o.scenarios = {ScenarioKind::baseline, ScenarioKind::speed};
    o.agents = 6;
    o.keep_stack = true;
    auto f = flow(o);
    auto& run = f.execute();
    ASSERT_EQ(run.scenarios.size(), 2u);
    EXPECT_EQ(run.scenarios[1].scenario_name, "speed_scaling");
    EXPECT_EQ(run.scenarios[1].scenario_params["base_agent_count"], 6);
    f.teardown();
    EXPECT_EQ(h.stack.downs, 0);
}

}  // namespace

namespace {

TEST_F(RunFlowTest, StepModeSizesLaterScenariosFromTheLastHealthyLevel) {
    h.config.scenarios.stress_mode = "step";
    h.config.scenarios.stress_max_duration_minutes =
        30;  // each level costs spawn + 20 s settle + 20 s window
    h.metrics.script = [this](double) {
        ports::MetricsReading m;
        m.ok = true;
        m.containers = {fakes::reading("rideshare-simulation", 20.0,
                                       2.0 * static_cast<double>(h.simulation.drivers_live))};
        return m;
    };
    scenarios::RunOptions o;
    o.scenarios = {ScenarioKind::stress, ScenarioKind::duration};
    auto f = flow(o);
    auto& run = f.execute();
    ASSERT_EQ(run.scenarios.size(), 2u);
    ASSERT_TRUE(run.derived_config.has_value());
    const auto& d = *run.derived_config;
    EXPECT_EQ(d["stress_last_healthy"], 40);
    EXPECT_EQ(d["stress_breaking_point"], 50);
    EXPECT_EQ(d["stress_mode"], "step");
    // The recommended operating load: 80 % of the last healthy live drivers.
    EXPECT_EQ(d["duration_agent_count"], 32);
    EXPECT_EQ(d["agent_count_source"], "recommended_load");
    EXPECT_EQ(run.scenarios[1].scenario_params["agent_count_source"], "recommended_load");
    EXPECT_EQ(run.scenarios[1].scenario_params["drivers"], 32);
}

TEST_F(RunFlowTest, AgentsOptionOverridesTheStressSizingAndIsRecorded) {
    h.config.scenarios.stress_mode = "step";
    h.config.scenarios.stress_max_duration_minutes = 30;
    h.metrics.script = [this](double) {
        ports::MetricsReading m;
        m.ok = true;
        m.containers = {fakes::reading("rideshare-simulation", 20.0,
                                       2.0 * static_cast<double>(h.simulation.drivers_live))};
        return m;
    };
    scenarios::RunOptions o;
    o.scenarios = {ScenarioKind::stress, ScenarioKind::duration};
    o.agents = 7;
    auto f = flow(o);
    auto& run = f.execute();
    ASSERT_EQ(run.scenarios.size(), 2u);
    ASSERT_TRUE(run.derived_config.has_value());
    EXPECT_EQ((*run.derived_config)["duration_agent_count"], 7);
    EXPECT_EQ((*run.derived_config)["agent_count_source"], "--agents");
    EXPECT_EQ((*run.derived_config)["stress_last_healthy"], 40);  // the stress figures stay beside it
    EXPECT_EQ(run.scenarios[1].scenario_params["drivers"], 7);
}

TEST_F(RunFlowTest, StepModeWithoutAHealthyLevelAbortsInsufficientAgents) {
    h.config.scenarios.stress_mode = "step";
    h.metrics.script = [](double) {
        ports::MetricsReading m;
        m.ok = true;
        m.containers = {fakes::reading("rideshare-simulation", 20.0, 99.0)};  // breach at the first level
        return m;
    };
    scenarios::RunOptions o;
    o.scenarios = {ScenarioKind::stress, ScenarioKind::duration};
    auto f = flow(o);
    auto& run = f.execute();
    ASSERT_EQ(run.scenarios.size(), 1u);
    EXPECT_EQ(run.abort_reason.value_or(""), "stress_test_insufficient_agents");
}

}  // namespace
