#include "perfrunner/check/prometheus_check.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "perfrunner/adapters/metrics_source_factory.hpp"
#include "perfrunner/adapters/prometheus_health.hpp"
#include "perfrunner/check/cpu_figures.hpp"
#include "perfrunner/config/config.hpp"
#include "perfrunner/config/docker_hosts.hpp"

namespace perfrunner::check {
namespace {

constexpr double kBytesPerMiB = 1048576.0;
constexpr const char* kArea = "prometheus";

// With several Docker hosts: the host each catalogue container is configured on (containers[].host).
std::map<std::string, std::string> configured_hosts(const config::Config& config) {
    std::map<std::string, std::string> out;
    if (config::several_docker_hosts(config)) {
        for (const auto& h : config::docker_hosts(config)) {
            for (const auto& c : h.containers) {
                out[c] = h.name;
            }
        }
    }
    return out;
}

std::string interval_text(const std::optional<double>& seconds) {
    return seconds ? fmt::format("every {:g} s", *seconds) : std::string("interval unknown");
}

}  // namespace

std::map<std::string, std::uint64_t> check_prometheus(const config::Config& config, CheckReport& out) {
    std::map<std::string, std::uint64_t> limits;
    adapters::PrometheusSampler sampler(adapters::prometheus_options_from(config));
    const auto health = adapters::inspect_prometheus(sampler, config.sampling.interval_seconds);
    const std::string base = sampler.client().base_url();
    if (!health.ready) {
        for (const auto& p : health.problems) {
            out.add_problem(kArea, "GET /-/ready", "not ready", p);
        }
        return limits;
    }
    out.add_ok(kArea, "GET /-/ready", base + " is ready");
    for (const auto& t : health.targets) {
        const std::string item = t.job + " " + t.instance;
        const std::string detail = fmt::format(
            "{}{}, {}{}", t.health, t.host.empty() ? "" : " (host " + t.host + ")",
            interval_text(t.scrape_interval_seconds), t.last_error.empty() ? "" : ": " + t.last_error);
        const bool fast_enough =
            !t.scrape_interval_seconds || *t.scrape_interval_seconds <= config.sampling.interval_seconds;
        if (t.health == "up" && fast_enough) {
            out.add_ok(kArea, item, detail);
        } else {
            out.rows.push_back({kArea, item, "problem", detail});
        }
    }
    if (health.window_seconds) {
        out.add_info(kArea, "rate window",
                     fmt::format("{:g} s (first tick of a sequence)", *health.window_seconds));
    }
    // The figures: further tick queries (the first one, inside inspect_prometheus, set the CPU baselines); a
    // CPU figure needs a new scrape since the previous tick, so they are a scrape interval apart, 3 at most.
    const double wait = std::max(1.0, health.longest_scrape_interval_seconds.value_or(1.0)) + 0.2;
    std::this_thread::sleep_for(std::chrono::duration<double>(wait));
    const ports::MetricsReading reading = complete_cpu_figures(sampler, sampler.poll(), wait, 2);
    if (!reading.ok) {
        out.add_problem(kArea, "figures", reading.error, fmt::format("Prometheus: {}", reading.error));
    }
    const auto hosts = configured_hosts(config);
    for (const auto& row : health.containers) {
        const auto where = hosts.find(row.name);
        const std::string on = where == hosts.end() ? std::string() : where->second;
        if (row.hosts.empty()) {
            out.rows.push_back({kArea, row.name, "problem",
                                "no fresh series" + (on.empty() ? "" : " (configured on host " + on + ")")});
            continue;
        }
        // Its series must name the host it runs on, else its figures would be filed under another host.
        if (!on.empty() && std::find(row.hosts.begin(), row.hosts.end(), on) == row.hosts.end()) {
            std::string seen;
            for (const auto& h : row.hosts) {
                seen += (seen.empty() ? "" : ", ") + (h.empty() ? std::string("(no host label)") : h);
            }
            out.add_problem(kArea, row.name, fmt::format("series on host {}, configured on {}", seen, on),
                            fmt::format("Prometheus: {} is configured on host {} (containers[].host) but its "
                                        "series name host {} (check metrics.host_label and the scrape "
                                        "targets' labels)",
                                        row.name, on, seen));
            continue;
        }
        bool shown = false;
        for (const auto& c : reading.containers) {
            if (c.name != row.name) {
                continue;
            }
            shown = true;
            if (c.memory_limit_mb > 0) {
                limits[c.name] = static_cast<std::uint64_t>(c.memory_limit_mb * kBytesPerMiB);
            }
            out.add_ok(
                kArea, c.name,
                fmt::format("host {}, limit {}, cores {:g} ({}), CPU {}, memory {:.1f} MB",
                            c.host.empty() ? "-" : c.host,
                            c.memory_limit_mb > 0 ? fmt::format("{:.0f} MB", c.memory_limit_mb)
                                                  : std::string("unlimited"),
                            c.cpu_cores_effective, c.cores_source,
                            c.cpu_percent ? fmt::format("{:.1f} %", *c.cpu_percent) : std::string("n/a"),
                            c.memory_used_mb));
        }
        if (!shown &&
            reading.ok) {  // fresh at the first poll, gone by the figures' poll: its exporter just stopped?
            out.add_problem(kArea, row.name,
                            "series went stale during the check" + (on.empty() ? "" : " (host " + on + ")"),
                            fmt::format("Prometheus: {}'s series went stale during the check (is its host's "
                                        "cAdvisor still scraped?)",
                                        row.name));
        }
    }
    for (const auto& p : health.problems) {
        out.problems.push_back(fmt::format("Prometheus: {}", p));
    }
    return limits;
}

}  // namespace perfrunner::check
