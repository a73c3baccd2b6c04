#include "perfrunner/adapters/metrics_source_factory.hpp"

#include "perfrunner/adapters/cadvisor_sampler.hpp"
#include "perfrunner/config/config.hpp"

namespace perfrunner::adapters {

PrometheusSamplerOptions prometheus_options_from(const config::Config& config) {
    // The catalogue filter and compose project are the cAdvisor source's: both sources sample the same set.
    const CadvisorSamplerOptions cadvisor = CadvisorSampler::options_from(config);
    PrometheusSamplerOptions o;
    o.client.base_url = config.metrics.prometheus_url;
    o.client.timeout_seconds =
        config.metrics.prometheus_timeout > 0 ? config.metrics.prometheus_timeout : 5.0;
    o.client.connect_timeout_seconds = cadvisor.connect_timeout_seconds;
    o.containers = cadvisor.containers;
    o.compose_project = cadvisor.compose_project;
    o.labels.scheme = config.metrics.labels == "kubernetes" ? prometheus::LabelScheme::kubernetes
                                                            : prometheus::LabelScheme::docker;
    if (!config.metrics.host_label.empty()) {
        o.labels.host_label = config.metrics.host_label;
    }
    o.window_seconds = config.metrics.rate_window_seconds;
    return o;
}

std::unique_ptr<ports::MetricsSource> make_metrics_source(const config::Config& config) {
    if (config.metrics.source == kSourcePrometheus) {
        return std::make_unique<PrometheusSampler>(prometheus_options_from(config));
    }
    return std::make_unique<CadvisorSampler>(CadvisorSampler::options_from(config));
}

}  // namespace perfrunner::adapters
