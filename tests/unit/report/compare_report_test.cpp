// The outputs of `perfrunner compare` (issue 14) on synthetic runs: the CI text ("~" for noise, the
// regression named by scenario, container and metric), compare.json, junit.xml (a failure per regression),
// escaping of hostile names in every format, and the files written.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "fakes/synthetic_runs.hpp"
#include "perfrunner/analysis/compare_runs.hpp"
#include "perfrunner/config/config.hpp"
#include "perfrunner/report/compare_report.hpp"

namespace perfrunner::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct Compared {
    config::Config config = config::defaults();
    analysis::CompareSettings settings = analysis::compare_settings(config.compare);
    analysis::CompareResult result;

    Compared(model::RunResult base, model::RunResult next) {
        result = analysis::compare_runs(base, analysis::analyze(base, config), next,
                                        analysis::analyze(next, config), config, settings);
    }
    CompareReportContext context() const {
        return {result,
                settings,
                {"base/results.json", "run1", "2027-01-15T10:00:00Z"},
                {"new/results.json", "run2", "2027-01-15T11:00:00Z"}};
    }
};

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) {
        ++n;
    }
    return n;
}

// The row of one comparison: its line starts with the scenario and holds the container, then the metric.
std::string line_with(const std::string& text, const std::string& where, const std::string& container,
                      const std::string& metric) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        const auto c = line.find(" " + container + " ");
        if (line.starts_with(where + " ") && c != std::string::npos &&
            line.find(" " + metric + " ", c) != std::string::npos) {
            return line;
        }
    }
    return "";
}

TEST(CompareText, NoiseIsTildeAndTheRunPasses) {
    const Compared c(fakes::make_run({.seed = 1}), fakes::make_run({.seed = 2}));
    const auto text = render_compare_text(c.context());
    EXPECT_THAT(text, HasSubstr("base: base/results.json (run1)"));
    const auto row = line_with(text, "duration_leak/active", "rideshare-kafka", "cpu_percent");
    ASSERT_FALSE(row.empty()) << text;
    EXPECT_THAT(row, HasSubstr("  ~  "));
    EXPECT_THAT(row, HasSubstr("holm="));
    EXPECT_THAT(text, HasSubstr("no regression (exit 0)"));
    EXPECT_THAT(text, Not(HasSubstr("REGRESSION")));
    EXPECT_THAT(text, HasSubstr("capacity (live drivers (step mode)): last healthy 200 -> 200"));
    // A 15-sample baseline has no test: the row says why instead of a p-value.
    EXPECT_THAT(line_with(text, "baseline", "rideshare-simulation", "cpu_percent"),
                HasSubstr("too few samples"));
}

TEST(CompareText, RegressionRowAndSummaryNameContainerAndMetric) {
    const Compared c(fakes::make_run({.seed = 3}), fakes::make_run({.simulation_cpu = 60.0, .seed = 4}));
    ASSERT_TRUE(c.result.regression());
    const auto text = render_compare_text(c.context());
    const auto row = line_with(text, "duration_leak/active", "rideshare-simulation", "cpu_percent");
    EXPECT_THAT(row, HasSubstr("REGRESSION"));
    EXPECT_THAT(row, ::testing::MatchesRegex(".*\\+(19|20|21)\\.[0-9]% \\[\\+[0-9.]+%, \\+[0-9.]+%\\].*"));
    EXPECT_THAT(text, HasSubstr(std::to_string(c.result.regressions.size()) + " regressions (exit 3):"));
    EXPECT_THAT(text, HasSubstr("  duration_leak/active rideshare-simulation cpu_percent: +"));
    // The pooled row over the four loaded windows (duration active, speed x2, x4, x8), and what it is.
    const auto pooled = line_with(text, "pooled", "rideshare-simulation", "cpu_percent");
    EXPECT_THAT(pooled, HasSubstr("4 windows)"));
    EXPECT_THAT(pooled, HasSubstr("REGRESSION"));
    EXPECT_THAT(text, HasSubstr("Rows \"pooled\": one container and metric over every loaded window"));
    EXPECT_THAT(text, HasSubstr("  pooled rideshare-simulation cpu_percent: +"));
    EXPECT_THAT(text, HasSubstr("mean of 4 loaded windows' medians"));
}

