#include "perfrunner/check/cpu_figures.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <thread>

namespace perfrunner::check {

ports::MetricsReading complete_cpu_figures(ports::MetricsSource& source, ports::MetricsReading reading,
                                           double pause_seconds, int attempts) {
    std::map<std::string, double> cpu;
    std::optional<double> host_cpu;
    const auto remember = [&](const ports::MetricsReading& r) {
        for (const auto& c : r.containers) {
            if (c.cpu_percent) {
                cpu.emplace(c.name, *c.cpu_percent);
            }
        }
        if (r.host && r.host->cpu_percent_of_host && !host_cpu) {
            host_cpu = r.host->cpu_percent_of_host;
        }
    };
    const auto complete = [&](const ports::MetricsReading& r) {
        return std::all_of(r.containers.begin(), r.containers.end(),
                           [&](const auto& c) { return cpu.count(c.name) > 0; }) &&
               (!r.host || host_cpu);
    };
    if (reading.ok) {
        remember(reading);
    }
    for (int i = 0; i < attempts && reading.ok && !complete(reading); ++i) {
        std::this_thread::sleep_for(std::chrono::duration<double>(pause_seconds));
        reading = source.poll();
        if (reading.ok) {
            remember(reading);
        }
    }
    for (auto& c : reading.containers) {
        if (const auto it = cpu.find(c.name); it != cpu.end()) {
            c.cpu_percent = it->second;
        }
    }
    if (reading.host && host_cpu) {
        reading.host->cpu_percent_of_host = host_cpu;
    }
    return reading;
}

}  // namespace perfrunner::check
