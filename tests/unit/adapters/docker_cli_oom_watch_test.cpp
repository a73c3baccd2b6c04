// DockerCli's OOM watch end to end on a fake `docker` (a shell script: `events` follows a file like the real
// stream does, `inspect` prints a file or fails on demand): no process per poll in steady state, inspect only
// when an event asks for it, and an inspect that fails right after an event keeps the event and is retried
// (issue 11 defect 10). The real engine is covered in tests/e2e.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "perfrunner/adapters/docker_cli.hpp"
#include "perfrunner/error.hpp"

namespace ad = perfrunner::adapters;
namespace fs = std::filesystem;

namespace {

double epoch_now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void write(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::trunc) << text;
}

void append(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::app) << text;
}

std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string inspect_json(long restarts, bool running, bool oom_killed, int exit_code) {
    return fmt::format(
        R"([{{"Name":"/hog","RestartCount":{},"State":{{"Running":{},"OOMKilled":{},"ExitCode":{},"StartedAt":"s{}"}}}}])",
        restarts, running, oom_killed, exit_code, restarts);
}

std::string event_line(const std::string& action, double at, const std::string& extra = "") {
    return fmt::format(
               R"({{"Type":"container","Action":"{}","Actor":{{"ID":"0123456789abcdef","Attributes":{{"name":"hog"{}}}}},"time":{},"timeNano":{}}})",
               action, extra, static_cast<long long>(at), static_cast<long long>(at * 1e9)) +
           "\n";
}

struct FakeDocker : ::testing::Test {
    fs::path dir =
        fs::temp_directory_path() / ("perfrunner-fake-docker-" + std::to_string(::getpid()) + "-" +
                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::path script = dir / "docker";

    void SetUp() override {
        fs::remove_all(dir);
        fs::create_directories(dir);
        write(script, R"(#!/bin/sh
d=$(dirname "$0")
echo "$1" >> "$d/calls"
case "$1" in
  compose) case "$*" in *version*) echo "Docker Compose version v2.20.2" ;; *) echo "[]" ;; esac ;;
  inspect) if [ -e "$d/inspect_fails" ]; then echo "Error response from daemon: engine hiccup" >&2; exit 1; fi
           cat "$d/inspect.json" ;;
  events) exec tail -n +1 -f "$d/events" ;;
esac
)");
        fs::permissions(script, fs::perms::owner_all);
        write(dir / "events", "");
        write(dir / "inspect.json", inspect_json(0, true, false, 0));
    }
    void TearDown() override { fs::remove_all(dir); }

    ad::DockerCli docker() {
        ad::DockerCliOptions o;
        o.docker = script.string();
        o.expected_containers = {"hog"};
        o.command_timeout_seconds = 10;
        return ad::DockerCli(o);
    }
    long inspects() const {
        std::istringstream calls(read(dir / "calls"));
        long n = 0;
        for (std::string line; std::getline(calls, line);) n += line == "inspect" ? 1 : 0;
        return n;
    }
    // Polls until something is reported (tail -f forwards an appended line within a second).
    std::vector<perfrunner::model::OomEvent> poll_until_reported(ad::DockerCli& d) {
        for (int i = 0; i < 50; ++i) {
            auto got = d.poll_oom(epoch_now());
            if (!got.empty()) return got;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return {};
    }
};

}  // namespace

TEST_F(FakeDocker, SteadyStateStartsNoProcessAndAnOomEventIsReportedOnce) {
    auto d = docker();
    const double t0 = epoch_now();
    d.begin_oom_watch(t0);
    const long started = d.processes_started();  // compose version + ps, the baseline inspect, the stream
    for (int i = 0; i < 5; ++i) {
        EXPECT_TRUE(d.poll_oom(epoch_now()).empty());
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(d.processes_started(), started);  // no docker process per tick
    EXPECT_EQ(inspects(), 1);                   // the baseline only
    // A child process OOM-killed in the running container: the event alone says so.
    append(dir / "events", event_line("oom", epoch_now()));
    const auto events = poll_until_reported(d);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].container_name, "hog");
    EXPECT_EQ(events[0].source.value_or(""), "docker_event");
    EXPECT_EQ(inspects(), 2);  // the one the event asked for
    EXPECT_TRUE(d.poll_oom(epoch_now()).empty());
    EXPECT_EQ(inspects(), 2);
    EXPECT_TRUE(d.take_notes().empty());
}

TEST_F(FakeDocker, EventsBeforeTheBaselineAreNotReported) {
    append(dir / "events", event_line("oom", epoch_now() - 30.0));
    auto d = docker();
    d.begin_oom_watch(epoch_now());
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_TRUE(d.poll_oom(epoch_now()).empty());
}

TEST_F(FakeDocker, AnInspectThatFailsRightAfterAnOomEventKeepsTheEventAndIsRetried) {
    auto d = docker();
    d.begin_oom_watch(epoch_now());
    // PID 1 OOM-killed and restarted; the inspect the events ask for fails once.
    write(dir / "inspect_fails", "");
    const double at = epoch_now();
    append(dir / "events", event_line("oom", at) + event_line("die", at, R"(,"exitCode":"137")") +
                               event_line("start", at + 0.5));
    const auto events = poll_until_reported(d);
    ASSERT_EQ(events.size(), 1u);  // not lost to the failed inspect
    EXPECT_EQ(events[0].source.value_or(""), "docker_event");
    const auto notes = d.take_notes();
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_NE(notes[0].find("engine hiccup"), std::string::npos) << notes[0];
    // The engine answers again: the owed inspect runs, and the restart it finds is that same kill.
    fs::remove(dir / "inspect_fails");
    write(dir / "inspect.json", inspect_json(1, true, true, 137));
    const long before = inspects();
    EXPECT_TRUE(d.poll_oom(epoch_now()).empty());
    EXPECT_EQ(inspects(), before + 1);
    EXPECT_TRUE(d.poll_oom(epoch_now()).empty());
    EXPECT_EQ(inspects(), before + 1);  // nothing owed any more
}

TEST_F(FakeDocker, AFailedInspectForADieEventIsAnErrorNowAndADetectionAtTheRetry) {
    auto d = docker();
    d.begin_oom_watch(epoch_now());
    write(dir / "inspect_fails", "");
    append(dir / "events", event_line("die", epoch_now(), R"(,"exitCode":"137")"));
    bool threw = false;
    for (int i = 0; i < 50 && !threw; ++i) {
        try {
            d.poll_oom(epoch_now());
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        } catch (const perfrunner::RuntimeFailure& e) {
            threw = true;
            EXPECT_NE(std::string(e.what()).find("engine hiccup"), std::string::npos) << e.what();
        }
    }
    ASSERT_TRUE(threw);  // the sample records "oom check: ..."
    fs::remove(dir / "inspect_fails");
    write(dir / "inspect.json", inspect_json(0, false, true, 137));
    const auto events = d.poll_oom(epoch_now());
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].source.value_or(""), "oom_killed");
    EXPECT_EQ(events[0].exit_code, 137);
}
