// The results.json mapping: reference files, our own round trip, unknown keys, hostile input.
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "perfrunner/error.hpp"
#include "perfrunner/model/results_json.hpp"
#include "perfrunner/model/scenario_metadata_json.hpp"

using namespace perfrunner::model;
using ::testing::HasSubstr;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

const std::string kReference =
    std::string(PERFRUNNER_SHARED_DIR) + "/reference-results/py-framework-results.json";

// The one-line message of the InputError thrown while parsing `text`.
std::string parse_error(const std::string& text) {
    try {
        parse_results(text, "results.json");
    } catch (const perfrunner::InputError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(ReferenceFile, ReadsEveryScenarioWithCountsAndMetadata) {
    // Ground truth from the file itself, via an independent parser.
    const auto truth = nlohmann::json::parse(slurp(kReference));
    const RunResult run = read_results_file(kReference);

    EXPECT_EQ(run.test_id, truth["test_id"].get<std::string>());
    EXPECT_EQ(run.started_at, "2026-11-26T19:49:02.914727");  // naive local: kept as written
    EXPECT_EQ(run.completed_at, truth["completed_at"].get<std::string>());
    ASSERT_EQ(run.scenarios.size(), 4u);
    const char* names[] = {"baseline", "stress_test", "duration_leak", "speed_scaling"};
    for (std::size_t i = 0; i < 4; ++i) {
        const auto& s = run.scenarios[i];
        const auto& t = truth["scenarios"][i];
        EXPECT_EQ(s.scenario_name, names[i]);
        EXPECT_EQ(s.samples.size(), t["samples"].size()) << names[i];
        EXPECT_EQ(nlohmann::json(metadata_to_json(s.metadata)), t["metadata"]) << names[i];
        EXPECT_EQ(s.scenario_params, t["scenario_params"]) << names[i];
        EXPECT_EQ(s.aborted, t["aborted"].get<bool>());
        EXPECT_FALSE(s.abort_reason);  // null in the file
        EXPECT_DOUBLE_EQ(s.duration_seconds, t["duration_seconds"].get<double>());
        // every container sample value, as read by nlohmann
        for (std::size_t j = 0; j < s.samples.size(); ++j) {
            const auto& ts = t["samples"][j];
            ASSERT_EQ(s.samples[j].containers.size(), ts["containers"].size());
            EXPECT_DOUBLE_EQ(s.samples[j].timestamp, ts["timestamp"].get<double>());
            EXPECT_EQ(s.samples[j].timestamp_iso, ts["timestamp_iso"].get<std::string>());
            for (const auto& c : s.samples[j].containers) {
                const auto& tc = ts["containers"][run.container_name(c.container)];
                EXPECT_DOUBLE_EQ(c.memory_used_mb, tc["memory_used_mb"].get<double>());
                EXPECT_DOUBLE_EQ(c.memory_limit_mb, tc["memory_limit_mb"].get<double>());
                EXPECT_DOUBLE_EQ(c.memory_percent, tc["memory_percent"].get<double>());
                ASSERT_TRUE(c.cpu_percent);
                EXPECT_DOUBLE_EQ(*c.cpu_percent, tc["cpu_percent"].get<double>());
                EXPECT_FALSE(c.memory_rss_mb);  // perfrunner additions absent in reference files
            }
        }
    }
    EXPECT_EQ(run.containers.size(), 16u);
    ASSERT_TRUE(run.derived_config);
    EXPECT_EQ((*run.derived_config)["duration_agent_count"], 150);
    // ints stay ints (warmup_seconds: 5), floats stay floats (interval_seconds: 2.0)
    EXPECT_TRUE(run.config["sampling"]["warmup_seconds"].is_number_integer());
    EXPECT_TRUE(run.config["sampling"]["interval_seconds"].is_number_float());
    const auto* stress = run.find_scenario("stress_test");
    ASSERT_NE(stress, nullptr);
    ASSERT_FALSE(stress->samples.empty());
    EXPECT_FALSE(stress->samples.back().rolling_averages.empty());
    ASSERT_TRUE(stress->samples.back().agents_queued);
    EXPECT_EQ(stress->samples.back().agents_queued->total,
              truth["scenarios"][1]["samples"].back()["agents_queued"]["total"].get<long>());
    EXPECT_EQ(run.analysis, truth["analysis"]);
}

TEST(ReferenceFile, RewriteKeepsEveryValueAndTheReferenceKeyOrder) {
    const std::string original = slurp(kReference);
    const std::string rewritten = to_json_text(read_results_file(kReference));
    // Same document (nlohmann compares values, with 2 vs 2.0 distinguished by type).
    EXPECT_EQ(nlohmann::json::parse(rewritten), nlohmann::json::parse(original));
    // Key order of the reference: top level and scenario keys.
    const auto pos = [&](const char* k) { return rewritten.find(k); };
    EXPECT_LT(pos("\"test_id\""), pos("\"started_at\""));
    EXPECT_LT(pos("\"config\""), pos("\"scenarios\""));
    EXPECT_LT(pos("\"scenarios\""), pos("\"derived_config\""));
    EXPECT_LT(pos("\"derived_config\""), rewritten.rfind("\"completed_at\""));
    EXPECT_LT(rewritten.rfind("\"completed_at\""), pos("\"analysis\": {\n    \"scenario_summaries\""));
    EXPECT_TRUE(contains(rewritten, "{\n  \"test_id\": \"20261126_194902\",\n  \"started_at\""));
    EXPECT_TRUE(contains(rewritten, "\"interval_seconds\": 2.0"));
    EXPECT_TRUE(contains(rewritten, "\"warmup_seconds\": 5\n"));
    EXPECT_TRUE(contains(rewritten, "\"scenario_params\": {},"));
    EXPECT_TRUE(contains(rewritten, "\"abort_reason\": null,"));
    // metadata keys in the order the reference writes them
    EXPECT_LT(rewritten.find("\"phase_analysis\""), rewritten.find("\"leak_analysis\""));
    EXPECT_LT(rewritten.find("\"leak_analysis\""), rewritten.find("\"phase_sample_counts\""));
    EXPECT_LT(rewritten.find("\"trigger\""), rewritten.find("\"total_agents_queued\""));
    EXPECT_LT(rewritten.find("\"step_results\""), rewritten.find("\"max_speed_achieved\""));
    // the byte layout of a sample is the reference's (indent 2, ": ", one key per line)
    EXPECT_TRUE(
        contains(rewritten, "\n            \"rideshare-kafka\": {\n              \"memory_used_mb\": "));
    // reference files hold no NaN and neither do we
    EXPECT_EQ(rewritten.find("NaN"), std::string::npos);
}

namespace {

RunResult our_run() {
    RunResult run;
    run.test_id = "20260212_193000";
    run.started_at = "2026-02-12T19:30:00.000000Z";
    run.completed_at = "2026-02-12T19:40:00.000000Z";
    run.config = {{"api", {{"base_url", "http://127.0.0.1:8000"}}}, {"perfrunner", {{"x", 1}}}};
    ScenarioResult s;
    s.scenario_name = "duration_leak";
    s.started_at = run.started_at;
    s.completed_at = run.completed_at;
    s.duration_seconds = 600.25;
    DurationMetadata metadata;
    metadata.phase_sample_counts = PhaseSampleCounts{1, 0, 1, {}};
    metadata.drain_end_reason = "paused";
    s.metadata = metadata;
    Sample a;
    a.timestamp = 1739388600.123456;
    a.timestamp_iso = "2025-02-12T19:30:00.123456Z";
    ContainerSample c;
    c.container = run.intern("rideshare-simulation");
    c.memory_used_mb = 412.3;
    c.memory_limit_mb = 1024.0;
    c.memory_percent = 40.3;
    c.cpu_percent = 87.5;
    c.memory_rss_mb = 300.1;
    c.memory_usage_mb = 500.0;
    c.cpu_percent_of_quota = 43.75;
    c.cpu_cores_effective = 2.0;
    c.cadvisor_timestamp = "2025-02-12T19:30:00.123456789Z";
    c.stale = true;
    c.extra_json = "\"future_field\":[1,2.5,\"x\"]";
    a.containers.push_back(c);
    ContainerSample m;
    m.container = run.intern("rideshare-kafka");
    m.missing = true;
    m.counter_reset = true;  // cpu_percent stays null
    a.containers.push_back(m);
    a.host = HostSample{12.5, 6.25, 2048.0, 8192.0, 2};
    PaceSample p;
    p.state = "running";
    p.achieved_speed = 7.9;
    p.requested_speed = 8.0;
    p.real_time_ratio = 0.9875;
    p.drivers_total = 40;
    a.pace = p;
    a.extra_json = "\"note\":{\"k\":true}";
    s.samples.push_back(a);
    Sample b;
    b.timestamp = 1739388602.0;
    b.timestamp_iso = "2025-02-12T19:30:02.000000Z";
    b.error = "cadvisor: timeout";
    s.samples.push_back(b);
    OomEvent e;
    e.container_name = "rideshare-simulation";
    e.timestamp = 1739388601.5;
    e.timestamp_iso = "2025-02-12T19:30:01.500000Z";
    e.previous_restart_count = 0;
    e.current_restart_count = 1;
    e.source = "docker_event";
    e.exit_code = 137;
    e.evidence = "docker events: oom";
    e.extra = {{"oom_kill_count", 3}};
    s.oom_events.push_back(e);
    s.aborted = true;
    s.abort_reason = "OOM detected in: rideshare-simulation";
    s.extra = {{"scenario_future", "kept"}};
    run.scenarios.push_back(s);
    run.aborted = true;
    run.abort_reason = "user_interrupt";
    run.analysis = {{"scenario_summaries", nlohmann::json::array()}, {"leak_detection", {{"a", 1.5}}}};
    run.extra = {{"schema_version", "perfrunner-results/1"}, {"unknown_top", {1, 2, 3}}};
    return run;
}

}  // namespace

TEST(OwnFile, RoundTripIsExactAndKeepsAdditionsAndUnknownKeys) {
    const RunResult original = our_run();
    const std::string text = to_json_text(original);
    const RunResult back = parse_results(text);
    EXPECT_EQ(to_json_text(back), text);  // read -> write is a fixed point

    ASSERT_EQ(back.scenarios.size(), 1u);
    const auto& s = back.scenarios[0];
    ASSERT_EQ(s.samples.size(), 2u);
    const auto& c = s.samples[0].containers.at(0);
    EXPECT_EQ(back.container_name(c.container), "rideshare-simulation");
    EXPECT_EQ(c.memory_rss_mb, 300.1);
    EXPECT_EQ(c.memory_usage_mb, 500.0);
    EXPECT_EQ(c.cpu_percent_of_quota, 43.75);
    EXPECT_EQ(c.cpu_cores_effective, 2.0);
    EXPECT_EQ(c.cadvisor_timestamp, "2025-02-12T19:30:00.123456789Z");
    EXPECT_TRUE(c.stale);
    EXPECT_FALSE(c.missing);
    EXPECT_EQ(nlohmann::json::parse("{" + c.extra_json + "}"),
              nlohmann::json::parse(R"({"future_field":[1,2.5,"x"]})"));
    const auto& m = s.samples[0].containers.at(1);
    EXPECT_TRUE(m.missing);
    EXPECT_TRUE(m.counter_reset);
    EXPECT_FALSE(m.cpu_percent);
    ASSERT_TRUE(s.samples[0].host);
    EXPECT_EQ(s.samples[0].host->num_cores, 2);
    EXPECT_EQ(s.samples[0].host->cpu_percent_of_host, 6.25);
    ASSERT_TRUE(s.samples[0].pace);
    EXPECT_EQ(s.samples[0].pace->real_time_ratio, 0.9875);
    EXPECT_EQ(s.samples[0].pace->drivers_total, 40);
    EXPECT_FALSE(s.samples[0].pace->riders_total);
    EXPECT_EQ(s.samples[1].error, "cadvisor: timeout");
    EXPECT_TRUE(s.samples[1].containers.empty());
    ASSERT_EQ(s.oom_events.size(), 1u);
    EXPECT_EQ(s.oom_events[0].source, "docker_event");
    EXPECT_EQ(s.oom_events[0].exit_code, 137);
    EXPECT_EQ(s.oom_events[0].extra["oom_kill_count"], 3);
    EXPECT_EQ(s.extra["scenario_future"], "kept");
    EXPECT_TRUE(back.aborted);
    EXPECT_EQ(back.abort_reason, "user_interrupt");
    EXPECT_EQ(back.extra["unknown_top"], nlohmann::json({1, 2, 3}));
    EXPECT_EQ(back.analysis["leak_detection"]["a"], 1.5);
    EXPECT_THAT(text, HasSubstr("\"memory_limit_mb\": 0.0"));  // floats always with a decimal point
    EXPECT_THAT(text, HasSubstr("\"cpu_percent\": null"));
}

TEST(OwnFile, NeverWritesNaNOrInfinity) {
    RunResult run = our_run();
    run.scenarios[0].samples[0].containers[0].memory_used_mb = std::nan("");
    run.scenarios[0].samples[0].containers[0].cpu_percent = INFINITY;
    run.analysis["bad"] = std::nan("");
    const std::string text = to_json_text(run);
    EXPECT_EQ(text.find("nan"), std::string::npos);
    EXPECT_EQ(text.find("inf"), std::string::npos);
    EXPECT_THAT(text, HasSubstr("\"memory_used_mb\": null"));
    EXPECT_TRUE(nlohmann::json::accept(text));
}

TEST(OwnFile, ReadsAbortedReferenceShapes) {
    // stress aborted by OOM: empty metadata, null abort_reason elsewhere, ints where floats are expected,
    // optional keys missing, containers {} after a cAdvisor failure
    const std::string text = R"({"test_id": "t", "started_at": "2026-02-12T16:30:00", "config": {},
      "scenarios": [
        {"scenario_name": "baseline", "scenario_params": {}, "started_at": "a", "completed_at": "b",
         "duration_seconds": 30, "samples": [{"timestamp": 1739388600, "timestamp_iso": "2026-02-12T16:30:00",
         "containers": {}}], "oom_events": [], "aborted": false, "abort_reason": null, "metadata": {}},
        {"scenario_name": "stress_test", "scenario_params": {}, "started_at": "a", "completed_at": "b",
         "duration_seconds": 12.5, "samples": [{"timestamp": 1739388601.5, "timestamp_iso": "x",
           "containers": {"rideshare-redis": {"memory_used_mb": 15, "memory_limit_mb": 128, "memory_percent": 12,
           "cpu_percent": 2}}}],
         "oom_events": [{"container_name": "rideshare-redis", "timestamp": 1739388601.5, "timestamp_iso": "x",
           "previous_restart_count": 0, "current_restart_count": 1}],
         "aborted": true, "abort_reason": "OOM detected in: rideshare-redis", "metadata": {}}],
      "completed_at": "2026-02-12T16:31:00", "aborted": true, "abort_reason": "stress_test_oom",
      "analysis": {"scenario_summaries": []}})";
    const RunResult run = parse_results(text);
    ASSERT_EQ(run.scenarios.size(), 2u);
    EXPECT_TRUE(run.aborted);
    EXPECT_EQ(run.abort_reason, "stress_test_oom");
    EXPECT_FALSE(run.derived_config);
    EXPECT_TRUE(run.scenarios[0].samples[0].containers.empty());
    EXPECT_DOUBLE_EQ(run.scenarios[0].duration_seconds, 30.0);
    const auto& c = run.scenarios[1].samples[0].containers.at(0);
    EXPECT_DOUBLE_EQ(c.memory_used_mb, 15.0);
    EXPECT_DOUBLE_EQ(*c.cpu_percent, 2.0);
    EXPECT_TRUE(run.scenarios[1].aborted);
    EXPECT_TRUE(std::holds_alternative<std::monostate>(run.scenarios[1].metadata));
    EXPECT_EQ(run.scenarios[1].oom_events.at(0).current_restart_count, 1);
    EXPECT_FALSE(run.scenarios[1].oom_events.at(0).source);
}

