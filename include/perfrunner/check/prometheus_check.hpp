#pragma once
// `perfrunner check` with `metrics.source: "prometheus"`: the server is ready, its scrape targets are up and
// scraped at least as often as perfrunner samples, and every configured container has fresh series — on which
// host (one row per container and host).
#include <cstdint>
#include <map>
#include <string>

#include "perfrunner/check/check_report.hpp"

namespace perfrunner::config {
struct Config;
}

namespace perfrunner::check {

// Adds the Prometheus rows and problems to `out`; returns the memory limits it saw (container -> bytes) for
// the drift check. Never throws.
std::map<std::string, std::uint64_t> check_prometheus(const config::Config& config, CheckReport& out);

}  // namespace perfrunner::check
