// Containers on several Docker hosts through the analysis: the same name on two hosts is two summaries and
// two Container Health rows ("name@host", shown "Display (host)"), grouped host by host; config (display
// names, thresholds overrides) applies to the name on every host; a single-host run is keyed by plain names
// as before.
#include <gtest/gtest.h>

#include "analysis_config.hpp"
#include "perfrunner/analysis/analysis.hpp"
#include "perfrunner/analysis/series.hpp"

namespace pa = perfrunner::analysis;
namespace model = perfrunner::model;
using perfrunner::config::Config;

namespace {

Config config_with_redis() {
    Config c = perfrunner::testing_config::test_config();
    c.containers.push_back({"rideshare-redis", "Redis", "core", 0.25, std::nullopt, ""});
    c.thresholds.container_overrides["rideshare-redis"].memory_warning_percent = 40.0;
    return c;
}

// A baseline of 5 samples: redis on "main" at 20 % memory, on "edge" at 50 %, kafka without a host (or with).
model::RunResult run_on(const std::string& host_a, const std::string& host_b) {
    model::RunResult run;
    auto& sc = run.scenarios.emplace_back();
    sc.scenario_name = "baseline";
    for (int i = 0; i < 5; ++i) {
        model::Sample s;
        s.timestamp = 1000.0 + i;
        for (const auto& [host, percent] : {std::pair{host_a, 20.0}, std::pair{host_b, 50.0}}) {
            model::ContainerSample c;
            c.container = run.intern("rideshare-redis", host);
            c.memory_used_mb = percent;
            c.memory_limit_mb = 100.0;
            c.memory_percent = percent;
            c.cpu_percent = 1.0;
            s.containers.push_back(c);
        }
        sc.samples.push_back(s);
    }
    return run;
}

}  // namespace

TEST(ContainerHostsAnalysis, TheSameNameOnTwoHostsIsTwoContainersGroupedByHost) {
    const Config config = config_with_redis();
    const pa::Analysis a = pa::analyze(run_on("main", "edge"), config);
    ASSERT_EQ(a.scenario_summaries.size(), 1u);
    const auto& containers = a.scenario_summaries[0].containers;
    ASSERT_EQ(containers.size(), 2u);
    EXPECT_EQ(containers[0].container, "rideshare-redis@edge");  // host by host ("edge" < "main")
    EXPECT_EQ(containers[1].container, "rideshare-redis@main");
    ASSERT_EQ(a.container_health.size(), 2u);
    EXPECT_EQ(a.container_health[0].display_name, "Redis (edge)");
    EXPECT_EQ(a.container_health[0].memory_percent, 50.0);
    EXPECT_EQ(a.container_health[1].memory_percent, 20.0);
    // The override of rideshare-redis (warning at 40 %) applies on every host.
    EXPECT_EQ(pa::thresholds_for(config, "rideshare-redis@edge").memory_warning_percent, 40.0);
    EXPECT_EQ(a.container_health[0].status, "warning");
    EXPECT_EQ(a.container_health[1].status, "healthy");
}

TEST(ContainerHostsAnalysis, ASingleHostRunIsKeyedByPlainNames) {
    model::RunResult run = run_on("", "");
    const pa::Analysis a = pa::analyze(run, config_with_redis());
    ASSERT_EQ(a.scenario_summaries[0].containers.size(), 1u);
    EXPECT_EQ(a.scenario_summaries[0].containers[0].container, "rideshare-redis");
    EXPECT_EQ(a.container_health.at(0).display_name, "Redis");
}