TEST(CompareJson, EveryComparisonWithItsClassAndEvidence) {
    const Compared c(fakes::make_run({.seed = 3}), fakes::make_run({.simulation_cpu = 60.0, .seed = 4}));
    const auto j = compare_json(c.context());
    EXPECT_EQ(j["schema_version"], "perfrunner-compare/1");
    EXPECT_EQ(j["exit_code"], 3);
    EXPECT_TRUE(j["regression"].get<bool>());
    ASSERT_EQ(j["metrics"].size(), c.result.metrics.size());
    bool seen = false, pooled_seen = false;
    for (const auto& m : j["metrics"]) {
        if (m["scenario"] == "duration_leak" && m["container"] == "rideshare-simulation" &&
            m["metric"] == "cpu_percent") {
            seen = true;
            EXPECT_EQ(m["class"], "regression");
            const double rel = m["relative_change"].get<double>();
            EXPECT_LT(m["relative_change_ci"][0].get<double>(), rel);
            EXPECT_GT(m["relative_change_ci"][1].get<double>(), rel);
            EXPECT_GE(m["p_holm"].get<double>(), m["p"].get<double>());
            EXPECT_EQ(m["base"]["n"], 150);
        }
        if (m["scenario"] == "pooled" && m["container"] == "rideshare-simulation" &&
            m["metric"] == "cpu_percent") {
            pooled_seen = true;
            EXPECT_EQ(m["class"], "regression");
            // A vector, not a json literal: clang finds ordered_json == json ambiguous.
            EXPECT_EQ(m["pooled_from"].get<std::vector<std::string>>(),
                      (std::vector<std::string>{"duration_leak/active", "speed_scaling/x2",
                                                "speed_scaling/x4", "speed_scaling/x8"}));
            EXPECT_EQ(m["base"]["n"], 150 + 3 * 60);
        }
        EXPECT_EQ(m["pooled_from"].is_null(), m["scenario"] != "pooled");
        if (m["scenario"] == "baseline") {
            EXPECT_TRUE(m["p"].is_null());
            EXPECT_THAT(m["why_no_test"].get<std::string>(), HasSubstr("too few samples"));
        }
    }
    EXPECT_TRUE(seen);
    EXPECT_TRUE(pooled_seen);
    EXPECT_DOUBLE_EQ(j["method"]["tolerances"]["cpu_percent"]["relative"].get<double>(), 0.10);
    EXPECT_EQ(j["method"]["tolerances"]["throughput"]["worse"], "lower");
    EXPECT_EQ(j["regressions"].size(), c.result.regressions.size());
}

TEST(CompareJunit, OneFailurePerRegression) {
    const Compared c(
        fakes::make_run({.seed = 5}),
        fakes::make_run(
            {.simulation_cpu = 60.0, .last_healthy = 140, .breaking_point = 150, .oom = true, .seed = 6}));
    const auto xml = render_compare_junit(c.context());
    EXPECT_EQ(count(xml, "<failure "), c.result.regressions.size());
    EXPECT_THAT(xml, HasSubstr("classname=\"compare.stress_test\" name=\"capacity last healthy\"><failure"));
    EXPECT_THAT(xml, HasSubstr("name=\"rideshare-simulation OOM events\"><failure"));
    EXPECT_THAT(
        xml,
        HasSubstr(
            "classname=\"compare.duration_leak/active\" name=\"rideshare-simulation cpu_percent\"><failure"));
    const Compared same(fakes::make_run({.seed = 7}), fakes::make_run({.seed = 8}));
    EXPECT_EQ(count(render_compare_junit(same.context()), "<failure "), 0U);
}

TEST(CompareOutputs, HostileNamesAreEscapedEverywhere) {
    auto base = fakes::make_run({.seed = 9});
    auto next = fakes::make_run({.simulation_cpu = 60.0, .seed = 10});
    const std::string evil = "sim<script>alert(1)</script>|x\"&";
    base.containers[0] = evil;
    next.containers[0] = evil;
    const Compared c(std::move(base), std::move(next));
    const auto html = render_compare_html(c.context());
    EXPECT_THAT(html, Not(HasSubstr("<script>")));
    EXPECT_THAT(html, HasSubstr("sim&lt;script&gt;alert(1)&lt;/script&gt;|x&quot;&amp;"));
    EXPECT_THAT(html, HasSubstr("<svg class=\"panel\""));  // side-by-side charts drawn
    const auto md = render_compare_markdown(c.context());
    EXPECT_THAT(md, Not(HasSubstr("<script>")));
    EXPECT_THAT(md, HasSubstr("\\|x"));
    const auto xml = render_compare_junit(c.context());
    EXPECT_THAT(xml, Not(HasSubstr("<script>")));
    const auto j = compare_json(c.context());
    EXPECT_THAT(j.dump(),
                HasSubstr("\"container\":\"sim<script>alert(1)</script>|x\\\"&\""));  // kept exactly
}

TEST(CompareOutputs, WritesTheFourFilesAndReportsAFolderItCannotUse) {
    const Compared c(fakes::make_run({.seed = 1}), fakes::make_run({.seed = 2}));
    const auto dir =
        std::filesystem::temp_directory_path() / ("perfrunner-compare-out-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    EXPECT_TRUE(write_compare_outputs(c.context(), dir / "out").empty());
    for (const char* name : {"compare.json", "compare.md", "compare.html", "junit.xml"}) {
        EXPECT_GT(std::filesystem::file_size(dir / "out" / name), 100U) << name;
    }
    std::ofstream(dir / "blocker") << "a file where a folder should be";
    const auto errors = write_compare_outputs(c.context(), dir / "blocker" / "out");
    EXPECT_EQ(errors.size(), 4U);
    for (const auto& e : errors) {
        EXPECT_EQ(e.find('\n'), std::string::npos) << e;
    }
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace perfrunner::report
