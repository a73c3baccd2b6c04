// The `docker events` stream's state machine on a fake process: lines as they arrive (also split across
// reads), a stream that dies (restarted from before it was last alive, one note, a gap to cover), one that
// keeps dying (one note per outage), and the filter.
#include <gtest/gtest.h>

#include <memory>
#include <utility>

#include "perfrunner/adapters/docker_event_stream.hpp"
#include "perfrunner/error.hpp"
#include "unit/adapters/docker_events.hpp"

namespace ad = perfrunner::adapters;
using perfrunner::adapters::test_data::kEvent1;
using perfrunner::adapters::test_data::kEvent2;

namespace {

struct PipeState {
    std::string out;
    bool running = true;
    std::string end = "exit 1: Cannot connect to the Docker daemon";
};

class FakePipe final : public ad::EventPipe {
  public:
    explicit FakePipe(std::shared_ptr<PipeState> s) : s_(std::move(s)) {}
    std::string read_available() override { return std::exchange(s_->out, {}); }
    bool running() override { return s_->running; }
    std::string end_description() override { return s_->end; }

  private:
    std::shared_ptr<PipeState> s_;
};

struct Pipes {
    std::vector<std::vector<std::string>> started;
    std::vector<std::shared_ptr<PipeState>> states;
    bool start_dead = false;
    bool fail = false;
    ad::EventPipeFactory factory() {
        return [this](const std::vector<std::string>& argv) -> std::unique_ptr<ad::EventPipe> {
            started.push_back(argv);
            if (fail) throw perfrunner::RuntimeFailure("cannot run `docker events`: No such file");
            states.push_back(std::make_shared<PipeState>());
            states.back()->running = !start_dead;
            return std::make_unique<FakePipe>(states.back());
        };
    }
    PipeState& last() { return *states.back(); }
};

std::string since_of(const std::vector<std::string>& argv) {
    for (std::size_t i = 0; i + 1 < argv.size(); ++i)
        if (argv[i] == "--since") return argv[i + 1];
    return {};
}

}  // namespace

TEST(DockerEventStream, OneProcessFilteredToTheContainersAndTheEventsThatMatter) {
    Pipes pipes;
    ad::DockerEventStream stream("docker", pipes.factory());
    stream.watch({"sim", "kafka"}, 1700000000.25);
    ASSERT_EQ(pipes.started.size(), 1u);
    const std::vector<std::string> expected{
        "docker",   "events",         "--since",  "1700000000.250", "--format", "{{json .}}",
        "--filter", "type=container", "--filter", "event=oom",      "--filter", "event=die",
        "--filter", "event=kill",     "--filter", "event=restart",  "--filter", "event=start",
        "--filter", "container=sim",  "--filter", "container=kafka"};
    EXPECT_EQ(pipes.started[0], expected);
    // The same containers again (the next scenario): the running stream is kept.
    stream.watch({"sim", "kafka"}, 1700000100.0);
    EXPECT_EQ(pipes.started.size(), 1u);
    // Other containers: a new filter, a new process.
    stream.watch({"sim"}, 1700000200.0);
    EXPECT_EQ(pipes.started.size(), 2u);
    EXPECT_EQ(stream.processes_started(), 2);
    // No containers: no stream (without a container filter it would watch the whole engine).
    stream.watch({}, 1700000300.0);
    EXPECT_FALSE(stream.running());
    EXPECT_TRUE(stream.poll(1700000301.0).events.empty());
    EXPECT_EQ(pipes.started.size(), 2u);
}

TEST(DockerEventStream, ReadsWhatArrivedLineByLineAlsoWhenALineIsSplitAcrossReads) {
    Pipes pipes;
    ad::DockerEventStream stream("docker", pipes.factory());
    stream.watch({"hog"}, 1700000000.0);
    EXPECT_TRUE(stream.poll(1700000001.0).events.empty());  // nothing yet
    pipes.last().out = kEvent1.substr(0, 40);
    EXPECT_TRUE(stream.poll(1700000002.0).events.empty());  // half a line is no event yet
    pipes.last().out = kEvent1.substr(40) + "\nnot json\n" + kEvent2 + "\n";
    const auto batch = stream.poll(1700000003.0);
    ASSERT_EQ(batch.events.size(), 2u);
    EXPECT_EQ(batch.events[0].action, "oom");
    EXPECT_EQ(batch.events[0].container_name, "hog");
    EXPECT_EQ(batch.events[0].time_nano, 1700000010123456789LL);
    EXPECT_EQ(batch.events[1].time_nano, 1700000020000000001LL);
    EXPECT_FALSE(batch.gap);
    EXPECT_TRUE(batch.notes.empty());
    EXPECT_EQ(stream.processes_started(), 1);  // steady state: no process per poll
}

