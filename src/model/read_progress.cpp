#include "read_progress.hpp"

#include "json_writer.hpp"

namespace perfrunner::model::detail {

void ContainerTable::extend(const RunResult& run) {
    for (std::size_t id = keys.size(); id < run.containers.size(); ++id) {
        keys.push_back(JsonWriter::quote(run.container_label(static_cast<ContainerId>(id))));
        hosts.emplace_back(run.container_host(static_cast<ContainerId>(id)));
    }
}

template <class Change>
void ReadProgress::update(Change&& change) {
    {
        const std::lock_guard lock(mutex_);
        change();
    }
    changed_.notify_all();
}

void ReadProgress::head_final(std::size_t scenario_count) {
    update([&] { state_.scenario_count = scenario_count; });
}

void ReadProgress::scenario_head_final(std::size_t scenario) {
    update([&] {
        state_.scenario = scenario;
        state_.scenario_head = true;
        state_.samples = 0;
    });
}

void ReadProgress::samples_final(std::size_t scenario, std::size_t count, const RunResult& run) {
    update([&] {
        publish_containers(run);
        state_.scenario = scenario;
        state_.samples = count;
    });
}

void ReadProgress::scenario_final(std::size_t scenario, const RunResult& run) {
    update([&] {
        publish_containers(run);
        state_.scenarios_final = scenario + 1;
        state_.scenario = scenario + 1;
        state_.scenario_head = false;
        state_.samples = 0;
    });
}

void ReadProgress::finished(const RunResult& run) {
    update([&] {
        publish_containers(run);
        state_.scenario_count = run.scenarios.size();
        state_.scenarios_final = run.scenarios.size();
        state_.finished = true;
    });
}

void ReadProgress::failed() {
    update([&] { state_.failed = true; });
}

ReadProgress::State ReadProgress::wait(const std::function<bool(const State&)>& ready) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return state_.failed || state_.finished || ready(state_); });
    return state_;
}

ContainerTable ReadProgress::containers() const {
    const std::lock_guard lock(mutex_);
    return table_;
}

void ReadProgress::publish_containers(const RunResult& run) {
    if (table_.keys.size() != run.containers.size()) {
        table_.extend(run);
        state_.containers = table_.keys.size();
    }
}

}  // namespace perfrunner::model::detail
