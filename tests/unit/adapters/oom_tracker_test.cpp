// The OOM tracker on recorded docker events and inspect states (the real engine is covered in tests/e2e).
#include <gtest/gtest.h>

#include "perfrunner/adapters/docker_json.hpp"
#include "perfrunner/adapters/oom_tracker.hpp"
#include "unit/adapters/docker_events.hpp"

namespace ad = perfrunner::adapters;
using perfrunner::adapters::test_data::kEvent1;
using perfrunner::adapters::test_data::kEvent2;
using perfrunner::ports::ContainerState;

namespace {
ContainerState state(std::string name, long restarts, bool running = true, bool oom = false,
                     int exit_code = 0) {
    ContainerState s;
    s.name = std::move(name);
    s.restart_count = restarts;
    s.running = running;
    s.oom_killed = oom;
    s.exit_code = exit_code;
    s.started_at = "t" + std::to_string(restarts);
    return s;
}
}  // namespace

TEST(OomTracker, ChildKillsInARunningContainerComeFromDockerEventsEachOnce) {
    ad::OomTracker tracker;
    tracker.begin(1700000000.0, {state("hog", 0)});
    // OOMKilled stays false and RestartCount 0 while the container runs: only the events show the kills.
    auto events = tracker.update(1700000015.0, {state("hog", 0)}, ad::parse_oom_events(kEvent1 + "\n"));
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].container_name, "hog");
    EXPECT_EQ(*events[0].source, "docker_event");
    EXPECT_DOUBLE_EQ(events[0].timestamp, 1700000010.123456789);
    EXPECT_EQ(events[0].timestamp_iso, "2023-11-14T22:13:30.123457Z");
    EXPECT_NE(events[0].evidence->find("oom"), std::string::npos);
    // The overlapping window returns the first event again: not reported twice.
    events = tracker.update(1700000025.0, {state("hog", 0)},
                            ad::parse_oom_events(kEvent1 + "\n" + kEvent2 + "\n"));
    ASSERT_EQ(events.size(), 1u);
    EXPECT_DOUBLE_EQ(events[0].timestamp, 1700000020.000000001);
    EXPECT_TRUE(tracker.update(1700000030.0, {state("hog", 0)}, {}).empty());
}

TEST(OomTracker, RestartCountOomKilledAndExit137) {
    ad::OomTracker tracker;
    tracker.begin(100.0, {state("sim", 1, true, true), state("kafka", 0), state("redis", 0)});
    // sim: OOMKilled was already true at the baseline (it stays true after a restart) -> only the count
    // matters.
    auto events = tracker.update(
        110.0, {state("sim", 2, true, true), state("kafka", 0, false, false, 137), state("redis", 0)}, {});
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
    EXPECT_TRUE(
        tracker
            .update(120.0,
                    {state("sim", 2, true, true), state("kafka", 0, false, false, 137), state("redis", 0)},
                    {})
            .empty());
    // redis OOM-killed and exits: OOMKilled flips.
    events = tracker.update(130.0, {state("redis", 0, false, true, 137)}, {});
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(*events[0].source, "oom_killed");
    EXPECT_NE(events[0].evidence->find("exited with code 137"), std::string::npos);
}

TEST(OomTracker, KillSeenByEventAndRestartIsOneEvent) {
    ad::OomTracker tracker;
    tracker.begin(1700000000.0, {state("hog", 0)});
    const auto events =
        tracker.update(1700000015.0, {state("hog", 1, true, true)}, ad::parse_oom_events(kEvent1));
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(*events[0].source, "docker_event");
    EXPECT_EQ(events[0].current_restart_count, 1);
    EXPECT_NE(events[0].evidence->find("RestartCount 0 -> 1"), std::string::npos);
}

TEST(OomTracker, EventWithoutANameIsReportedByShortId) {
    ad::OomTracker tracker;
    tracker.begin(1700000000.0, {});
    const auto events =
        tracker.update(1700000040.0, {}, {ad::DockerOomEvent{"0123456789abcdef", "", 1700000030000000000LL}});
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].container_name, "0123456789ab");
    EXPECT_EQ(events[0].timestamp_iso, "2023-11-14T22:13:50.000000Z");
}

