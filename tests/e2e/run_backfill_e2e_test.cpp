// Issue 13 must-show: a gap forced in perfrunner (SIGSTOP for 20 s mid-phase) is not a gap in the data. With
// `metrics.source: "prometheus"` the ticks perfrunner missed are filled from Prometheus' history
// (query_range) at the end of the phase, marked `backfilled`, in time order.
#include <cstdio>
#include <thread>

#include "run_e2e_support.hpp"

namespace e2e = perfrunner::e2e;
using nlohmann::json;

TEST(BackfillE2E, TwentySecondsPausedAreBackfilledFromPrometheus) {
    PERFRUNNER_REQUIRE_STACK_OR_SKIP();
    const auto out = e2e::fresh_dir("backfill");
    const auto log = out.parent_path() / (out.filename().string() + ".log");
    const double interval = 2.0;
    e2e::Process p(e2e::run_argv(out, {"--scenarios", "baseline"},
                                 {"metrics.source=prometheus", "sampling.interval_seconds=2",
                                  "sampling.warmup_seconds=1", "scenarios.baseline_duration_seconds=40"}),
                   {}, log, e2e::source_dir());
    ASSERT_GE(e2e::wait_for_journal_samples(out, 4, 240.0), 4U) << e2e::read_text(log);
    p.signal(SIGSTOP);
    std::this_thread::sleep_for(std::chrono::seconds(20));
    p.signal(SIGCONT);
    const auto code = p.wait(180.0);
    ASSERT_TRUE(code.has_value()) << e2e::read_text(log);
    EXPECT_EQ(*code, 0) << e2e::read_text(log);
    const auto run = e2e::read_json(out / "results.json");
    ASSERT_TRUE(run.has_value()) << e2e::read_text(log);
    const json* baseline = e2e::scenario(*run, "baseline");
    ASSERT_NE(baseline, nullptr);

    const auto& samples = baseline->at("samples");
    std::size_t backfilled = 0;
    double previous_with_figures = 0.0;
    double widest_gap = 0.0;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const auto& s = samples[i];
        if (i > 0) {
            EXPECT_LE(samples[i - 1].at("timestamp").get<double>(), s.at("timestamp").get<double>()) << i;
        }
        if (s.value("backfilled", false)) {
            ++backfilled;
            EXPECT_FALSE(s.contains("pace")) << "no status call was made for a backfilled tick";
            const auto& sim = s.at("containers").at("rideshare-simulation");
            EXPECT_GT(sim.at("memory_used_mb").get<double>(), 0.0) << s.dump();
        }
        if (!s.at("containers").empty()) {
            const double t = s.at("timestamp").get<double>();
            if (previous_with_figures > 0.0) {
                widest_gap = std::max(widest_gap, t - previous_with_figures);
            }
            previous_with_figures = t;
        }
    }
    std::printf(
        "BACKFILL | paused 20 s at a %.0f-s interval | %zu samples, %zu backfilled | widest gap %.1f s\n",
        interval, samples.size(), backfilled, widest_gap);
    // 20 s paused at 2 s: about 9 due ticks missed (the first may fall within half an interval of a tick).
    EXPECT_GE(backfilled, 7U);
    EXPECT_LE(widest_gap, 1.5 * interval + 0.5) << "a gap in the data remains";
    EXPECT_NE(e2e::read_text(log).find("backfilled from the metrics source"), std::string::npos);
}