TEST(HostileInput, WrongTypeNamesTheJsonPathAndTheValue) {
    const std::string text = R"({"scenarios": [{"scenario_name": "baseline", "samples": []},
      {"scenario_name": "stress_test", "samples": [{"timestamp": 1}, {"timestamp": 2}, {"timestamp": 3},
       {"timestamp": 4, "containers": {"rideshare-simulation": {"memory_used_mb": 1.0, "cpu_percent": "abc"}}}]}]})";
    EXPECT_EQ(parse_error(text),
              "results.json: scenarios[1].samples[3].containers.rideshare-simulation.cpu_percent: "
              "expected a number, got \"abc\"");
}

TEST(HostileInput, EveryKindGivesOneLineInputError) {
    const std::string good = to_json_text(our_run());
    const std::vector<std::pair<std::string, std::string>> cases = {
        {good.substr(0, good.size() / 2), "malformed JSON"},
        {good.substr(0, good.size() - 3), "malformed JSON"},
        {"\x01\x02garbage{{{", "malformed JSON"},
        {"", "malformed JSON"},
        {"[1, 2, 3]", "expected a results object"},
        {R"({"scenarios": "x"})", "scenarios: expected an array of scenarios, got \"x\""},
        {R"({"test_id": "t"})", "no \"scenarios\" array"},
        {R"({"scenarios": []})", "\"scenarios\" is empty"},
        {R"({"scenarios": [{"samples": []}]})", "scenarios[0]: missing key \"scenario_name\""},
        {R"({"scenarios": [{"scenario_name": 5}]})", "scenarios[0].scenario_name: expected a string, got 5"},
        {R"({"scenarios": [{"scenario_name": "b", "samples": [{"timestamp": NaN}]}]})",
         "scenarios[0].samples[0].timestamp: expected a number, got NaN"},
        {R"({"scenarios": [{"scenario_name": "b", "samples": [{"timestamp": Infinity}]}]})",
         "scenarios[0].samples[0].timestamp: expected a number, got Infinity"},
        {R"({"scenarios": [{"scenario_name": "b", "samples": [{"timestamp": 1, "containers": {"c": {"memory_used_mb": 1e308}}}]}]})",
         "scenarios[0].samples[0].containers.c.memory_used_mb: implausible number 1e308"},
        {R"({"scenarios": [{"scenario_name": "b", "samples": [{"timestamp": 1, "containers": {"c": {"memory_used_mb": -1e13}}}]}]})",
         "implausible number -1e13"},
        {R"({"scenarios": [{"scenario_name": "b", "samples": [{"timestamp": 1, "containers": []}]}]})",
         "scenarios[0].samples[0].containers: expected an object, got an array"},
        {R"({"scenarios": [{"scenario_name": "b", "aborted": "yes"}]})",
         "scenarios[0].aborted: expected true or false"},
        {R"({"scenarios": [{"scenario_name": "b", "metadata": {"x": 1e999}}]})", "scenarios[0].metadata.x"},
        {R"({"scenarios": [{"scenario_name": "b"}]} trailing)", "malformed JSON"},
        {R"({"scenarios": [{"scenario_name": "b", "samples": [{"timestamp": 1}]}])", "malformed JSON"},
        // Duplicate keys: refused wherever they are (a later value silently won, and a rewrite kept both).
        {R"({"test_id": "a", "test_id": "b", "scenarios": [{"scenario_name": "b"}]})",
         "test_id: duplicate member"},
        {R"({"scenarios": [{"scenario_name": "b", "aborted": false, "aborted": true}]})",
         "scenarios[0].aborted: duplicate member"},
        {R"({"scenarios": [{"scenario_name": "b", "samples": [{"timestamp": 1, "containers": {"c": {}, "c": {}}}]}]})",
         "scenarios[0].samples[0].containers.c: duplicate member"},
        // The same container under two keys ("name@host", and the name with a "host" member) is a repeat too.
        {R"({"scenarios": [{"scenario_name": "b", "samples": [{"timestamp": 1, "containers": {"c@h": {"host": "h"}, "c": {"host": "h"}}}]}]})",
         "scenarios[0].samples[0].containers.c: duplicate member"},
        {R"({"scenarios": [{"scenario_name": "b", "samples": [{"timestamp": 1, "future": 1, "future": 2}]}]})",
         "scenarios[0].samples[0].future: duplicate member"},
        {R"({"scenarios": [{"scenario_name": "b", "metadata": {"x": {"y": 1, "y": 1}}}]})",
         "scenarios[0].metadata.x.y: duplicate member"},
        {R"({"scenarios": [{"scenario_name": "b"}], "analysis": {"k": 1, "k": 2}})",
         "analysis.k: duplicate member"},
        // Numbers stored as int are range-checked, never wrapped.
        {R"({"scenarios": [{"scenario_name": "b", "samples": [{"timestamp": 1, "host": {"num_cores": 5000000000}}]}]})",
         "scenarios[0].samples[0].host.num_cores: implausible number 5000000000"},
        {R"({"scenarios": [{"scenario_name": "b", "oom_events": [{"container_name": "c", "exit_code": -4294967296}]}]})",
         "scenarios[0].oom_events[0].exit_code: implausible number -4294967296"},
    };
    for (const auto& [text, expected] : cases) {
        const std::string msg = parse_error(text);
        EXPECT_THAT(msg, HasSubstr(expected)) << "input: " << text.substr(0, 120);
        EXPECT_THAT(msg, ::testing::StartsWith("results.json: "));
        EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    }
}

