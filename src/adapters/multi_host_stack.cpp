#include "perfrunner/adapters/multi_host_stack.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "perfrunner/adapters/compose_names.hpp"
#include "perfrunner/config/docker_hosts.hpp"
#include "perfrunner/error.hpp"

namespace perfrunner::adapters {

std::vector<std::string> services_of(const nlohmann::json& compose_config,
                                     const std::vector<std::string>& containers, const std::string& project) {
    std::vector<std::string> out;
    const auto services = compose_config.find("services");
    if (services == compose_config.end() || !services->is_object()) {
        return out;
    }
    for (const auto& container : containers) {
        for (const auto& [service, definition] : services->items()) {
            const auto name = definition.find("container_name");
            const bool named = name != definition.end() && name->is_string();
            if (named ? name->get<std::string>() == container
                      : compose_generated_name(container, project, service)) {
                if (std::find(out.begin(), out.end(), service) == out.end()) {
                    out.push_back(service);
                }
                break;
            }
        }
    }
    return out;
}

MultiHostStack::MultiHostStack(std::vector<HostDocker> hosts) : hosts_(std::move(hosts)) {
    if (hosts_.empty()) {
        throw InputError("docker: no Docker host to drive");
    }
}

MultiHostStack MultiHostStack::from_config(const config::Config& config, const DockerCliOptions& base) {
    std::vector<HostDocker> hosts;
    const bool several = config::several_docker_hosts(config);
    for (const auto& h : config::docker_hosts(config)) {
        DockerCliOptions o = base;
        o.docker_host = h.endpoint;
        if (several) {
            // Each host waits for (and watches) its own containers only.
            std::erase_if(o.expected_containers, [&](const std::string& name) {
                return std::find(h.containers.begin(), h.containers.end(), name) == h.containers.end();
            });
        }
        hosts.push_back({several ? h.name : std::string(), std::make_unique<DockerCli>(std::move(o))});
    }
    return MultiHostStack(std::move(hosts));
}

void MultiHostStack::assign_services() {
    const bool given = std::all_of(hosts_.begin(), hosts_.end(),
                                   [](const HostDocker& h) { return !h.docker->options().services.empty(); });
    if (services_assigned_ || hosts_.size() < 2 || given) {
        return;
    }
    // The compose file is the same everywhere: read it once, through the first host.
    auto& first = *hosts_.front().docker;
    const nlohmann::json compose = first.compose_config();
    const std::string project = first.project_name();
    for (auto& h : hosts_) {
        const auto& expected = h.docker->options().expected_containers;
        auto services = services_of(compose, expected, project);
        if (services.empty()) {
            throw InputError(
                fmt::format("docker.hosts: no compose service of {} runs the containers configured "
                            "on host \"{}\" (set containers[].host)",
                            first.options().compose_file, h.host));
        }
        DockerCliOptions o = h.docker->options();
        o.services = std::move(services);
        h.docker = std::make_unique<DockerCli>(std::move(o));
    }
    services_assigned_ = true;
}

void MultiHostStack::clean_restart() {
    assign_services();
    for (auto& h : hosts_) {
        h.docker->down();
    }
    for (auto& h : hosts_) {
        h.docker->up();
    }
    for (auto& h : hosts_) {
        h.docker->wait_healthy();
    }
}

void MultiHostStack::down() {
    for (auto& h : hosts_) {
        h.docker->down();
    }
}

void MultiHostStack::begin_oom_watch(double epoch_seconds) {
    for (auto& h : hosts_) {
        h.docker->begin_oom_watch(epoch_seconds);
    }
}

std::vector<model::OomEvent> MultiHostStack::poll_oom(double now_epoch_seconds) {
    std::vector<model::OomEvent> out;
    for (auto& h : hosts_) {
        for (auto& e : h.docker->poll_oom(now_epoch_seconds)) {
            if (!h.host.empty()) {
                e.host = h.host;
            }
            out.push_back(std::move(e));
        }
    }
    return out;
}

std::vector<std::string> MultiHostStack::take_notes() {
    std::vector<std::string> out;
    for (auto& h : hosts_) {
        for (auto& note : h.docker->take_notes()) {
            out.push_back(h.host.empty() ? std::move(note) : h.host + ": " + note);
        }
    }
    return out;
}

}  // namespace perfrunner::adapters
