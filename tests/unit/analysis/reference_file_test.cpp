// The analysis of a results.json written by the reference Python framework, read through the real model
// reader, checked against the numbers the reference itself computed with numpy (analysis.scenario_summaries).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "perfrunner/analysis/analysis_json.hpp"
#include "perfrunner/model/results_json.hpp"

namespace pa = perfrunner::analysis;

namespace {
const char* kFile = PERFRUNNER_SHARED_DIR "/reference-results/py-framework-results.json";

nlohmann::json raw_file() {
    std::ifstream in(kFile);
    std::stringstream ss;
    ss << in.rdbuf();
    return nlohmann::json::parse(ss.str());
}
}  // namespace

TEST(ReferenceFile, SummariesMatchTheReferenceNumbersExceptTheSlopeFactor) {
    const auto run = perfrunner::model::read_results_file(kFile);
    const auto raw = raw_file();
    const auto a = pa::analyze(run, perfrunner::config::Config{});
    const nlohmann::json ours = pa::analysis_json(a)["scenario_summaries"];  // compared with the parsed file
    const auto& theirs = raw["analysis"]["scenario_summaries"];
    ASSERT_EQ(ours.size(), theirs.size());
    int slopes_checked = 0;
    for (std::size_t i = 0; i < theirs.size(); ++i) {
        const auto& t = theirs[i];
        const auto& o = ours[i];
        EXPECT_EQ(o["scenario_name"], t["scenario_name"]);
        EXPECT_EQ(o["total_samples"], t["total_samples"]);
        EXPECT_EQ(o["containers_sampled"], t["containers_sampled"]);
        const auto& samples = raw["scenarios"][i]["samples"];
        for (const auto& [name, tc] : t["containers"].items()) {
            ASSERT_TRUE(o["containers"].contains(name)) << name;
            const auto& oc = o["containers"][name];
            for (const char* k : {"memory_mean_mb", "memory_max_mb", "memory_p95_mb", "memory_limit_mb",
                                  "cpu_mean_percent", "cpu_max_percent"}) {
                // both rounded to 1 dp from the same 1-dp inputs; allow one unit of the last digit for
                // binary rounding of halves
                EXPECT_NEAR(oc[k].get<double>(), tc[k].get<double>(), 1e-9)
                    << t["scenario_name"] << " " << name << " " << k;
            }
            std::size_t n = 0;
            for (const auto& s : samples) {
                n += s["containers"].contains(name) ? 1 : 0;
            }
            if (n < 2 || tc["memory_slope_mb_per_min"].is_null()) {
                continue;
            }
            // The reference's cov/var slope is the OLS slope times n/(n−1); both written with 3 dp.
            const double factor = static_cast<double>(n) / static_cast<double>(n - 1);
            for (const char* k : {"memory_slope_mb_per_min", "cpu_slope_percent_per_min"}) {
                const double mine = oc[k].get<double>();
                EXPECT_NEAR(mine * factor, tc[k].get<double>(), 0.0005 * factor + 0.0005 + 1e-9)
                    << t["scenario_name"] << " " << name << " " << k;
                if (std::fabs(tc[k].get<double>()) > 0.1) {
                    EXPECT_GT(std::fabs(tc[k].get<double>() - mine), 0.0)
                        << "expected the n/(n-1) difference";
                    ++slopes_checked;
                }
            }
        }
    }
    EXPECT_GT(slopes_checked, 5);
}

TEST(ReferenceFile, StressSaturationIsNoFindingAndTheLeakIsNotOk) {
    const auto run = perfrunner::model::read_results_file(kFile);
    const auto a = pa::analyze(run, perfrunner::config::Config{});
    for (const auto& f : a.findings) {
        if (f.scenario_name == "stress_test" || f.scenario_name == "speed_scaling") {
            EXPECT_EQ(f.severity, pa::Severity::info) << f.message;
        }
    }
    ASSERT_TRUE(a.stress.has_value());
    ASSERT_TRUE(a.stress->trigger.has_value());
    EXPECT_EQ(a.stress->trigger->container, "rideshare-simulation");
    EXPECT_EQ(a.stress->drivers_queued, 300);
    ASSERT_TRUE(a.speed.has_value());
    EXPECT_EQ(a.speed->steps.size(), 4u);
    EXPECT_EQ(a.speed->max_speed_passed, 16);  // no step hit the threshold
    ASSERT_TRUE(a.duration.has_value());
    for (const auto& l : a.duration->leaks) {
        if (l.container == "rideshare-simulation") {
            EXPECT_TRUE(l.seed_memory_leak_detected);
            EXPECT_NE(l.verdict, "ok") << pa::leak_result_json(l).dump();
        }
    }
    // The seed's phase_analysis recomputed from the samples equals what the reference stored (endpoint
    // slopes).
    const auto& recorded =
        std::get<perfrunner::model::DurationMetadata>(run.find_scenario("duration_leak")->metadata);
    ASSERT_TRUE(recorded.phase_analysis.has_value());
    const auto& stored = (*recorded.phase_analysis)["active"];
    const auto ours = pa::phase_analysis_json(a.duration->phase_analysis)["active"];
    for (const auto& [name, v] : stored.items()) {
        ASSERT_TRUE(ours.contains(name)) << name;
        EXPECT_NEAR(ours[name]["memory_slope_mb_per_min"].get<double>(),
                    v["memory_slope_mb_per_min"].get<double>(), 0.0011)
            << name;
    }
    const auto text = pa::analysis_json(a).dump() + pa::verdict_json(a).dump();
    EXPECT_EQ(text.find("NaN"), std::string::npos);
}