// An object with very many members (past the linear search) still finds a repeat, and accepts distinct keys.
TEST(HostileInput, DuplicateKeyInALargeObject) {
    std::string members;
    for (int i = 0; i < 300; ++i) {
        members += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ", ";
    }
    const std::string head = R"({"scenarios": [{"scenario_name": "b"}], "future": {)";
    EXPECT_NO_THROW(parse_results(head + members + R"("last": 0}})"));
    EXPECT_THAT(parse_error(head + members + R"("k7": 0}})"), HasSubstr("future.k7: duplicate member"));
}

// A sample of many containers (the repeat check goes by container id, not by comparing keys): distinct
// names pass, and a repeat late in the object is found.
TEST(HostileInput, DuplicateContainerInALargeSample) {
    std::string containers;
    for (int i = 0; i < 300; ++i) {
        containers += "\"c" + std::to_string(i) + "\": {\"memory_used_mb\": 1}, ";
    }
    const std::string head =
        R"({"scenarios": [{"scenario_name": "b", "samples": [{"timestamp": 1, "containers": {)";
    const RunResult run = parse_results(head + containers + R"("last": {}}}]}]})");
    EXPECT_EQ(run.scenarios[0].samples[0].containers.size(), 301u);
    EXPECT_EQ(run.containers.size(), 301u);
    EXPECT_THAT(parse_error(head + containers + R"("c299": {}}}]}]})"),
                HasSubstr("samples[0].containers.c299: duplicate member"));
}

