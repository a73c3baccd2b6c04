// `perfrunner run` end to end against the real stack with config/demo.json: four scenarios, a stress trigger
// that names the saturated container and metric, duration phases with their counts at their own intervals,
// speed steps, reports and charts, exit code by verdict. About 5-6 minutes.
#include "run_e2e_support.hpp"

namespace e2e = perfrunner::e2e;

TEST(RunE2E, ShortFullRunWritesEveryScenarioReportAndExitCodeByVerdict) {
    PERFRUNNER_REQUIRE_STACK_OR_SKIP();
    const auto out = e2e::fresh_dir("full");
    const auto t0 = std::chrono::steady_clock::now();
    // --agents 20 bounds the duration and speed scenarios: sized from the stress test, a long ramp would
    // queue hundreds of agents, and the (real) spawn wait at 2 agents/s alone would exceed the 6-minute
    // budget.
    // The reference's ramp keeps the stress phase near 2 minutes (step mode's levels and bisection take about
    // 5 on this stack, README "Stress modes"), inside the demo's 6-minute budget with the other scenarios.
    e2e::Process p(e2e::run_argv(out, {"--agents", "20"}, {"scenarios.stress_mode=ramp"}), {},
                   out / "perfrunner.log", e2e::source_dir());
    const auto code = p.wait(480.0);
    const double minutes =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / 60.0;
    ASSERT_TRUE(code.has_value()) << "run did not end within 8 minutes; log:\n"
                                  << e2e::read_text(out / "perfrunner.log");
    EXPECT_LE(minutes, 6.5) << "the demo run should take about 6 minutes";
    const auto run = e2e::read_json(out / "results.json");
    ASSERT_TRUE(run.has_value()) << e2e::read_text(out / "perfrunner.log");

    // Exit code by verdict, and recorded.
    const std::string verdict = run->at("verdict").value("overall_status", "");
    EXPECT_EQ(run->at("exit_code").get<int>(), *code);
    if (verdict == "fail") {
        EXPECT_EQ(*code, 3);
    } else {
        EXPECT_TRUE(verdict == "pass" || verdict == "warning") << verdict;
        EXPECT_EQ(*code, 0) << e2e::read_text(out / "perfrunner.log");
    }
    EXPECT_EQ(run->at("schema_version"), "perfrunner-results/1");
    EXPECT_FALSE(run->value("aborted", false)) << run->value("abort_reason", "");

    // Four scenarios in order, none aborted.
    ASSERT_EQ(run->at("scenarios").size(), 4u);
    const char* names[] = {"baseline", "stress_test", "duration_leak", "speed_scaling"};
    for (std::size_t i = 0; i < 4; ++i) {
        const auto& s = run->at("scenarios")[i];
        EXPECT_EQ(s.at("scenario_name"), names[i]);
        EXPECT_FALSE(s.at("aborted").get<bool>()) << names[i] << ": " << s.at("abort_reason");
        EXPECT_FALSE(s.at("samples").empty()) << names[i];
    }

    // Stress: a trigger naming a configured container (or host) and metric, with the schema's metadata.
    const auto* stress = e2e::scenario(*run, "stress_test");
    ASSERT_NE(stress, nullptr);
    const auto& md = stress->at("metadata");
    for (const char* k : {"trigger", "total_agents_queued", "drivers_queued", "riders_queued", "peak_values",
                          "duration_seconds", "batch_count"}) {
        EXPECT_TRUE(md.contains(k)) << k;
    }
    ASSERT_FALSE(md.at("trigger").is_null()) << "the demo stack saturates within the stress limit";
    const std::string container = md["trigger"]["container"];
    const std::string metric = md["trigger"]["metric"];
    EXPECT_TRUE(container == "rideshare-simulation" || container == "rideshare-kafka" ||
                container == "host" || container == "rideshare-redis")
        << container;
    EXPECT_TRUE(metric == "cpu" || metric == "memory" || metric == "rtr") << metric;
    if (metric == "cpu" && container != "host") {
        // The saturated container really ran near its threshold in the last samples.
        EXPECT_GE(md["peak_values"][container]["cpu_percent"].get<double>(),
                  md["trigger"]["threshold"].get<double>() * 0.9);
    }
    EXPECT_GE(md.at("drivers_queued").get<long>(), 2);
    // derived_config records the number used (--agents), its source and the stress figures beside it.
    EXPECT_EQ(run->at("derived_config").at("duration_agent_count").get<long>(), 20);
    EXPECT_EQ(run->at("derived_config").at("agent_count_source"), "--agents");
    EXPECT_EQ(run->at("derived_config").at("stress_drivers_queued"), md.at("drivers_queued"));
    EXPECT_EQ(e2e::scenario(*run, "duration_leak")->at("scenario_params").at("drivers"), 20);
    EXPECT_EQ(e2e::scenario(*run, "duration_leak")->at("scenario_params").at("agent_count_source"),
              "cli_agents");

    // Duration: phase counts at their own intervals (demo: active 60 s at 2 s, cooldown 30 s at 2 s).
    const auto* duration = e2e::scenario(*run, "duration_leak");
    ASSERT_NE(duration, nullptr);
    const auto& counts = duration->at("metadata").at("phase_sample_counts");
    EXPECT_NEAR(counts.at("active").get<double>(), 30.0, 1.0);
    EXPECT_GE(counts.at("drain").get<long>(), 1);
    EXPECT_NEAR(counts.at("cooldown").get<double>(), 15.0, 1.0);
    EXPECT_EQ(counts["active"].get<std::size_t>() + counts["drain"].get<std::size_t>() +
                  counts["cooldown"].get<std::size_t>(),
              duration->at("samples").size());
    EXPECT_TRUE(duration->at("metadata").contains("leak_analysis"));
    const std::string drain_end = duration->at("metadata").value("drain_end_reason", "");
    EXPECT_TRUE(drain_end == "paused" || drain_end == "client_timeout") << drain_end;

    // Speed scaling: steps 2, 4, 8 at most, sample counts adding up.
    const auto* speed = e2e::scenario(*run, "speed_scaling");
    ASSERT_NE(speed, nullptr);
    const auto& steps = speed->at("metadata").at("step_results");
    ASSERT_FALSE(steps.empty());
    std::size_t total = 0;
    int multiplier = 2;
    for (const auto& s : steps) {
        EXPECT_EQ(s.at("multiplier").get<int>(), multiplier);
        multiplier *= 2;
        total += s.at("sample_count").get<std::size_t>();
        EXPECT_TRUE(s.contains("mean_real_time_ratio"));
    }
    EXPECT_EQ(total, speed->at("samples").size());
    EXPECT_TRUE(speed->at("metadata").contains("max_speed_passed"));

    // Reports and charts.
    for (const char* f : {"summary.json", "report.md", "report.html", "junit.xml", "charts/index.html"}) {
        EXPECT_TRUE(e2e::fs::exists(out / f)) << f;
    }
    std::size_t charts = 0;
    for (const auto& entry : e2e::fs::recursive_directory_iterator(out / "charts")) {
        if (entry.path().extension() == ".html") ++charts;
    }
    EXPECT_GE(charts, 4u);
}
