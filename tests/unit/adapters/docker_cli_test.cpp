// DockerCli's parsers and the OOM tracker on recorded docker output (the real engine is covered in tests/e2e).
#include <gtest/gtest.h>

#include "perfrunner/adapters/docker_cli.hpp"
#include "perfrunner/error.hpp"

namespace ad = perfrunner::adapters;
using perfrunner::ports::ContainerState;

TEST(ComposePs, ParsesJsonArrayAndJsonLines) {
    const std::string lines =
        R"({"Name":"rideshare-redis","Service":"redis","State":"running","Health":"healthy","ExitCode":0})" "\n"
        R"({"Name":"rideshare-kafka","Service":"kafka","State":"exited","Health":"","ExitCode":137})" "\n";
    auto ps = ad::parse_compose_ps(lines);
    ASSERT_EQ(ps.size(), 2u);
    EXPECT_EQ(ps[0].name, "rideshare-redis");
    EXPECT_EQ(ps[0].service, "redis");
    EXPECT_EQ(ps[0].health, "healthy");
    EXPECT_EQ(ps[1].state, "exited");
    const std::string array = R"([{"Name":"a","Service":"s","State":"running","Health":"starting"}])";
    ps = ad::parse_compose_ps(array);
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].health, "starting");
    EXPECT_TRUE(ad::parse_compose_ps("\n").empty());
}

TEST(DockerInspect, ParsesStateHealthRestartsAndOom) {
    const std::string out = R"([{"Name":"/rideshare-simulation","RestartCount":2,
        "State":{"Status":"running","Running":true,"OOMKilled":true,"ExitCode":0,"StartedAt":"2026-01-01T00:00:00Z",
                 "Health":{"Status":"healthy"}}},
        {"Name":"/plain","RestartCount":0,"State":{"Status":"exited","Running":false,"OOMKilled":false,"ExitCode":137}}])";
    const auto states = ad::parse_inspect(out);
    ASSERT_EQ(states.size(), 2u);
    EXPECT_EQ(states[0].name, "rideshare-simulation");
    EXPECT_TRUE(states[0].running);
    EXPECT_EQ(states[0].health, "healthy");
    EXPECT_EQ(states[0].restart_count, 2);
    EXPECT_TRUE(states[0].oom_killed);
    EXPECT_EQ(states[1].name, "plain");
    EXPECT_FALSE(states[1].running);
    EXPECT_EQ(states[1].health, "");
    EXPECT_EQ(states[1].exit_code, 137);
}

namespace {
ContainerState state(std::string name, long restarts, bool running = true, bool oom = false, int exit_code = 0) {
    ContainerState s;
    s.name = std::move(name);
    s.restart_count = restarts;
    s.running = running;
    s.oom_killed = oom;
    s.exit_code = exit_code;
    s.started_at = "t" + std::to_string(restarts);
    return s;
}
const std::string kEvent1 =
    R"({"status":"oom","id":"abc123456789ffff","Type":"container","Action":"oom","Actor":{"ID":"abc123456789ffff","Attributes":{"image":"perfrunner/busybox:local","name":"hog"}},"scope":"local","time":1700000010,"timeNano":1700000010123456789})";
const std::string kEvent2 =
    R"({"status":"oom","id":"abc123456789ffff","Type":"container","Action":"oom","Actor":{"ID":"abc123456789ffff","Attributes":{"image":"perfrunner/busybox:local","name":"hog"}},"scope":"local","time":1700000020,"timeNano":1700000020000000001})";
}  // namespace

TEST(OomTracker, ChildKillsInARunningContainerComeFromDockerEventsEachOnce) {
    ad::OomTracker tracker;
    tracker.begin(1700000000.0, {state("hog", 0)});
    // OOMKilled stays false and RestartCount 0 while the container runs: only the events show the kills.
    auto events = tracker.update(1700000015.0, {state("hog", 0)}, kEvent1 + "\n");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].container_name, "hog");
    EXPECT_EQ(*events[0].source, "docker_event");
    EXPECT_DOUBLE_EQ(events[0].timestamp, 1700000010.123456789);
    EXPECT_EQ(events[0].timestamp_iso, "2023-11-14T22:13:30.123457Z");
    EXPECT_NE(events[0].evidence->find("oom"), std::string::npos);
    // The overlapping window returns the first event again: not reported twice.
    events = tracker.update(1700000025.0, {state("hog", 0)}, kEvent1 + "\n" + kEvent2 + "\n");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_DOUBLE_EQ(events[0].timestamp, 1700000020.000000001);
    EXPECT_TRUE(tracker.update(1700000030.0, {state("hog", 0)}, "").empty());
}

TEST(OomTracker, RestartCountOomKilledAndExit137) {
    ad::OomTracker tracker;
    tracker.begin(100.0, {state("sim", 1, true, true), state("kafka", 0), state("redis", 0)});
    // sim: OOMKilled was already true at the baseline (it stays true after a restart) -> only the count matters.
    auto events = tracker.update(110.0, {state("sim", 2, true, true), state("kafka", 0, false, false, 137), state("redis", 0)}, "");
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].container_name, "sim");
    EXPECT_EQ(*events[0].source, "restart_count");
    EXPECT_EQ(events[0].previous_restart_count, 1);
    EXPECT_EQ(events[0].current_restart_count, 2);
    EXPECT_NE(events[0].evidence->find("RestartCount 1 -> 2"), std::string::npos);
    EXPECT_EQ(events[1].container_name, "kafka");
    EXPECT_EQ(*events[1].source, "exit_code_137");
    EXPECT_EQ(*events[1].exit_code, 137);
    // Nothing new: nothing reported.
    EXPECT_TRUE(tracker.update(120.0, {state("sim", 2, true, true), state("kafka", 0, false, false, 137), state("redis", 0)}, "").empty());
    // redis OOM-killed and exits: OOMKilled flips.
    events = tracker.update(130.0, {state("redis", 0, false, true, 137)}, "");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(*events[0].source, "oom_killed");
    EXPECT_NE(events[0].evidence->find("exited with code 137"), std::string::npos);
}

TEST(OomTracker, KillSeenByEventAndRestartIsOneEvent) {
    ad::OomTracker tracker;
    tracker.begin(1700000000.0, {state("hog", 0)});
    const auto events = tracker.update(1700000015.0, {state("hog", 1, true, true)}, kEvent1);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(*events[0].source, "docker_event");
    EXPECT_EQ(events[0].current_restart_count, 1);
    EXPECT_NE(events[0].evidence->find("RestartCount 0 -> 1"), std::string::npos);
}

TEST(DockerCli, MissingComposeIsAClearError) {
    ad::DockerCliOptions o;
    o.docker = "perfrunner-no-such-docker";
    o.compose_command = {"perfrunner-no-such-compose"};
    ad::DockerCli cli(o);
    try {
        cli.compose_command();
        FAIL();
    } catch (const perfrunner::RuntimeFailure& e) {
        EXPECT_NE(std::string(e.what()).find("docker.compose_command"), std::string::npos) << e.what();
    }
}