TEST(HostileInput, MissingFileIsAnInputError) {
    try {
        read_results_file("/nonexistent/results.json");
        FAIL() << "no error";
    } catch (const perfrunner::InputError& e) {
        EXPECT_THAT(e.what(), HasSubstr("/nonexistent/results.json: cannot be read"));
        EXPECT_EQ(e.code(), perfrunner::ExitCode::usage_error);
    }
}

TEST(OwnFile, EscapedKeysAreUnescaped) {
    const RunResult run =
        parse_results(R"({"scenarios": [{"scenario_name": "baseline", "samples": [{"timestamp": 1,
        "containers": {"rideshare-\u0073imulation": {"memory_used_mb": 1.5}, "a\"b": {"memory_used_mb": 2.5}},
        "\u0074imestamp_iso": "x"}]}]})");
    ASSERT_EQ(run.containers.size(), 2u);
    EXPECT_EQ(run.containers[0], "rideshare-simulation");
    EXPECT_EQ(run.containers[1], "a\"b");
    EXPECT_EQ(run.scenarios[0].samples[0].timestamp_iso, "x");
    EXPECT_THAT(to_json_text(run), HasSubstr("\"a\\\"b\": {"));
}

TEST(OwnFile, StringsWithControlCharactersAreEscapedAndReadBack) {
    RunResult run;
    ScenarioResult s;
    s.scenario_name = "baseline";
    s.abort_reason = std::string("line1\nline2\t\"q\" \\ \x01 \xc3\xa9 end");
    run.scenarios.push_back(s);
    const std::string text = to_json_text(run);
    EXPECT_TRUE(contains(text, R"("abort_reason": "line1\nline2\t\"q\" \\ \u0001 )"
                               "\xc3\xa9"
                               R"( end")"));
    EXPECT_EQ(parse_results(text).scenarios[0].abort_reason, s.abort_reason);
}

TEST(OwnFile, ThroughputPerSampleRoundTripsAsNumberNullOrAbsent) {
    RunResult run = our_run();
    auto& samples = run.scenarios[0].samples;
    samples[0].pace->events_per_sec = 1234.5;
    Sample failed = samples[0];
    failed.pace->events_per_sec.reset();
    failed.pace->extra_json = PaceSample::kNoThroughput;  // the tick's /metrics/performance call failed
    samples.push_back(failed);
    const std::string text = to_json_text(run);
    const RunResult back = parse_results(text);
    EXPECT_EQ(to_json_text(back), text);
    const auto& s = back.scenarios[0].samples;
    EXPECT_EQ(s[0].pace->events_per_sec, 1234.5);
    EXPECT_FALSE(s[2].pace->events_per_sec.has_value());
    const auto json = nlohmann::json::parse(text);
    const auto& pace = json["scenarios"][0]["samples"];
    EXPECT_EQ(pace[0]["pace"]["events_per_sec"], 1234.5);
    ASSERT_TRUE(pace[2]["pace"].contains("events_per_sec"));
    EXPECT_TRUE(pace[2]["pace"]["events_per_sec"].is_null());
    // A pace record without the figure (older perfrunner files) gains no key on rewrite.
    RunResult old = our_run();
    EXPECT_EQ(nlohmann::json::parse(to_json_text(old))["scenarios"][0]["samples"][0]["pace"].count(
                  "events_per_sec"),
              0u);
}
