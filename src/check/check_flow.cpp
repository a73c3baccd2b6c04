#include "perfrunner/check/check_flow.hpp"

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "perfrunner/adapters/cadvisor_sampler.hpp"
#include "perfrunner/adapters/docker_cli.hpp"
#include "perfrunner/adapters/metrics_source_factory.hpp"
#include "perfrunner/adapters/simulation_client.hpp"
#include "perfrunner/check/compose_drift.hpp"
#include "perfrunner/check/cpu_figures.hpp"
#include "perfrunner/check/prometheus_check.hpp"
#include "perfrunner/config/config.hpp"
#include "perfrunner/config/docker_hosts.hpp"

namespace perfrunner::check {
namespace {

using adapters::CadvisorSampler;
using adapters::DockerCli;
using adapters::HttpError;
using adapters::SimulationClient;
namespace cadvisor = adapters::cadvisor;

constexpr double kMiB = 1048576.0;

std::string fmt_opt(const std::optional<double>& v, const char* suffix) {
    return v ? fmt::format("{:.1f}{}", *v, suffix) : std::string("n/a");
}

void check_simulation(const config::Config& config, CheckReport& out) {
    SimulationClient sim(SimulationClient::options_from(config));
    const std::string base = sim.options().base_url;
    if (sim.health()) {
        out.add_ok("simulation", "GET /health", base + " answers 200");
    } else {
        out.add_problem(
            "simulation", "GET /health", base + " does not answer 200",
            fmt::format(
                "simulation API: {}/health does not answer 200 (is the simulation running? api.base_url)",
                base));
        return;
    }
    try {
        auto key = sim.validate_key();
        if (key.status == 404) {
            // Older servers lack /auth/validate: a status call tells the same.
            try {
                sim.status();
                key.accepted = true;
            } catch (const HttpError& e) {
                key.status = e.status();
                key.detail = e.body_excerpt();
            }
        }
        if (key.accepted) {
            out.add_ok("simulation", "API key", "accepted (GET /auth/validate)");
        } else if (key.status == 401 || key.status == 403) {
            out.add_problem(
                "simulation", "API key", fmt::format("rejected: HTTP {} {}", key.status, key.detail),
                fmt::format("simulation API: the API key is rejected (HTTP {}); set api.api_key or "
                            "PERFRUNNER_API_KEY to the stack's key",
                            key.status));
        } else if (key.status == 422) {
            out.add_problem(
                "simulation", "API key", "no key sent (HTTP 422)",
                "simulation API: no API key is configured (api.api_key or PERFRUNNER_API_KEY is empty)");
        } else {
            out.add_problem(
                "simulation", "API key", fmt::format("HTTP {} {}", key.status, key.detail),
                fmt::format(
                    "simulation API: cannot validate the API key: GET {}/auth/validate answered HTTP {}",
                    base, key.status));
        }
    } catch (const std::exception& e) {
        out.add_problem("simulation", "API key", "no answer", fmt::format("simulation API: {}", e.what()));
    }
}

// Returns the memory limits cAdvisor sees (container -> bytes) for the drift check.
// On several Docker hosts: one cAdvisor per host, its rows in area "cadvisor@HOST".
std::map<std::string, std::uint64_t> check_cadvisor(const config::Config& config,
                                                    const CheckFlowOptions& options,
                                                    const config::DockerHost& host, CheckReport& out) {
    std::map<std::string, std::uint64_t> limits;
    auto sampler_options = CadvisorSampler::options_from(config);
    if (!host.name.empty()) {
        sampler_options.base_url = host.cadvisor_url;
        // Only the containers configured on this host: the others are another cAdvisor's.
        std::erase_if(sampler_options.containers, [&](const adapters::CatalogueContainer& c) {
            return std::find(host.containers.begin(), host.containers.end(), c.name) == host.containers.end();
        });
    }
    const std::string area = host.name.empty() ? "cadvisor" : "cadvisor@" + host.name;
    // Problem lines name the host too: on several hosts they must say whose cAdvisor failed.
    const std::string who = host.name.empty() ? "cAdvisor" : "cAdvisor of host " + host.name;
    const std::string url_key =
        host.name.empty() ? "docker.cadvisor_url" : "docker.host_cadvisor_urls, docker.cadvisor_url";
    CadvisorSampler sampler(sampler_options);
    const std::string base = sampler.options().base_url;
    try {
        sampler.healthz();
        out.add_ok(area, "GET /healthz", base + " answers 200");
    } catch (const std::exception& e) {
        out.add_problem(area, "GET /healthz", "unreachable",
                        fmt::format("{}: not reachable: {} ({})", who, e.what(), url_key));
        return limits;
    }
    std::vector<cadvisor::ContainerInfo> containers;
    cadvisor::MachineInfo machine;
    try {
        machine = sampler.fetch_machine();
        sampler.set_machine(machine);
        containers = sampler.fetch_docker_containers();
        out.add_ok(area, "GET /api/v1.3/docker/",
                   fmt::format("{} containers; machine {} cores, {:.0f} MB", containers.size(),
                               machine.num_cores, static_cast<double>(machine.memory_capacity) / kMiB));
    } catch (const std::exception& e) {
        out.add_problem(area, "GET /api/v1.3/docker/", "unusable answer",
                        fmt::format("{}: {}", who, e.what()));
        return limits;
    }
    for (const auto& c : sampler_options.containers) {
        if (auto m = adapters::match_container(c.name, containers, sampler_options.compose_project)) {
            const auto& info = containers[m->index];
            if (info.memory_limit) {
                limits[c.name] = *info.memory_limit;
            }
        }
    }
    // Two polls ~1 s apart give a CPU figure across the interval.
    auto first = sampler.poll();
    std::this_thread::sleep_for(std::chrono::duration<double>(options.cpu_interval_seconds));
    auto second = sampler.poll();
    // A container (or the host) without a new stat since the previous poll has no CPU figure yet: up to 3
    // more polls, 1 s apart.
    second = complete_cpu_figures(sampler, std::move(second), 1.0, 3);
    if (!second.ok) {
        out.add_problem(area, "poll", second.error, fmt::format("{}: {}", who, second.error));
        return limits;
    }
    for (const auto& r : second.containers) {
        out.add_ok(area, r.name,
                   fmt::format("limit {}, cores {:g} ({}), CPU {}, memory {:.1f} MB",
                               r.memory_limit_mb > 0 ? fmt::format("{:.0f} MB", r.memory_limit_mb)
                                                     : std::string("unlimited"),
                               r.cpu_cores_effective, r.cores_source, fmt_opt(r.cpu_percent, " %"),
                               r.memory_used_mb));
    }
    for (const auto& name : second.missing) {
        out.add_problem(
            area, name, "not seen",
            fmt::format("{}: does not see container {} (not running, or not matched by alias, compose "
                        "labels or name)",
                        who, name));
    }
    if (second.host) {
        out.add_info(area, "host",
                     fmt::format("CPU {} of {} cores, memory {} of {}",
                                 fmt_opt(second.host->cpu_percent_of_host, " %"), second.host->num_cores,
                                 fmt_opt(second.host->memory_used_mb, " MB"),
                                 fmt_opt(second.host->memory_total_mb, " MB")));
    }
    return limits;
}

// One Docker host: its engine, compose and containers (areas "docker@HOST", "container@HOST" on several
// hosts); `drift` checks the catalogue against the compose file (once: the file is the same on every host).
void check_docker(const config::Config& config, const std::map<std::string, std::uint64_t>& limits,
                  const config::DockerHost& host, bool drift, CheckReport& out) {
    auto docker_options = DockerCli::options_from(config);
    docker_options.command_timeout_seconds = std::min(docker_options.command_timeout_seconds, 60.0);
    docker_options.docker_host = host.endpoint;
    if (!host.name.empty()) {
        std::erase_if(docker_options.expected_containers, [&](const std::string& name) {
            return std::find(host.containers.begin(), host.containers.end(), name) == host.containers.end();
        });
    }
    const std::string at = host.name.empty() ? "" : "@" + host.name;
    DockerCli docker(docker_options);
    try {
        out.add_ok(std::string("docker") + at, "engine", "server " + docker.engine_version());
    } catch (const std::exception& e) {
        out.add_problem(
            std::string("docker") + at, "engine", "unreachable",
            fmt::format("docker engine: not reachable: {} (start dockerd; DOCKER_HOST)", e.what()));
        return;
    }
    try {
        out.add_ok(std::string("docker") + at, "compose",
                   fmt::format("{} ({})", docker.compose_version(),
                               adapters::format_command(docker.compose_command())));
    } catch (const std::exception& e) {
        out.add_problem(std::string("docker") + at, "compose", "unavailable", e.what());
        return;
    }
    std::set<std::string> running;
    try {
        const auto containers = docker.stack_containers();
        if (containers.empty()) {
            out.add_problem(
                std::string("container") + at, docker.project_name(), "no containers",
                fmt::format(
                    "compose: project {} has no containers (bring the stack up: docker compose -f {} up -d)",
                    docker.project_name(), docker_options.compose_file));
        }
        for (const auto& c : containers) {
            const bool healthy = c.state == "running" && (c.health.empty() || c.health == "healthy");
            const std::string detail = c.state != "running" ? c.state
                                       : c.health.empty()   ? c.state + " (no healthcheck)"
                                                            : c.state + ", " + c.health;
            if (healthy) {
                out.add_ok(std::string("container") + at, c.name, detail);
                running.insert(c.name);
            } else {
                out.add_problem(
                    std::string("container") + at, c.name, detail,
                    fmt::format("container {}: {} (see `docker logs {}`)", c.name, detail, c.name));
            }
        }
        for (const auto& name : docker_options.expected_containers) {
            if (!std::any_of(containers.begin(), containers.end(),
                             [&](const auto& c) { return c.name == name; })) {
                out.add_problem(
                    std::string("container") + at, name, "not in the stack",
                    fmt::format(
                        "container {}: catalogue entry of an active profile, but the compose project has "
                        "no such container",
                        name));
            }
        }
    } catch (const std::exception& e) {
        out.add_problem(std::string("container") + at, "compose ps", "failed", e.what());
    }
    if (!drift) {
        return;
    }
    try {
        std::vector<CatalogueEntry> catalogue;
        for (const auto& spec : config.containers) {
            const auto& p = config.docker.profiles;
            if (spec.profile.empty() || p.empty() || std::find(p.begin(), p.end(), spec.profile) != p.end()) {
                catalogue.push_back({spec.name, spec.cpu_cores});
            }
        }
        const auto rows = compose_drift(docker.compose_config(), catalogue, limits, docker.project_name());
        bool any = false;
        for (const auto& row : rows) {
            if (row.status == "problem") {
                out.add_problem(row.area, row.item, row.detail, "drift: " + row.item + ": " + row.detail);
                any = true;
            }
        }
        if (!any) {
            out.add_ok("drift", "catalogue vs compose", fmt::format("{} containers agree", catalogue.size()));
        }
    } catch (const std::exception& e) {
        out.add_problem("drift", "compose config", "failed", fmt::format("drift check: {}", e.what()));
    }
}

}  // namespace

CheckReport run_check(const config::Config& config, const CheckFlowOptions& options) {
    CheckReport out;
    check_simulation(config, out);
    const auto hosts = config::docker_hosts(config);
    std::map<std::string, std::uint64_t> limits;
    if (config.metrics.source == adapters::kSourcePrometheus) {
        limits = check_prometheus(config, out);
    } else {
        for (const auto& host : hosts) {
            limits.merge(check_cadvisor(config, options, host, out));
        }
    }
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        check_docker(config, limits, hosts[i], i == 0, out);
    }
    return out;
}

}  // namespace perfrunner::check
