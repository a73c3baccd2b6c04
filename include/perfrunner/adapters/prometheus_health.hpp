#pragma once
// What `perfrunner check` needs to know about the Prometheus source before a run: the server answers, its
// scrape targets are up, their scrape interval is at most perfrunner's sampling interval (else ticks see no
// new sample), and every configured container has fresh series — on which host.
#include <optional>
#include <string>
#include <vector>

#include "perfrunner/adapters/prometheus_sampler.hpp"

namespace perfrunner::adapters {

struct PrometheusTargetRow {
    std::string job;
    std::string instance;
    std::string host;  // value of the mapping's host label on the target ("" when the target has none)
    std::string health;
    std::string last_error;
    std::optional<double> scrape_interval_seconds;
};

struct PrometheusContainerRow {
    std::string name;                // configured
    std::vector<std::string> hosts;  // where it has fresh series (empty = none)
};

struct PrometheusHealth {
    bool ready = false;
    std::vector<PrometheusTargetRow> targets;
    std::optional<double> longest_scrape_interval_seconds;
    std::optional<double> window_seconds;  // the rate() window the source will use
    std::vector<PrometheusContainerRow> containers;
    // One line per problem, each naming the thing and what to do. Empty = the source is usable.
    std::vector<std::string> problems;
};

// Asks the server (ready, targets, one tick query); never throws: failures become problems.
PrometheusHealth inspect_prometheus(PrometheusSampler& sampler, double sampling_interval_seconds);

}  // namespace perfrunner::adapters
