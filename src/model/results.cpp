#include "perfrunner/model/results.hpp"

#include "perfrunner/model/container_label.hpp"

namespace perfrunner::model {

ContainerId RunResult::intern(std::string_view name, std::string_view host) {
    if (auto id = find_container(name, host)) {
        return *id;
    }
    containers.emplace_back(name);
    if (!host.empty()) {
        container_hosts.resize(containers.size());
        container_hosts.back() = std::string(host);
    }
    return static_cast<ContainerId>(containers.size() - 1);
}

std::optional<ContainerId> RunResult::find_container(std::string_view name, std::string_view host) const {
    for (std::size_t i = 0; i < containers.size(); ++i) {
        if (containers[i] == name && container_host(static_cast<ContainerId>(i)) == host) {
            return static_cast<ContainerId>(i);
        }
    }
    return std::nullopt;
}

std::string_view RunResult::container_host(ContainerId id) const {
    return id < container_hosts.size() ? std::string_view(container_hosts[id]) : std::string_view();
}

std::string RunResult::container_label(ContainerId id) const {
    const std::string_view host = container_host(id);
    return host.empty() ? container_name(id) : container_name(id) + "@" + std::string(host);
}

bool RunResult::has_hosts() const {
    for (const auto& h : container_hosts) {
        if (!h.empty()) {
            return true;
        }
    }
    return false;
}

std::optional<ContainerId> RunResult::find_container(std::string_view name) const {
    for (std::size_t i = 0; i < containers.size(); ++i) {
        if (containers[i] == name) {
            return static_cast<ContainerId>(i);
        }
    }
    // A label "name@host" (analysis and reports key containers by label).
    if (!label_host(name).empty()) {
        return find_container(label_name(name), label_host(name));
    }
    return std::nullopt;
}

ScenarioResult* RunResult::find_scenario(std::string_view name) {
    for (auto& s : scenarios) {
        if (s.scenario_name == name) {
            return &s;
        }
    }
    return nullptr;
}

const ScenarioResult* RunResult::find_scenario(std::string_view name) const {
    for (const auto& s : scenarios) {
        if (s.scenario_name == name) {
            return &s;
        }
    }
    return nullptr;
}

}  // namespace perfrunner::model
