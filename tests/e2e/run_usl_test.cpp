// Issue 14 on the real stack: a step-mode stress test records the simulation's throughput
// (GET /metrics/performance events.total_per_sec) in every sample and ends with a Universal Scalability Law
// fit of window-mean throughput against live drivers, or a stated reason why there is none; the baseline
// records the status-call latency the calibrated limits derive from. About 4.5 minutes: one-batch levels of
// 10 drivers for at most 3 minutes (about 9 levels), no bisection.
#include <cstdio>

#include "run_e2e_support.hpp"

namespace e2e = perfrunner::e2e;

TEST(RunE2E, StepStressRecordsThroughputPerSampleAndFitsTheUslOrSaysWhyNot) {
    PERFRUNNER_REQUIRE_STACK_OR_SKIP();
    const auto out = e2e::fresh_dir("usl");
    e2e::Process p(e2e::run_argv(out, {"--scenarios", "baseline,stress"},
                                 {"scenarios.stress_mode=step", "scenarios.stress_spawn_batch_size=10",
                                  "scenarios.stress_max_step_batches=1", "scenarios.stress_refine=false",
                                  // a busy CI host must not end the test at the first level
                                  "scenarios.host_cpu_threshold_percent=100",
                                  "scenarios.stress_max_duration_minutes=3"}),
                   {}, out / "perfrunner.log", e2e::source_dir());
    const auto code = p.wait(480.0);
    ASSERT_TRUE(code.has_value()) << "run did not end within 8 minutes; log:\n"
                                  << e2e::read_text(out / "perfrunner.log");
    const auto run = e2e::read_json(out / "results.json");
    ASSERT_TRUE(run.has_value()) << e2e::read_text(out / "perfrunner.log");

    // Throughput per sample: every stress sample with a status record has the figure (the stand-in serves
    // /metrics/performance per the spec).
    const auto* stress = e2e::scenario(*run, "stress_test");
    ASSERT_NE(stress, nullptr);
    std::size_t with_pace = 0, with_throughput = 0;
    for (const auto& s : stress->at("samples")) {
        if (!s.contains("pace") || !s["pace"].is_object()) continue;
        ++with_pace;
        if (s["pace"].contains("events_per_sec") && s["pace"]["events_per_sec"].is_number())
            ++with_throughput;
    }
    ASSERT_GT(with_pace, 10u);
    EXPECT_GE(static_cast<double>(with_throughput), 0.9 * static_cast<double>(with_pace))
        << with_throughput << " of " << with_pace;
    const auto& steps = stress->at("metadata").at("steps");
    ASSERT_FALSE(steps.empty());
    EXPECT_TRUE(steps[0].at("window_throughput").is_number()) << steps[0].dump();

    // The fit, or why not.
    const auto& usl = run->at("analysis").at("stress_summary").at("usl");
    if (usl.at("fitted").get<bool>()) {
        for (const char* k : {"lambda", "sigma", "kappa"}) {
            EXPECT_TRUE(usl.at(k).at("value").is_number()) << k;
        }
        EXPECT_TRUE(usl.at("peak_load").is_number() || usl.at("peak_note").is_string()) << usl.dump();
        std::printf(
            "[e2e usl] levels %zu: lambda %s sigma %s kappa %s rmse %s; N* %s X(N*) %s (%s); last healthy "
            "%s, "
            "breaking point %s\n",
            usl.at("levels").get<std::size_t>(), usl["lambda"]["value"].dump().c_str(),
            usl["sigma"]["value"].dump().c_str(), usl["kappa"]["value"].dump().c_str(),
            usl["rmse"].dump().c_str(), usl["peak_load"].dump().c_str(),
            usl["peak_throughput"].dump().c_str(), usl["peak_note"].dump().c_str(),
            usl["last_healthy"].dump().c_str(), usl["breaking_point"].dump().c_str());
    } else {
        ASSERT_TRUE(usl.at("why_not").is_string()) << usl.dump();
        EXPECT_FALSE(usl.at("why_not").get<std::string>().empty());
        std::printf("[e2e usl] no fit: %s (last healthy %s, breaking point %s)\n",
                    usl["why_not"].get<std::string>().c_str(), usl["last_healthy"].dump().c_str(),
                    usl["breaking_point"].dump().c_str());
    }
    std::printf("[e2e usl] points: %s\n", usl.at("points").dump().c_str());
    const auto md = e2e::read_text(out / "report.md");
    EXPECT_NE(md.find("| Scalability (USL) |"), std::string::npos);
    // The baseline calibrated the status-call latency.
    const auto& cal = run->at("analysis").at("baseline_calibration");
    EXPECT_TRUE(cal.at("baseline").at("status_latency_p95_ms").is_number()) << cal.dump();
    std::printf("[e2e usl] baseline calibration: %s\n", cal.dump().c_str());
}
