// Reading and writing back a results.json loses nothing: every member read is written, nulls stay null,
// unknown members of samples and their parts are kept; many container names are interned safely.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "perfrunner/model/results_json.hpp"

using namespace perfrunner::model;

namespace {

// A sample of every shape a reader meets: nulls where the model holds numbers or optional parts, flags
// written as false, unknown members at every level of a sample.
const char* const kEveryShape = R"({
  "test_id": "t",
  "started_at": "2026-01-01T00:00:00",
  "config": {},
  "scenarios": [{
    "scenario_name": "Duration/Leak Test",
    "scenario_params": {},
    "started_at": "2026-01-01T00:00:00",
    "completed_at": "2026-01-01T00:01:00",
    "duration_seconds": 60.0,
    "samples": [
      {"timestamp": 1.0, "timestamp_iso": "a",
       "containers": {"web": {"memory_used_mb": null, "memory_limit_mb": null, "memory_percent": null,
                              "cpu_percent": null, "memory_rss_mb": null, "cadvisor_timestamp": null,
                              "stale": false, "missing": false, "counter_reset": false,
                              "future": {"x": [1, null]}}},
       "rolling_averages": {"web": {"memory_percent": 1.5, "cpu_percent": 2.5, "window": 10}},
       "agents_queued": {"drivers": 1, "riders": 2, "total": 3, "pending": 4},
       "host": {"cpu_percent": 1.0, "cpu_percent_of_host": null, "memory_used_mb": 2.0,
                "memory_total_mb": 3.0, "num_cores": 4, "load": [0.5, 0.25]},
       "pace": {"state": "running", "simulated_time": null, "achieved_speed": 1.0, "requested_speed": 1.0,
                "real_time_ratio": 1.0, "status_latency_ms": 3.0, "drivers_total": 5, "riders_total": null,
                "active_trips": 6, "clock_skew_ms": 7},
       "error": null, "backfilled": false,
       "note": "kept"},
      {"timestamp": 2.0, "timestamp_iso": "b", "containers": null, "rolling_averages": {},
       "agents_queued": null, "host": null, "pace": null, "error": "cadvisor: timeout",
       "backfilled": true}
    ],
    "oom_events": [],
    "aborted": false,
    "abort_reason": null,
    "metadata": {}
  }],
  "derived_config": null,
  "completed_at": "2026-01-01T00:01:00",
  "aborted": false,
  "abort_reason": null,
  "analysis": {}
})";

TEST(LosslessRewrite, EveryMemberReadIsWrittenNullsStayNull) {
    const RunResult run = parse_results(kEveryShape);
    const auto original = nlohmann::json::parse(kEveryShape);
    const auto rewritten = nlohmann::json::parse(to_json_text(run));
    EXPECT_FALSE(run.scenarios.at(0).samples.at(0).backfilled);
    EXPECT_TRUE(run.scenarios.at(0).samples.at(1).backfilled);
    EXPECT_EQ(rewritten, original) << nlohmann::json::diff(original, rewritten).dump(1);
}

TEST(LosslessRewrite, NullFiguresReadAsZeroForTheAnalysis) {
    const RunResult run = parse_results(kEveryShape);
    const auto& c = run.scenarios[0].samples[0].containers.at(0);
    EXPECT_EQ(c.memory_used_mb, 0.0);
    EXPECT_EQ(c.memory_limit_mb, 0.0);
    EXPECT_FALSE(c.stale);
    EXPECT_FALSE(c.cpu_percent.has_value());
}

// Hundreds of short names, first seen one by one while the name table grows: every sample must map each
// container to its own name. (Before the fix the reader's lookup held views into the growing table;
// ASan reported a heap-use-after-free here.)
TEST(LosslessRewrite, ManyContainerNamesKeepTheirIdentity) {
    constexpr int kNames = 300;
    nlohmann::json doc = nlohmann::json::parse(kEveryShape);
    auto& samples = doc["scenarios"][0]["samples"];
    samples = nlohmann::json::array();
    for (int s = 0; s < 3; ++s) {
        nlohmann::json containers = nlohmann::json::object();
        for (int i = 0; i < kNames; ++i) {
            const int n = (i * 7 + s * 11) % kNames;  // a different order in every sample
            containers["c" + std::to_string(n)] = {{"memory_used_mb", static_cast<double>(n)},
                                                   {"memory_limit_mb", 0.0},
                                                   {"memory_percent", 0.0},
                                                   {"cpu_percent", nullptr}};
        }
        samples.push_back({{"timestamp", 1.0 + s}, {"timestamp_iso", "x"}, {"containers", containers}});
    }
    const RunResult run = parse_results(doc.dump());
    ASSERT_EQ(run.containers.size(), static_cast<std::size_t>(kNames));
    for (const auto& sample : run.scenarios[0].samples) {
        ASSERT_EQ(sample.containers.size(), static_cast<std::size_t>(kNames));
        for (const auto& c : sample.containers) {
            EXPECT_EQ(run.container_name(c.container),
                      "c" + std::to_string(static_cast<int>(c.memory_used_mb)));
        }
    }
}

}  // namespace
