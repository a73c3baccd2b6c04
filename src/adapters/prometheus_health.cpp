#include "perfrunner/adapters/prometheus_health.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace perfrunner::adapters {
namespace {

std::string label(const prometheus::Labels& labels, const std::string& key) {
    const auto it = labels.find(key);
    return it == labels.end() ? std::string() : it->second;
}

}  // namespace

PrometheusHealth inspect_prometheus(PrometheusSampler& sampler, double sampling_interval_seconds) {
    PrometheusHealth health;
    auto& client = sampler.client();
    try {
        client.ready();
        health.ready = true;
    } catch (const std::exception& e) {
        health.problems.push_back(
            fmt::format("Prometheus at {} is not ready: {} (start it, or set "
                        "metrics.prometheus_url)",
                        client.base_url(), e.what()));
        return health;
    }
    try {
        for (const auto& t : client.targets()) {
            PrometheusTargetRow row;
            row.job = label(t.labels, "job");
            row.instance = label(t.labels, "instance");
            row.host = label(t.labels, sampler.options().labels.host_label);
            row.health = t.health;
            row.last_error = t.last_error;
            row.scrape_interval_seconds = t.scrape_interval_seconds;
            if (t.scrape_interval_seconds) {
                health.longest_scrape_interval_seconds = std::max(
                    health.longest_scrape_interval_seconds.value_or(0.0), *t.scrape_interval_seconds);
            }
            if (t.health != "up") {
                // the host too: with several Docker hosts it says which host's exporter is not answering
                health.problems.push_back(
                    fmt::format("Prometheus target {} {}{} is {}{}{} (is the exporter running?)", row.job,
                                row.instance, row.host.empty() ? "" : " (host " + row.host + ")", t.health,
                                t.last_error.empty() ? "" : ": ", t.last_error));
            }
            if (t.scrape_interval_seconds && *t.scrape_interval_seconds > sampling_interval_seconds) {
                health.problems.push_back(fmt::format(
                    "Prometheus scrapes {} {} every {} s, more than sampling.interval_seconds {} s: ticks "
                    "would see no "
                    "new sample (lower its scrape_interval or raise the sampling interval)",
                    row.job, row.instance, *t.scrape_interval_seconds, sampling_interval_seconds));
            }
            health.targets.push_back(std::move(row));
        }
        if (health.targets.empty()) {
            health.problems.push_back(
                fmt::format("Prometheus at {} has no active scrape targets (add the cAdvisors to its "
                            "scrape_configs)",
                            client.base_url()));
        }
        health.window_seconds = sampler.window_seconds();
    } catch (const std::exception& e) {
        health.problems.push_back(fmt::format("Prometheus targets: {}", e.what()));
        return health;
    }
    const auto reading = sampler.poll();
    if (!reading.ok) {
        health.problems.push_back(reading.error);
        return health;
    }
    for (const auto& configured : sampler.options().containers) {
        PrometheusContainerRow row;
        row.name = configured.name;
        for (const auto& c : reading.containers) {
            if (c.name == configured.name) {
                row.hosts.push_back(c.host);
            }
        }
        if (row.hosts.empty()) {
            health.problems.push_back(
                fmt::format("{} has no fresh series in Prometheus (is its host's cAdvisor scraped? do the "
                            "metrics.labels and metrics.host_label match its series?)",
                            configured.name));
        }
        health.containers.push_back(std::move(row));
    }
    if (!reading.error.empty()) {
        health.problems.push_back(reading.error);
    }
    return health;
}

}  // namespace perfrunner::adapters
