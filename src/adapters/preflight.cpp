#include "perfrunner/adapters/preflight.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "perfrunner/adapters/cadvisor_sampler.hpp"
#include "perfrunner/adapters/docker_cli.hpp"
#include "perfrunner/adapters/simulation_client.hpp"
#include "perfrunner/config/config.hpp"

namespace perfrunner::adapters {
namespace {

constexpr double kMiB = 1048576.0;

// "536870912", "512m", "1.5g", 536870912 -> bytes.
std::optional<std::uint64_t> parse_bytes(const nlohmann::json& v) {
    if (v.is_number_unsigned() || v.is_number_integer()) return v.get<std::uint64_t>();
    if (v.is_number_float()) return static_cast<std::uint64_t>(v.get<double>());
    if (!v.is_string()) return std::nullopt;
    std::string s = v.get<std::string>();
    if (s.empty()) return std::nullopt;
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (s.back() == 'b') s.pop_back();
    double scale = 1;
    if (!s.empty() && std::string("kmg").find(s.back()) != std::string::npos) {
        scale = s.back() == 'k' ? 1024.0 : s.back() == 'm' ? kMiB : kMiB * 1024.0;
        s.pop_back();
    }
    try {
        std::size_t used = 0;
        const double n = std::stod(s, &used);
        if (used != s.size() || n < 0) return std::nullopt;
        return static_cast<std::uint64_t>(std::llround(n * scale));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::optional<double> parse_cpus(const nlohmann::json& v) {
    if (v.is_number()) return v.get<double>();
    if (v.is_string()) {
        try {
            return std::stod(v.get<std::string>());
        } catch (const std::exception&) {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

const nlohmann::json* path(const nlohmann::json& j, std::initializer_list<const char*> keys) {
    const nlohmann::json* cur = &j;
    for (const char* k : keys) {
        if (!cur->is_object()) return nullptr;
        auto it = cur->find(k);
        if (it == cur->end() || it->is_null()) return nullptr;
        cur = &*it;
    }
    return cur;
}

std::string fmt_opt(const std::optional<double>& v, const char* suffix) {
    return v ? fmt::format("{:.1f}{}", *v, suffix) : std::string("n/a");
}

class Collector {
public:
    explicit Collector(PreflightReport& report) : report_(report) {}
    void ok(std::string area, std::string item, std::string detail) {
        report_.rows.push_back({std::move(area), std::move(item), "ok", std::move(detail)});
    }
    void info(std::string area, std::string item, std::string detail) {
        report_.rows.push_back({std::move(area), std::move(item), "info", std::move(detail)});
    }
    void problem(std::string area, std::string item, std::string detail, std::string problem_line) {
        report_.rows.push_back({std::move(area), std::move(item), "problem", std::move(detail)});
        report_.problems.push_back(std::move(problem_line));
    }

private:
    PreflightReport& report_;
};

void check_simulation(const config::Config& config, Collector& out) {
    SimulationClient sim(SimulationClient::options_from(config));
    const std::string base = sim.options().base_url;
    if (sim.health()) {
        out.ok("simulation", "GET /health", base + " answers 200");
    } else {
        out.problem("simulation", "GET /health", base + " does not answer 200",
                    fmt::format("simulation API: {}/health does not answer 200 (is the simulation running? api.base_url)", base));
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
            out.ok("simulation", "API key", "accepted (GET /auth/validate)");
        } else if (key.status == 401 || key.status == 403) {
            out.problem("simulation", "API key", fmt::format("rejected: HTTP {} {}", key.status, key.detail),
                        fmt::format("simulation API: the API key is rejected (HTTP {}); set api.api_key or "
                                    "PERFRUNNER_API_KEY to the stack's key",
                                    key.status));
        } else if (key.status == 422) {
            out.problem("simulation", "API key", "no key sent (HTTP 422)",
                        "simulation API: no API key is configured (api.api_key or PERFRUNNER_API_KEY is empty)");
        } else {
            out.problem("simulation", "API key", fmt::format("HTTP {} {}", key.status, key.detail),
                        fmt::format("simulation API: cannot validate the API key: GET {}/auth/validate answered HTTP {}",
                                    base, key.status));
        }
    } catch (const std::exception& e) {
        out.problem("simulation", "API key", "no answer", fmt::format("simulation API: {}", e.what()));
    }
}

// Returns the memory limits cAdvisor sees (container -> bytes) for the drift check.
std::map<std::string, std::uint64_t> check_cadvisor(const config::Config& config, const PreflightOptions& options,
                                                    Collector& out) {
    std::map<std::string, std::uint64_t> limits;
    auto sampler_options = CadvisorSampler::options_from(config);
    CadvisorSampler sampler(sampler_options);
    const std::string base = sampler.options().base_url;
    try {
        sampler.healthz();
        out.ok("cadvisor", "GET /healthz", base + " answers 200");
    } catch (const std::exception& e) {
        out.problem("cadvisor", "GET /healthz", "unreachable",
                    fmt::format("cAdvisor: not reachable: {} (docker.cadvisor_url)", e.what()));
        return limits;
    }
    std::vector<cadvisor::ContainerInfo> containers;
    cadvisor::MachineInfo machine;
    try {
        machine = sampler.fetch_machine();
        sampler.set_machine(machine);
        containers = sampler.fetch_docker_containers();
        out.ok("cadvisor", "GET /api/v1.3/docker/",
               fmt::format("{} containers; machine {} cores, {:.0f} MB", containers.size(), machine.num_cores,
                           static_cast<double>(machine.memory_capacity) / kMiB));
    } catch (const std::exception& e) {
        out.problem("cadvisor", "GET /api/v1.3/docker/", "unusable answer", fmt::format("cAdvisor: {}", e.what()));
        return limits;
    }
    for (const auto& c : sampler_options.containers) {
        if (auto m = match_container(c.name, containers, sampler_options.compose_project)) {
            const auto& info = containers[m->index];
            if (info.memory_limit) limits[c.name] = *info.memory_limit;
        }
    }
    // Two polls ~1 s apart give a CPU figure across the interval.
    auto first = sampler.poll();
    std::this_thread::sleep_for(std::chrono::duration<double>(options.cpu_interval_seconds));
    auto second = sampler.poll();
    // A container (or the host) without a new stat since the previous poll has no CPU figure yet: poll again
    // (up to 3 times, 1 s apart) and keep the first figure each one gets.
    std::map<std::string, double> cpu;
    std::optional<double> host_cpu;
    auto remember = [&](const ports::MetricsReading& r) {
        for (const auto& c : r.containers) {
            if (c.cpu_percent && !cpu.count(c.name)) cpu[c.name] = *c.cpu_percent;
        }
        if (r.host && r.host->cpu_percent_of_host && !host_cpu) host_cpu = r.host->cpu_percent_of_host;
    };
    auto complete = [&](const ports::MetricsReading& r) {
        return std::all_of(r.containers.begin(), r.containers.end(), [&](const auto& c) { return cpu.count(c.name) > 0; }) &&
               (!r.host || host_cpu);
    };
    if (second.ok) remember(second);
    for (int i = 0; i < 3 && second.ok && !complete(second); ++i) {
        std::this_thread::sleep_for(std::chrono::seconds(1));
        second = sampler.poll();
        if (second.ok) remember(second);
    }
    for (auto& r : second.containers) {
        if (auto it = cpu.find(r.name); it != cpu.end()) r.cpu_percent = it->second;
    }
    if (second.host && host_cpu) second.host->cpu_percent_of_host = host_cpu;
    if (!second.ok) {
        out.problem("cadvisor", "poll", second.error, fmt::format("cAdvisor: {}", second.error));
        return limits;
    }
    for (const auto& r : second.containers) {
        out.ok("cadvisor", r.name,
               fmt::format("limit {}, cores {:g} ({}), CPU {}, memory {:.1f} MB", 
                           r.memory_limit_mb > 0 ? fmt::format("{:.0f} MB", r.memory_limit_mb) : std::string("unlimited"),
                           r.cpu_cores_effective, r.cores_source, fmt_opt(r.cpu_percent, " %"), r.memory_used_mb));
    }
    for (const auto& name : second.missing) {
        out.problem("cadvisor", name, "not seen",
                    fmt::format("cAdvisor: does not see container {} (not running, or not matched by alias, compose "
                                "labels or name)",
                                name));
    }
    if (second.host) {
        out.info("cadvisor", "host",
                 fmt::format("CPU {} of {} cores, memory {} of {}", fmt_opt(second.host->cpu_percent_of_host, " %"),
                             second.host->num_cores, fmt_opt(second.host->memory_used_mb, " MB"),
                             fmt_opt(second.host->memory_total_mb, " MB")));
    }
    return limits;
}

void check_docker(const config::Config& config, const std::map<std::string, std::uint64_t>& limits, Collector& out) {
    auto docker_options = DockerCli::options_from(config);
    docker_options.command_timeout_seconds = std::min(docker_options.command_timeout_seconds, 60.0);
    DockerCli docker(docker_options);
    try {
        out.ok("docker", "engine", "server " + docker.engine_version());
    } catch (const std::exception& e) {
        out.problem("docker", "engine", "unreachable",
                    fmt::format("docker engine: not reachable: {} (start dockerd; DOCKER_HOST)", e.what()));
        return;
    }
    try {
        out.ok("docker", "compose", fmt::format("{} ({})", docker.compose_version(), format_command(docker.compose_command())));
    } catch (const std::exception& e) {
        out.problem("docker", "compose", "unavailable", e.what());
        return;
    }
    std::set<std::string> running;
    try {
        const auto containers = docker.stack_containers();
        if (containers.empty()) {
            out.problem("container", docker.project_name(), "no containers",
                        fmt::format("compose: project {} has no containers (bring the stack up: docker compose -f {} up -d)",
                                    docker.project_name(), docker_options.compose_file));
        }
        for (const auto& c : containers) {
            const bool healthy = c.state == "running" && (c.health.empty() || c.health == "healthy");
            const std::string detail = c.state != "running" ? c.state
                                       : c.health.empty()    ? c.state + " (no healthcheck)"
                                                             : c.state + ", " + c.health;
            if (healthy) {
                out.ok("container", c.name, detail);
                running.insert(c.name);
            } else {
                out.problem("container", c.name, detail,
                            fmt::format("container {}: {} (see `docker logs {}`)", c.name, detail, c.name));
            }
        }
        for (const auto& name : docker_options.expected_containers) {
            if (!std::any_of(containers.begin(), containers.end(), [&](const auto& c) { return c.name == name; })) {
                out.problem("container", name, "not in the stack",
                            fmt::format("container {}: catalogue entry of an active profile, but the compose project has "
                                        "no such container",
                                        name));
            }
        }
    } catch (const std::exception& e) {
        out.problem("container", "compose ps", "failed", e.what());
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
                out.problem(row.area, row.item, row.detail, "drift: " + row.item + ": " + row.detail);
                any = true;
            }
        }
        if (!any) out.ok("drift", "catalogue vs compose", fmt::format("{} containers agree", catalogue.size()));
    } catch (const std::exception& e) {
        out.problem("drift", "compose config", "failed", fmt::format("drift check: {}", e.what()));
    }
}

}  // namespace

std::vector<CheckRow> compose_drift(const nlohmann::json& compose_config, const std::vector<CatalogueEntry>& catalogue,
                                    const std::map<std::string, std::uint64_t>& observed_memory_limits,
                                    const std::string& project_name) {
    std::vector<CheckRow> rows;
    const auto* services = path(compose_config, {"services"});
    if (services == nullptr || !services->is_object()) {
        rows.push_back({"drift", "compose config", "problem", "no services in `compose config` output"});
        return rows;
    }
    std::set<std::string> provided;
    for (const auto& [service, spec] : services->items()) {
        std::string name;
        if (const auto* cn = path(spec, {"container_name"}); cn && cn->is_string()) name = cn->get<std::string>();
        const std::string generated = project_name + "-" + service + "-1";
        const CatalogueEntry* entry = nullptr;
        for (const auto& e : catalogue) {
            if (e.name == name || e.name == service || e.name == generated) entry = &e;
        }
        const std::string shown = name.empty() ? generated : name;
        if (entry == nullptr) {
            rows.push_back({"drift", shown, "problem",
                            fmt::format("service {} ({}) is not in the container catalogue (add it to `containers`)",
                                        service, shown)});
            continue;
        }
        provided.insert(entry->name);
        std::optional<double> cpus;
        if (const auto* v = path(spec, {"cpus"})) cpus = parse_cpus(*v);
        if (!cpus) {
            if (const auto* v = path(spec, {"deploy", "resources", "limits", "cpus"})) cpus = parse_cpus(*v);
        }
        if (entry->cpu_cores && cpus && std::fabs(*entry->cpu_cores - *cpus) > 1e-6) {
            rows.push_back({"drift", entry->name, "problem",
                            fmt::format("catalogue cpu_cores {:g} but compose limits it to {:g} CPUs", *entry->cpu_cores,
                                        *cpus)});
        }
        std::optional<std::uint64_t> memory;
        if (const auto* v = path(spec, {"mem_limit"})) memory = parse_bytes(*v);
        if (!memory) {
            if (const auto* v = path(spec, {"deploy", "resources", "limits", "memory"})) memory = parse_bytes(*v);
        }
        if (auto it = observed_memory_limits.find(entry->name); memory && it != observed_memory_limits.end()) {
            const bool unlimited = cadvisor::memory_limit_is_unlimited(it->second);
            if (unlimited || it->second != *memory) {
                rows.push_back({"drift", entry->name, "problem",
                                fmt::format("compose sets memory {:.0f} MB but the running container has {} (recreate "
                                            "it: compose up -d)",
                                            static_cast<double>(*memory) / kMiB,
                                            unlimited ? std::string("no limit")
                                                      : fmt::format("{:.0f} MB", static_cast<double>(it->second) / kMiB))});
            }
        }
        rows.push_back({"drift", entry->name, "ok", "in compose and catalogue"});
    }
    for (const auto& e : catalogue) {
        if (!provided.count(e.name)) {
            rows.push_back({"drift", e.name, "problem",
                            "catalogue entry of an active profile that no active compose service provides"});
        }
    }
    return rows;
}

nlohmann::json PreflightReport::to_json() const {
    nlohmann::json checks = nlohmann::json::array();
    for (const auto& r : rows) {
        checks.push_back({{"area", r.area}, {"item", r.item}, {"status", r.status}, {"detail", r.detail}});
    }
    return {{"ok", ok()}, {"checks", checks}, {"problems", problems}};
}

std::string PreflightReport::to_text() const {
    std::size_t w_area = 4, w_item = 4, w_status = 6;
    for (const auto& r : rows) {
        w_area = std::max(w_area, r.area.size());
        w_item = std::max(w_item, std::min<std::size_t>(r.item.size(), 40));
        w_status = std::max(w_status, r.status.size());
    }
    std::string out = fmt::format("{:<{}}  {:<{}}  {:<{}}  {}\n", "AREA", w_area, "ITEM", w_item, "STATUS", w_status, "DETAIL");
    for (const auto& r : rows) {
        out += fmt::format("{:<{}}  {:<{}}  {:<{}}  {}\n", r.area, w_area, r.item, w_item,
                           r.status == "problem" ? "PROBLEM" : r.status, w_status, r.detail);
    }
    if (problems.empty()) {
        out += "\nAll checks passed.\n";
    } else {
        out += fmt::format("\n{} problem{}:\n", problems.size(), problems.size() == 1 ? "" : "s");
        for (const auto& p : problems) out += p + "\n";
    }
    return out;
}

PreflightReport run_preflight(const config::Config& config, const PreflightOptions& options) {
    PreflightReport report;
    Collector out(report);
    check_simulation(config, out);
    const auto limits = check_cadvisor(config, options, out);
    check_docker(config, limits, out);
    return report;
}

}  // namespace perfrunner::adapters