TEST(OomTracker, AnEventReportedWhileItsInspectFailedIsNotReportedAgainByTheRetriedInspect) {
    ad::OomTracker tracker;
    tracker.begin(1700000000.0, {state("hog", 0)});
    // The inspect the event asked for failed: the event is reported alone, at once.
    auto events = tracker.update(1700000015.0, {}, ad::parse_oom_events(kEvent1));
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(*events[0].source, "docker_event");
    // The retried inspect finds the restart that kill caused: the same kill, not a second one.
    EXPECT_TRUE(tracker.update(1700000016.0, {state("hog", 1, true, true)}, {}).empty());
    // A later restart is a new kill.
    events = tracker.update(1700000030.0, {state("hog", 2, true, true)}, {});
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(*events[0].source, "restart_count");
}

TEST(OomTracker, AChildKillsUnconfirmedEventDoesNotHideALaterRestart) {
    ad::OomTracker tracker;
    tracker.begin(1700000000.0, {state("hog", 0)});
    ASSERT_EQ(tracker.update(1700000015.0, {}, ad::parse_oom_events(kEvent1)).size(), 1u);
    // The retried inspect shows nothing new (a child was killed, the container runs on).
    EXPECT_TRUE(tracker.update(1700000016.0, {state("hog", 0)}, {}).empty());
    const auto events = tracker.update(1700000030.0, {state("hog", 1, true, true)}, {});
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(*events[0].source, "restart_count");
}

// Recorded in CI (pr-e2e-oomchild, one busybox `dd` killed in a 32 MB container): docker sent the one kill's
// `oom` event twice, 5.4 ms apart. The tracker reported two kills before it merged them.
TEST(OomTracker, OneKillThatDockerAnnouncedTwiceIsOneEvent) {
    const std::string id = "4f1c0de5a9b24e7d8c6b5a4f3e2d1c0b";
    const ad::DockerOomEvent first{id, "pr-e2e-oomchild", 1796234147246925527LL};
    const ad::DockerOomEvent second{id, "pr-e2e-oomchild", 1796234147252288406LL};
    {
        ad::OomTracker tracker;
        tracker.begin(1796234140.0, {state("pr-e2e-oomchild", 0)});
        const auto events = tracker.update(1796234148.0, {state("pr-e2e-oomchild", 0)}, {first, second});
        ASSERT_EQ(events.size(), 1u);
        EXPECT_DOUBLE_EQ(events[0].timestamp, 1796234147.246925527);
    }
    {
        // The two copies in different polls, the later one first: still one kill.
        ad::OomTracker tracker;
        tracker.begin(1796234140.0, {state("pr-e2e-oomchild", 0)});
        EXPECT_EQ(tracker.update(1796234148.0, {}, {second}).size(), 1u);
        EXPECT_TRUE(tracker.update(1796234150.0, {}, {first}).empty());
    }
}

TEST(OomTracker, KillsFarEnoughApartOrInOtherContainersAreEachReported) {
    const std::int64_t t = 1796234147246925527LL;
    ad::OomTracker tracker;
    tracker.begin(1796234140.0, {});
    const auto events = tracker.update(
        1796234150.0, {},
        {ad::DockerOomEvent{"aaaa", "hog", t}, ad::DockerOomEvent{"bbbb", "other", t + 1'000'000},
         ad::DockerOomEvent{"aaaa", "hog", t + ad::OomTracker::kOneKillNanos},
         ad::DockerOomEvent{"aaaa", "hog", t + ad::OomTracker::kOneKillNanos - 1}});
    // hog at t, other at t + 1 ms, hog again 100 ms later; the last is 1 ns from hog's second kill.
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0].container_name, "hog");
    EXPECT_EQ(events[1].container_name, "other");
    EXPECT_EQ(events[2].container_name, "hog");
    EXPECT_DOUBLE_EQ(events[2].timestamp, 1796234147.346925527);
}
