#include "perfrunner/model/results.hpp"

namespace perfrunner::model {

ContainerId RunResult::intern(std::string_view name) {
    if (auto id = find_container(name)) {
        return *id;
    }
    containers.emplace_back(name);
    return static_cast<ContainerId>(containers.size() - 1);
}

std::optional<ContainerId> RunResult::find_container(std::string_view name) const {
    for (std::size_t i = 0; i < containers.size(); ++i) {
        if (containers[i] == name) {
            return static_cast<ContainerId>(i);
        }
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