TEST(DockerEventStream, ADeadStreamIsRestartedFromBeforeItWasLastAliveWithANoteAndAGap) {
    Pipes pipes;
    ad::DockerEventStream stream("docker", pipes.factory());
    stream.watch({"hog"}, 1700000000.0);
    EXPECT_TRUE(stream.poll(1700000005.0).notes.empty());
    // It wrote one more event, then was killed.
    pipes.last().out = kEvent1 + "\n";
    pipes.last().running = false;
    pipes.last().end = "killed by signal 9";
    auto batch = stream.poll(1700000006.0);
    ASSERT_EQ(batch.events.size(), 1u);  // what it wrote before it ended is kept
    EXPECT_TRUE(batch.gap);
    ASSERT_EQ(batch.notes.size(), 1u);
    EXPECT_NE(batch.notes[0].find("docker events stream ended (killed by signal 9)"), std::string::npos)
        << batch.notes[0];
    ASSERT_EQ(pipes.started.size(), 2u);
    EXPECT_EQ(since_of(pipes.started[1]), "1700000003.000");  // last alive 5.0, 2 s earlier: docker replays
    // The new one runs: no gap, no note.
    pipes.last().out = kEvent2 + "\n";
    batch = stream.poll(1700000007.0);
    EXPECT_FALSE(batch.gap);
    EXPECT_TRUE(batch.notes.empty());
    ASSERT_EQ(batch.events.size(), 1u);
}

TEST(DockerEventStream, AStreamThatKeepsDyingIsNotedOncePerOutageAndRetriedEveryPoll) {
    Pipes pipes;
    ad::DockerEventStream stream("docker", pipes.factory());
    stream.watch({"hog"}, 1700000000.0);
    pipes.start_dead = true;  // the engine is down: every new stream ends at once
    pipes.last().running = false;
    std::size_t notes = 0;
    for (int i = 1; i <= 5; ++i) {
        const auto batch = stream.poll(1700000000.0 + i);
        EXPECT_TRUE(batch.gap);
        notes += batch.notes.size();
    }
    EXPECT_EQ(notes, 1u);
    EXPECT_EQ(pipes.started.size(), 6u);
    // Every restart replays from before the outage began.
    EXPECT_EQ(since_of(pipes.started.back()), "1699999998.000");
    // The engine is back: the next stream lives; a later death is a new outage with its own note.
    pipes.start_dead = false;
    EXPECT_TRUE(stream.poll(1700000006.0).gap);
    EXPECT_TRUE(stream.poll(1700000007.0).notes.empty());
    pipes.last().running = false;
    EXPECT_EQ(stream.poll(1700000008.0).notes.size(), 1u);
}

TEST(DockerEventStream, ARestartThatCannotStartIsNotedAndRetried) {
    Pipes pipes;
    ad::DockerEventStream stream("docker", pipes.factory());
    stream.watch({"hog"}, 1700000000.0);
    pipes.last().running = false;
    pipes.fail = true;
    auto batch = stream.poll(1700000001.0);
    EXPECT_TRUE(batch.gap);
    EXPECT_EQ(batch.notes.size(), 1u);
    EXPECT_FALSE(stream.running());
    batch = stream.poll(1700000002.0);
    EXPECT_TRUE(batch.gap);
    EXPECT_TRUE(batch.notes.empty());
    pipes.fail = false;
    stream.poll(1700000003.0);
    EXPECT_TRUE(stream.running());
}

TEST(DockerEventStream, ParsesDieExitCodeAndKillSignal) {
    const auto die = ad::parse_docker_event(
        R"({"status":"die","id":"abc","Type":"container","Action":"die","Actor":{"ID":"abc","Attributes":{"exitCode":"137","name":"sim"}},"time":1700000000,"timeNano":1700000000000000001})");
    ASSERT_TRUE(die);
    EXPECT_EQ(die->action, "die");
    EXPECT_EQ(die->exit_code, 137);
    const auto kill = ad::parse_docker_event(
        R"({"Action":"kill","Actor":{"ID":"abc","Attributes":{"signal":"9","name":"sim"}},"time":1700000000})");
    ASSERT_TRUE(kill);
    EXPECT_EQ(kill->signal, "9");
    EXPECT_FALSE(kill->exit_code);
    EXPECT_EQ(kill->time_nano, 1700000000000000000LL);
    EXPECT_FALSE(ad::parse_docker_event("[1,2]"));
    EXPECT_FALSE(ad::parse_docker_event("garbage"));
    // A huge "time" does not overflow: no time rather than a wrong one.
    const auto huge = ad::parse_docker_event(R"({"Action":"oom","time":9223372036854775807})");
    ASSERT_TRUE(huge);
    EXPECT_EQ(huge->time_nano, 0);
    // Numbers beyond int64 (a float, an unsigned) are no time rather than undefined behaviour.
    EXPECT_EQ(ad::parse_docker_event(R"({"Action":"oom","timeNano":1e300})")->time_nano, 0);
    EXPECT_EQ(ad::parse_docker_event(R"({"Action":"oom","timeNano":18446744073709551615})")->time_nano, 0);
    EXPECT_EQ(ad::parse_docker_event(R"({"Action":"oom","timeNano":1.7e18})")->time_nano,
              1700000000000000000LL);
}
