#pragma once
// The metrics source that config's `metrics.source` names, built from config: the one place that knows which
// adapter implements the MetricsSource port for a run or a check.
#include <memory>

#include "perfrunner/adapters/prometheus_sampler.hpp"
#include "perfrunner/ports/metrics_source.hpp"

namespace perfrunner::config {
struct Config;
}

namespace perfrunner::adapters {

inline constexpr const char* kSourceCadvisor = "cadvisor";
inline constexpr const char* kSourcePrometheus = "prometheus";

// metrics.prometheus_url, timeouts, label mapping, rate window and the active catalogue containers.
PrometheusSamplerOptions prometheus_options_from(const config::Config& config);

// A CadvisorSampler or a PrometheusSampler; no request is made here.
std::unique_ptr<ports::MetricsSource> make_metrics_source(const config::Config& config);

}  // namespace perfrunner::adapters
