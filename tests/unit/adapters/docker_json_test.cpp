// Parsing of recorded docker and compose output (the real engine is covered in tests/e2e).
#include <gtest/gtest.h>

#include "perfrunner/adapters/docker_json.hpp"
#include "unit/adapters/docker_events.hpp"

namespace ad = perfrunner::adapters;
using perfrunner::adapters::test_data::kEvent1;

TEST(ComposePs, ParsesJsonArrayAndJsonLines) {
    const std::string lines =
        R"({"Name":"rideshare-redis","Service":"redis","State":"running","Health":"healthy","ExitCode":0})"
        "\n"
        R"({"Name":"rideshare-kafka","Service":"kafka","State":"exited","Health":"","ExitCode":137})"
        "\n";
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

TEST(DockerEvents, OomEventsKeepIdNameAndNanosecondTimeAndSkipJunk) {
    const std::string seconds_only =
        R"({"Type":"container","Action":"oom","Actor":{"ID":"feed","Attributes":{}},"time":1700000030})";
    const auto events = ad::parse_oom_events(kEvent1 + "\nnot json\n\n[1]\n" + seconds_only + "\n");
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].container_id, "abc123456789ffff");
    EXPECT_EQ(events[0].container_name, "hog");
    EXPECT_EQ(events[0].time_nano, 1700000010123456789LL);
    EXPECT_EQ(events[1].container_name, "");
    EXPECT_EQ(events[1].time_nano, 1700000030000000000LL);
}

TEST(DockerPs, NamesFromJsonLines) {
    const auto names = ad::parse_ps_names(R"({"Names":"a","State":"running"})"
                                          "\n"
                                          R"({"Names":"b"})");
    EXPECT_EQ(names, (std::vector<std::string>{"a", "b"}));
    EXPECT_THROW(ad::parse_ps_names("{oops"), nlohmann::json::exception);
}

// Found by the docker fuzz target (tests/fuzz/seeds/docker/regression-time-overflow.jsonl): "time" in seconds
// times 1e9 overflowed a 64-bit integer (UBSan: signed integer overflow). No time beats a wrong one.
TEST(OomEvents, ASecondsTimeTooLargeForNanosecondsGivesNoTime) {
    const auto events = ad::parse_oom_events(
        R"({"status":"oom","id":"0123456800abcdef","Type":"container","A25583kope":"local","time":17311397300})"
        "\n");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].time_nano, 0);
}
