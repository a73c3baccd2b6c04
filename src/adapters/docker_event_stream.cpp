#include "perfrunner/adapters/docker_event_stream.hpp"

#include <fmt/format.h>

#include "perfrunner/adapters/background_process.hpp"
#include "perfrunner/adapters/process.hpp"
#include "perfrunner/error.hpp"
#include "perfrunner/model/timestamps.hpp"

namespace perfrunner::adapters {
namespace {

constexpr std::size_t kMaxLine = 1u << 20;  // a longer "line" is no event: dropped
// How far before the last sign of life a restarted stream begins (docker's clock and ours are the same
// host's; this covers an event stamped just before the last poll that had not reached the pipe yet).
constexpr double kReplaySeconds = 2.0;

class BackgroundEventPipe final : public EventPipe {
  public:
    explicit BackgroundEventPipe(const std::vector<std::string>& argv) : process_(argv) {}
    std::string read_available() override { return process_.read_out(); }
    bool running() override { return process_.running(); }
    std::string end_description() override { return process_.end_description(); }

  private:
    BackgroundProcess process_;
};

}  // namespace

EventPipeFactory background_event_pipes() {
    return [](const std::vector<std::string>& argv) -> std::unique_ptr<EventPipe> {
        return std::make_unique<BackgroundEventPipe>(argv);
    };
}

DockerEventStream::DockerEventStream(std::string docker, EventPipeFactory factory)
    : DockerEventStream(std::vector<std::string>{std::move(docker)}, std::move(factory)) {}

DockerEventStream::DockerEventStream(std::vector<std::string> docker, EventPipeFactory factory)
    : docker_(std::move(docker)), factory_(std::move(factory)) {}

std::vector<std::string> DockerEventStream::command(double since) const {
    std::vector<std::string> argv = docker_;
    argv.insert(argv.end(), {"events", "--since", fmt::format("{:.3f}", since), "--format", "{{json .}}",
                             "--filter", "type=container"});
    for (const char* event : {"oom", "die", "kill", "restart", "start"}) {
        argv.push_back("--filter");
        argv.push_back(std::string("event=") + event);
    }
    // Several container filters are OR-ed; a name that does not exist yet still matches once it does.
    for (const auto& c : containers_) {
        argv.push_back("--filter");
        argv.push_back("container=" + c);
    }
    return argv;
}

void DockerEventStream::watch(const std::vector<std::string>& containers, double since) {
    if (pipe_ && containers == containers_) {
        return;
    }
    containers_ = containers;
    pipe_.reset();
    partial_.clear();
    last_alive_ = since;
    noted_down_ = false;
    if (containers_.empty()) {
        return;  // no filter would mean every container of the engine: nothing to watch
    }
    start(since, nullptr);
    if (!pipe_) {
        throw RuntimeFailure(fmt::format("cannot start `{} events`", format_command(docker_)));
    }
}

void DockerEventStream::start(double since, Batch* batch) {
    ++started_;
    try {
        pipe_ = factory_(command(since));
    } catch (const std::exception& e) {
        pipe_.reset();
        if (batch == nullptr) {
            throw;
        }
        if (!noted_down_) {
            batch->notes.push_back(fmt::format("docker events stream could not be restarted: {}", e.what()));
            noted_down_ = true;
        }
    }
}

void DockerEventStream::take_lines(const std::string& text, Batch& batch) {
    partial_ += text;
    std::size_t begin = 0;
    for (std::size_t nl = partial_.find('\n'); nl != std::string::npos; nl = partial_.find('\n', begin)) {
        if (auto e = parse_docker_event(partial_.substr(begin, nl - begin))) {
            batch.events.push_back(std::move(*e));
        }
        begin = nl + 1;
    }
    partial_.erase(0, begin);
    if (partial_.size() > kMaxLine) {
        partial_.clear();
    }
}

DockerEventStream::Batch DockerEventStream::poll(double now) {
    Batch batch;
    if (containers_.empty()) {
        return batch;  // nothing watched
    }
    if (pipe_) {
        take_lines(pipe_->read_available(), batch);
        if (pipe_->running()) {
            last_alive_ = now;
            noted_down_ = false;
            return batch;
        }
        take_lines(pipe_->read_available(), batch);  // what it wrote before it ended
        if (!noted_down_) {
            batch.notes.push_back(
                fmt::format("docker events stream ended ({}); restarting it from {} and every container "
                            "inspected once to "
                            "cover the gap",
                            pipe_->end_description(), model::iso_utc(last_alive_ - kReplaySeconds)));
            noted_down_ = true;
        }
        pipe_.reset();
        partial_.clear();
    }
    batch.gap = true;
    start(last_alive_ - kReplaySeconds, &batch);
    return batch;
}

}  // namespace perfrunner::adapters
