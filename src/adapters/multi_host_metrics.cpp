#include "perfrunner/adapters/multi_host_metrics.hpp"

#include <algorithm>
#include <cmath>

namespace perfrunner::adapters {

ports::MetricsReading MultiHostMetrics::poll() {
    ports::MetricsReading merged;
    std::vector<std::string> missing_everywhere;
    bool first_answer = true;
    for (auto& [host, source] : sources_) {
        auto reading = source->poll();
        if (!reading.error.empty()) {
            merged.error += (merged.error.empty() ? "" : "; ") + host + ": " + reading.error;
        }
        if (!reading.ok) {
            continue;
        }
        merged.ok = true;
        for (auto& c : reading.containers) {
            if (c.host.empty()) {
                c.host = host;
            }
            merged.containers.push_back(std::move(c));
        }
        if (reading.hosts.empty() && reading.host) {
            reading.hosts.push_back(*reading.host);
        }
        for (auto& h : reading.hosts) {
            if (h.name.empty()) {
                h.name = host;
            }
            merged.hosts.push_back(std::move(h));
        }
        // The platform's throughput is one figure, read by whichever source scrapes the simulation (usually
        // one host's): a number wins over an absent figure or a NaN (the series exists, no rate yet).
        if (reading.events_per_sec && (!merged.events_per_sec || (std::isnan(*merged.events_per_sec) &&
                                                                  !std::isnan(*reading.events_per_sec)))) {
            merged.events_per_sec = reading.events_per_sec;
        }
        // missing on every host that answered
        if (first_answer) {
            missing_everywhere = reading.missing;
            first_answer = false;
        } else {
            std::erase_if(missing_everywhere, [&](const std::string& name) {
                return std::find(reading.missing.begin(), reading.missing.end(), name) ==
                       reading.missing.end();
            });
        }
    }
    merged.missing = std::move(missing_everywhere);
    if (!merged.hosts.empty()) {
        merged.host = merged.hosts.front();
    }
    return merged;
}

void MultiHostMetrics::reset_baselines() {
    for (auto& [host, source] : sources_) {
        source->reset_baselines();
    }
}

}  // namespace perfrunner::adapters
