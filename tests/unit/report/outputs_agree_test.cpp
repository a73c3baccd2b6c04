// One run's results.json, summary.json, report.md and junit.xml show the same numbers: every figure is
// rounded once, by model::round_half_even in its one JSON mapping (analysis_json.hpp), and the reports print
// that rounded value at the same precision. The values are rounding ties on which the old outputs disagreed:
// results.json rounded half away from zero (0.125 -> 0.13) while summary.json and the reports rounded the
// scaled product half to even (0.125 -> 0.12, 1.115 -> 1.12 where Python's round() gives 1.11).
#include <gtest/gtest.h>

#include <cstdio>

#include "perfrunner/analysis/analysis_json.hpp"
#include "perfrunner/model/results_json.hpp"
#include "perfrunner/model/scenario_metadata_json.hpp"
#include "perfrunner/report/junit_xml.hpp"
#include "perfrunner/report/report_markdown.hpp"
#include "perfrunner/report/summary_json.hpp"
#include "unit/report/fixtures.hpp"

namespace perfrunner::report {
namespace {

using testing::kKafka;
using testing::kSim;
namespace decimals = analysis::decimals;

// One figure: what Python's round(x, n) makes of the value put into the analysis, and where each output shows
// it. JSON pointers into results.json and summary.json; texts in report.md and junit.xml, "{}" = the number.
struct Figure {
    std::string what;
    double rounded;
    int decimals;
    std::vector<std::string> results_json, summary_json, markdown, junit;
};

std::string shown(double value, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return buf;
}

std::string with_number(std::string text, const std::string& number) {
    const auto at = text.find("{}");
    return at == std::string::npos ? text : text.replace(at, 2, number);
}

// The fixtures' run and analysis with rounding ties in every kind of figure.
analysis::Analysis analysis_with_ties() {
    auto a = testing::make_analysis();
    auto& leak_finding = a.findings[1];    // duration_leak/rideshare-simulation/memory_leak
    leak_finding.metric_value = 0.125;     // exact binary tie: 0.12
    leak_finding.threshold = 1.115;        // x * 100 rounds up to the tie, the binary value is below it: 1.11
    auto& health = a.container_health[0];  // Simulation
    health.memory_current_mb = 500.25;     // 500.2
    health.memory_leak_rate_mb_per_min = 0.0625;  // 0.062
    health.cpu_peak_percent = 57.25;              // 57.2
    auto& sim_leak = a.duration->leaks[0];
    sim_leak.ols_memory_slope_mb_per_min = 0.0625;   // 0.062
    sim_leak.seed_memory_slope_mb_per_min = 1.4375;  // 1.438
    auto& kafka_leak = a.duration->leaks[1];
    kafka_leak.ols_memory_slope_mb_per_min = 0.3125;  // 0.312
    auto& cooldown = a.duration->cooldown[0];
    cooldown.active_end_mb = 160.125;  // 160.12
    cooldown.cooldown_end_mb = 157.45;
    cooldown.delta_mb = 2.675;       // binary value below the tie: 2.67
    cooldown.delta_percent = 0.125;  // 0.12
    auto& baseline_sim = a.scenario_summaries[0].containers[0];
    baseline_sim.memory_mb.max = 312.25;              // 312.2
    baseline_sim.cpu_percent.max = 5.25;              // 5.2
    a.speed->steps[0].mean_real_time_ratio = 0.8125;  // 0.812
    return a;
}

std::vector<Figure> figures() {
    const std::string sim = "rideshare-simulation", kafka = "rideshare-kafka";
    return {
        {"finding metric_value",
         0.12,
         decimals::kFinding,
         {"/verdict/findings/1/metric_value"},
         {"/verdict/findings/1/metric_value"},
         {"(value {}, "},
         {"(value {}, "}},
        {"finding threshold",
         1.11,
         decimals::kFinding,
         {"/verdict/findings/1/threshold"},
         {"/verdict/findings/1/threshold"},
         {", threshold {})"},
         {", threshold {})"}},
        {"health memory_current_mb",
         500.2,
         decimals::kLevel,
         {"/verdict/container_health/0/memory_current_mb"},
         {"/verdict/container_health/0/memory_current_mb"},
         {"| Simulation | {} | 1024.0 |"},
         {}},
        {"health memory_leak_rate_mb_per_min",
         0.062,
         decimals::kSlope,
         {"/verdict/container_health/0/memory_leak_rate_mb_per_min"},
         {"/verdict/container_health/0/memory_leak_rate_mb_per_min"},
         {"| 48.8 | {} | 57.2 | OK |"},
         {}},
        {"health cpu_peak_percent",
         57.2,
         decimals::kLevel,
         {"/verdict/container_health/0/cpu_peak_percent"},
         {"/verdict/container_health/0/cpu_peak_percent"},
         {"| 0.062 | {} | OK |"},
         {}},
        {"leak OLS slope",
         0.062,
         decimals::kSlope,
         {"/analysis/leak_detection/" + sim + "/ols_memory_slope_mb_per_min",
          "/verdict/leak_detection/" + sim + "/ols_memory_slope_mb_per_min",
          "/scenarios/2/metadata/leak_analysis/" + sim + "/ols_memory_slope_mb_per_min"},
         {"/verdict/leak_detection/" + sim + "/ols_memory_slope_mb_per_min"},
         {"| Simulation | leak | investigate | {} |"},
         {}},
        {"leak seed (endpoint) slope",
         1.438,
         decimals::kSlope,
         {"/analysis/leak_detection/" + sim + "/memory_slope_mb_per_min",
          "/verdict/leak_detection/" + sim + "/memory_slope_mb_per_min",
          "/scenarios/2/metadata/leak_analysis/" + sim + "/memory_slope_mb_per_min"},
         {"/verdict/leak_detection/" + sim + "/memory_slope_mb_per_min"},
         {"| 0.062 | {} (leak flag) |"},
         {}},
        {"leak OLS slope of a passing check",
         0.312,
         decimals::kSlope,
         {"/analysis/leak_detection/" + kafka + "/ols_memory_slope_mb_per_min",
          "/verdict/leak_detection/" + kafka + "/ols_memory_slope_mb_per_min",
          "/scenarios/2/metadata/leak_analysis/" + kafka + "/ols_memory_slope_mb_per_min"},
         {"/verdict/leak_detection/" + kafka + "/ols_memory_slope_mb_per_min"},
         {"| Kafka | ok | normal | {} |"},
         {"tier normal, OLS slope {} MB/min"}},
        {"cooldown active_end_mb",
         160.12,
         decimals::kCooldown,
         {"/analysis/cooldown/" + sim + "/active_end_mb", "/verdict/cooldown/" + sim + "/active_end_mb",
          "/scenarios/2/metadata/cooldown_analysis/" + sim + "/active_end_mb"},
         {"/verdict/cooldown/" + sim + "/active_end_mb"},
         {"| Simulation | {} | 157.45 |"},
         {}},
        {"cooldown delta_mb",
         2.67,
         decimals::kCooldown,
         {"/analysis/cooldown/" + sim + "/delta_mb", "/verdict/cooldown/" + sim + "/delta_mb",
          "/scenarios/2/metadata/cooldown_analysis/" + sim + "/delta_mb"},
         {"/verdict/cooldown/" + sim + "/delta_mb"},
         {"| 157.45 | {} | 0.12 |"},
         {}},
        {"cooldown delta_percent",
         0.12,
         decimals::kCooldown,
         {"/analysis/cooldown/" + sim + "/delta_percent", "/verdict/cooldown/" + sim + "/delta_percent",
          "/scenarios/2/metadata/cooldown_analysis/" + sim + "/delta_percent"},
         {"/verdict/cooldown/" + sim + "/delta_percent"},
         {"| 2.67 | {} | released |"},
         {}},
        {"baseline memory max",
         312.2,
         decimals::kLevel,
         {"/analysis/scenario_summaries/0/containers/" + sim + "/memory_max_mb"},
         {},
         {},
         {"memory max {} MB of limit 1024.0 MB"}},
        {"baseline CPU max",
         5.2,
         decimals::kLevel,
         {"/analysis/scenario_summaries/0/containers/" + sim + "/cpu_max_percent"},
         {},
         {},
         {"CPU max {} % of one core"}},
        {"speed step real-time ratio",
         0.812,
         decimals::kRealTimeRatio,
         {"/analysis/speed_summary/steps/0/mean_real_time_ratio",
          "/verdict/speed_summary/steps/0/mean_real_time_ratio"},
         {"/verdict/speed_summary/steps/0/mean_real_time_ratio"},
         {"| 1 | 2x | 25 | 4 | no | — | {} |"},
         {}},
    };
}

TEST(OutputsAgree, ResultsSummaryMarkdownAndJunitShowTheSameRoundedNumbers) {
    auto run = testing::make_run();
    const auto a = analysis_with_ties();
    const auto config = testing::make_config();
    testing::TempDir dir;
    // What `perfrunner run` stores: the duration scenario's metadata, then the analysis and the verdict.
    auto& duration = run.scenarios[2];
    ASSERT_EQ(duration.scenario_name, "duration_leak");
    model::record_duration_analysis(std::get<model::DurationMetadata>(duration.metadata),
                                    analysis::duration_analysis_json(*a.duration));
    run.analysis = analysis::analysis_json(a);
    run.extra["verdict"] = analysis::verdict_json(a);
    model::write_results_file(dir.path / "results.json", run);
    const ReportContext context{run, a, config, dir.path, PngMode::never};
    SummaryJsonWriter().write(context);
    MarkdownReportWriter().write(context);
    JunitXmlWriter().write(context);

    const auto results = nlohmann::json::parse(testing::read_file(dir.path / "results.json"));
    const auto summary = nlohmann::json::parse(testing::read_file(dir.path / "summary.json"));
    const auto markdown = testing::read_file(dir.path / "report.md");
    const auto junit = testing::read_file(dir.path / "junit.xml");

    for (const auto& f : figures()) {
        SCOPED_TRACE(f.what);
        const std::string text = shown(f.rounded, f.decimals);
        for (const auto& p : f.results_json) {
            const nlohmann::json::json_pointer ptr(p);
            ASSERT_TRUE(results.contains(ptr)) << "results.json " << p;
            EXPECT_EQ(results.at(ptr), f.rounded) << "results.json " << p;
        }
        for (const auto& p : f.summary_json) {
            const nlohmann::json::json_pointer ptr(p);
            ASSERT_TRUE(summary.contains(ptr)) << "summary.json " << p;
            EXPECT_EQ(summary.at(ptr), f.rounded) << "summary.json " << p;
        }
        for (const auto& t : f.markdown) {
            EXPECT_NE(markdown.find(with_number(t, text)), std::string::npos)
                << "report.md: " << with_number(t, text);
        }
        for (const auto& t : f.junit) {
            EXPECT_NE(junit.find(with_number(t, text)), std::string::npos)
                << "junit.xml: " << with_number(t, text);
        }
    }
    // summary.json's verdict is results.json's verdict: one mapping, one set of key names.
    EXPECT_EQ(summary["verdict"], results["verdict"]);
}

// The leak and cooldown objects are the same wherever they appear (duration metadata, `analysis`, `verdict`).
TEST(OutputsAgree, LeakAndCooldownObjectsAreOneMapping) {
    const auto a = analysis_with_ties();
    const auto meta = analysis::duration_analysis_json(*a.duration);
    const auto in_analysis = analysis::analysis_json(a);
    const auto verdict = analysis::verdict_json(a);
    EXPECT_EQ(meta["leak_analysis"], in_analysis["leak_detection"]);
    EXPECT_EQ(meta["leak_analysis"], verdict["leak_detection"]);
    EXPECT_EQ(meta["cooldown_analysis"], in_analysis["cooldown"]);
    EXPECT_EQ(meta["cooldown_analysis"], verdict["cooldown"]);
    // Reference keys first, in the reference order (results-schema.md §5).
    std::vector<std::string> keys;
    for (const auto& [k, v] : meta["leak_analysis"][kSim].items()) {
        keys.push_back(k);
    }
    ASSERT_GE(keys.size(), 4u);
    EXPECT_EQ(std::vector<std::string>(keys.begin(), keys.begin() + 4),
              (std::vector<std::string>{"memory_slope_mb_per_min", "cpu_slope_percent_per_min",
                                        "memory_leak_detected", "cpu_leak_detected"}));
    EXPECT_EQ(meta["leak_analysis"][kKafka]["ols_memory_slope_mb_per_min"], 0.312);
}

}  // namespace
}  // namespace perfrunner::report
