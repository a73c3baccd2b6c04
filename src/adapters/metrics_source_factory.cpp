#include "perfrunner/adapters/metrics_source_factory.hpp"

#include "perfrunner/adapters/cadvisor_sampler.hpp"
#include "perfrunner/adapters/multi_host_metrics.hpp"
#include "perfrunner/config/config.hpp"
#include "perfrunner/config/docker_hosts.hpp"
#include "perfrunner/error.hpp"

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
    if (!config::several_docker_hosts(config)) {
        return std::make_unique<CadvisorSampler>(CadvisorSampler::options_from(config));
    }
    // One cAdvisor per host; each reports the containers of its own engine, tagged with the host's name.
    std::vector<HostSource> sources;
    for (const auto& h : config::docker_hosts(config)) {
        if (h.cadvisor_url.empty()) {
            throw InputError("config: docker.host_cadvisor_urls has no cAdvisor for host \"" + h.name +
                             "\" (metrics.source cadvisor with several docker.hosts needs one per host)");
        }
        auto o = CadvisorSampler::options_from(config);
        o.base_url = h.cadvisor_url;
        sources.push_back({h.name, std::make_unique<CadvisorSampler>(std::move(o))});
    }
    return std::make_unique<MultiHostMetrics>(std::move(sources));
}

}  // namespace perfrunner::adapters
