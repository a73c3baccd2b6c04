#pragma once
// Several metrics sources, one per Docker host (e.g. one cAdvisor per engine), read as one: every container
// and host figure is tagged with the host it came from, so the same container name on two hosts stays two
// containers. A configured container is missing only when no host reports it. The poll fails only when every
// host's does. The platform's throughput (events_per_sec) is taken from the source that has it.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "perfrunner/ports/metrics_source.hpp"

namespace perfrunner::adapters {

struct HostSource {
    std::string host;
    std::unique_ptr<ports::MetricsSource> source;
};

class MultiHostMetrics final : public ports::MetricsSource {
  public:
    explicit MultiHostMetrics(std::vector<HostSource> sources) : sources_(std::move(sources)) {}

    ports::MetricsReading poll() override;
    void reset_baselines() override;

  private:
    std::vector<HostSource> sources_;
};

}  // namespace perfrunner::adapters
