#pragma once
// One long-lived `docker events` process for the whole run, filtered to the watched containers and to the
// events OOM detection needs (oom, die, kill, restart, start), read as it arrives: per tick, whatever the
// pipe holds is read without blocking (no reader thread: the sampler's thread is the only reader, so there is
// nothing to lock, and docker stamps every event with its own time, so reading it up to one tick later
// changes no timestamp; the pipe holds ~64 KiB, hundreds of events, far more than a tick brings). A stream
// that dies is restarted with `--since` a little before it was last seen alive (docker replays what it
// missed) and the poll says so: a note, and `gap` asks the caller to inspect every container once.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "perfrunner/adapters/docker_json.hpp"

namespace perfrunner::adapters {

// The running `docker events` process as the stream sees it (a BackgroundProcess, or a fake in tests).
class EventPipe {
  public:
    virtual ~EventPipe() = default;
    virtual std::string read_available() = 0;  // stdout since the previous call; never blocks
    virtual bool running() = 0;
    virtual std::string end_description() = 0;  // "exit 1: <stderr>" once it ended
};
// Starts one; throws RuntimeFailure when it cannot.
using EventPipeFactory = std::function<std::unique_ptr<EventPipe>(const std::vector<std::string>& argv)>;
EventPipeFactory background_event_pipes();  // the real processes

class DockerEventStream {
  public:
    DockerEventStream(std::string docker, EventPipeFactory factory);
    // `docker` and its global options, e.g. {"docker", "-H", "unix:///…/docker.sock"} for another engine.
    DockerEventStream(std::vector<std::string> docker, EventPipeFactory factory);

    // Streams the events of these containers from `since` (epoch seconds) on. Starts the process, or restarts
    // it when the containers changed; a running stream of the same containers is kept.
    void watch(const std::vector<std::string>& containers, double since);

    struct Batch {
        std::vector<DockerEvent> events;  // in arrival order; a restart may replay some (callers dedupe)
        bool gap = false;                 // the stream was down: inspect every container once
        std::vector<std::string> notes;   // what happened to the stream, for the results
    };
    // Everything that arrived since the previous poll; restarts a stream that died (at most once a poll).
    Batch poll(double now);

    // The command for these containers from `since`.
    std::vector<std::string> command(double since) const;
    long processes_started() const noexcept { return started_; }
    bool running() const noexcept { return pipe_ != nullptr; }

  private:
    void start(double since, Batch* batch);
    void take_lines(const std::string& text, Batch& batch);

    std::vector<std::string> docker_;
    EventPipeFactory factory_;
    std::vector<std::string> containers_;
    std::unique_ptr<EventPipe> pipe_;
    std::string partial_;      // a line not yet ended by '\n'
    double last_alive_ = 0.0;  // the last poll that found the process running
    bool noted_down_ = false;  // one note per outage, not one per tick of a dead engine
    long started_ = 0;
};

}  // namespace perfrunner::adapters
