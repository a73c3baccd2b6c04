// Containers on several Docker hosts: the same name on two hosts stays two containers through results.json
// and the journal, files without hosts read and write exactly as before, OOM events keep their host.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "perfrunner/model/journal.hpp"
#include "perfrunner/model/results_json.hpp"

using namespace perfrunner::model;

namespace {

ContainerSample figures(ContainerId id, double memory_mb) {
    ContainerSample c;
    c.container = id;
    c.memory_used_mb = memory_mb;
    c.memory_limit_mb = 100.0;
    c.memory_percent = memory_mb;
    c.cpu_percent = 1.0;
    return c;
}

// One scenario, one sample: "redis" on host "main" and on host "edge", and "kafka" without a host.
RunResult two_host_run() {
    RunResult run;
    run.test_id = "t";
    run.started_at = "2026-12-01T00:00:00Z";
    auto& s = run.scenarios.emplace_back();
    s.scenario_name = "baseline";
    Sample sample;
    sample.timestamp = 1.0;
    sample.timestamp_iso = "2026-12-01T00:00:01Z";
    sample.containers.push_back(figures(run.intern("redis", "main"), 10.0));
    sample.containers.push_back(figures(run.intern("redis", "edge"), 20.0));
    sample.containers.push_back(figures(run.intern("kafka"), 30.0));
    RollingAverage r;
    r.container = run.intern("redis", "edge");
    r.memory_percent = 20.0;
    sample.rolling_averages.push_back(r);
    s.samples.push_back(sample);
    OomEvent e;
    e.container_name = "redis";
    e.host = "edge";
    e.timestamp = 2.0;
    e.timestamp_iso = "2026-12-01T00:00:02Z";
    s.oom_events.push_back(e);
    return run;
}

// The memory of container (name, host) in the first sample of the first scenario, or -1.
double memory_of(const RunResult& run, const std::string& name, const std::string& host) {
    const auto id = run.find_container(name, host);
    if (!id) {
        return -1.0;
    }
    const auto* c = run.scenarios.at(0).samples.at(0).find(*id);
    return c != nullptr ? c->memory_used_mb : -1.0;
}

}  // namespace

TEST(ContainerHosts, SameNameOnTwoHostsIsTwoContainers) {
    RunResult run;
    const ContainerId a = run.intern("redis", "main");
    const ContainerId b = run.intern("redis", "edge");
    const ContainerId c = run.intern("redis");
    EXPECT_NE(a, b);
    EXPECT_NE(b, c);
    EXPECT_EQ(run.intern("redis", "edge"), b);
    EXPECT_EQ(run.container_host(b), "edge");
    EXPECT_EQ(run.container_host(c), "");
    EXPECT_EQ(run.container_label(b), "redis@edge");
    EXPECT_EQ(run.container_label(c), "redis");
    EXPECT_TRUE(run.has_hosts());
}

TEST(ContainerHosts, ASingleHostRunCarriesNoHostTable) {
    RunResult run;
    run.intern("redis");
    run.intern("kafka");
    EXPECT_TRUE(run.container_hosts.empty());
    EXPECT_FALSE(run.has_hosts());
}

TEST(ContainerHosts, ResultsJsonKeepsEachContainersHost) {
    const std::string text = to_json_text(two_host_run());
    const auto doc = nlohmann::json::parse(text);
    const auto& containers = doc["scenarios"][0]["samples"][0]["containers"];
    EXPECT_EQ(containers["redis@main"]["host"], "main");
    EXPECT_EQ(containers["redis@edge"]["host"], "edge");
    EXPECT_FALSE(containers["kafka"].contains("host")) << "written only when set";
    EXPECT_EQ(doc["scenarios"][0]["oom_events"][0]["host"], "edge");

    const RunResult back = parse_results(text, "results.json");
    EXPECT_EQ(memory_of(back, "redis", "main"), 10.0);
    EXPECT_EQ(memory_of(back, "redis", "edge"), 20.0);
    EXPECT_EQ(memory_of(back, "kafka", ""), 30.0);
    EXPECT_EQ(back.scenarios[0].samples[0].rolling_averages.at(0).container,
              *back.find_container("redis", "edge"));
    EXPECT_EQ(back.scenarios[0].oom_events.at(0).host, "edge");
    EXPECT_EQ(to_json_text(back), text) << "a rewrite is exact";
}

TEST(ContainerHosts, AHostMemberUnderAPlainNameIsThatNameOnThatHost) {
    // Written by another tool: the key is just the name, the host a member.
    const std::string text = R"({"test_id":"t","started_at":"s","config":{},"scenarios":[{"scenario_name":"b",
        "samples":[{"timestamp":1,"timestamp_iso":"x","containers":{
        "redis":{"memory_used_mb":1,"memory_limit_mb":0,"memory_percent":0,"cpu_percent":null,"host":"edge"}}}]}]})";
    const RunResult run = parse_results(text, "results.json");
    ASSERT_EQ(run.containers.size(), 1u);
    EXPECT_EQ(run.containers[0], "redis");
    EXPECT_EQ(run.container_host(0), "edge");
}

TEST(ContainerHosts, TheJournalReplaysHostsToTheSameDocument) {
    const RunResult run = two_host_run();
    RunResult growing = run;
    growing.scenarios[0].samples.clear();
    std::string journal = journal_state_line(growing);
    journal += journal_sample_line(run, 0, run.scenarios[0].samples[0]);
    growing.scenarios[0].oom_events = run.scenarios[0].oom_events;
    journal += journal_state_line(growing);
    const JournalReplay replay = parse_journal(journal, "journal.jsonl");
    EXPECT_EQ(memory_of(replay.run, "redis", "main"), 10.0);
    EXPECT_EQ(memory_of(replay.run, "redis", "edge"), 20.0);
    EXPECT_EQ(memory_of(replay.run, "kafka", ""), 30.0);
    EXPECT_EQ(replay.run.scenarios[0].oom_events.at(0).host, "edge");
}
