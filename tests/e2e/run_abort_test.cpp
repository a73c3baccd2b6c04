// Abort paths end to end: an OOM kill during the stress test stops the run after stress with every sample and
// the OOM event saved (exit 3); SIGINT in the middle of the duration scenario exits 130 with a valid
// results.json holding every sample taken.
#include "run_e2e_support.hpp"

namespace e2e = perfrunner::e2e;

TEST(RunE2E, StressOomStopsTheRunAfterStressWithEverySample) {
    PERFRUNNER_REQUIRE_STACK_OR_SKIP();
    const auto out = e2e::fresh_dir("oom");
    // 96 MiB for the simulation: ~32 MiB base + 1.2 MiB per agent => OOM-killed after a few batches. The
    // memory threshold at 100 %, host CPU at 100 % and a real-time-ratio floor of 0.01 keep the other rules
    // from ending the ramp before the kill (a busy 2-core CI host saturates its CPU long before).
    e2e::Process p(
        e2e::run_argv(out, {"--scenarios", "baseline,stress,duration,speed"},
                      {"scenarios.stress_mode=ramp",  // the reference's ramp runs into the kill
                       "scenarios.stress_memory_threshold_percent=100",
                       "scenarios.host_cpu_threshold_percent=100", "scenarios.stress_rtr_floor=0.01"}),
        {{"SIM_MEM_LIMIT", "96m"}}, out / "perfrunner.log", e2e::source_dir());
    const auto code = p.wait(300.0);
    ASSERT_TRUE(code.has_value()) << e2e::read_text(out / "perfrunner.log");
    const auto run = e2e::read_json(out / "results.json");
    ASSERT_TRUE(run.has_value());
    EXPECT_TRUE(run->value("aborted", false));
    EXPECT_EQ(run->value("abort_reason", ""), "stress_test_oom") << e2e::read_text(out / "perfrunner.log");
    ASSERT_EQ(run->at("scenarios").size(), 2u);  // duration and speed scaling skipped
    const auto* stress = e2e::scenario(*run, "stress_test");
    ASSERT_NE(stress, nullptr);
    ASSERT_FALSE(stress->at("oom_events").empty());
    EXPECT_EQ(stress->at("oom_events")[0].at("container_name"), "rideshare-simulation");
    EXPECT_TRUE(stress->at("aborted").get<bool>());
    // Metadata kept on abort (reference bug 10) and samples contiguous up to the kill.
    EXPECT_GT(stress->at("metadata").at("drivers_queued").get<long>(), 0);
    EXPECT_GT(stress->at("samples").size(), 5u);
    e2e::expect_contiguous(stress->at("samples"), 4.5);
    EXPECT_EQ(*code, 3);
    EXPECT_EQ(run->at("exit_code").get<int>(), 3);
    EXPECT_TRUE(e2e::fs::exists(out / "report.md"));
}

TEST(RunE2E, SigintMidDurationExits130WithEverySample) {
    PERFRUNNER_REQUIRE_STACK_OR_SKIP();
    const auto out = e2e::fresh_dir("sigint");
    e2e::Process p(e2e::run_argv(out, {"--scenarios", "duration", "--agents", "10"}), {},
                   out / "perfrunner.log", e2e::source_dir());
    // Wait until the active phase has 8 samples in the run journal, then interrupt.
    const std::size_t seen = e2e::wait_for_journal_samples(out, 8, 180.0);
    ASSERT_GE(seen, 8u) << e2e::read_text(out / "perfrunner.log");
    p.signal(SIGINT);
    const auto code = p.wait(90.0);
    ASSERT_TRUE(code.has_value()) << "no exit within 90 s of SIGINT; log:\n"
                                  << e2e::read_text(out / "perfrunner.log");
    EXPECT_EQ(*code, 130) << e2e::read_text(out / "perfrunner.log");
    const auto run = e2e::read_json(out / "results.json");
    ASSERT_TRUE(run.has_value());
    EXPECT_TRUE(run->value("aborted", false));
    EXPECT_EQ(run->value("abort_reason", ""), "user_interrupt");
    EXPECT_EQ(run->at("exit_code").get<int>(), 130);
    const auto* d = e2e::scenario(*run, "duration_leak");
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->value("abort_reason", ""), "user_interrupt");
    EXPECT_GE(d->at("samples").size(), seen);  // every sample up to the signal, none lost
    EXPECT_EQ(d->at("metadata").at("phase_sample_counts").at("active").get<std::size_t>(),
              d->at("samples").size());
    e2e::expect_contiguous(d->at("samples"), 3.0);
    EXPECT_TRUE(e2e::fs::exists(out / "summary.json"));
}
