#include "perfrunner/scenarios/rolling_window.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "perfrunner/model/rounding.hpp"

namespace perfrunner::scenarios {

namespace {

double mean_of(const std::deque<double>& values) {
    if (values.empty()) {
        return 0.0;
    }
    return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

}  // namespace

std::size_t rolling_window_samples(const config::Config& config) {
    const double samples = config.scenarios.stress_rolling_window_seconds / config.sampling.interval_seconds;
    return static_cast<std::size_t>(std::max(1.0, std::round(samples)));
}

RollingWindow::RollingWindow(const config::Config& config, std::size_t window_samples)
    : config_(config), window_(std::max<std::size_t>(1, window_samples)) {}

void RollingWindow::push_value(std::deque<double>& values, double v) const {
    values.push_back(v);
    while (values.size() > window_) {
        values.pop_front();
    }
}

RollingWindow::Series& RollingWindow::series_for(const model::RunResult& run, model::ContainerId id) {
    for (auto& s : series_) {
        if (s.id == id) {
            return s;
        }
    }
    Series s;
    s.id = id;
    s.name = run.container_name(id);
    s.order = config_.containers.size() + series_.size();
    for (std::size_t i = 0; i < config_.containers.size(); ++i) {
        if (config_.containers[i].name == s.name) {
            s.order = i;
            s.cores = config_.containers[i].cpu_cores.value_or(1.0);
        }
    }
    // Inserted at its place in catalogue order, so the rule and rolling_averages see a stable order.
    const auto at = std::upper_bound(series_.begin(), series_.end(), s.order,
                                     [](std::size_t order, const Series& x) { return order < x.order; });
    return *series_.insert(at, std::move(s));
}

void RollingWindow::push(const model::RunResult& run, const model::Sample& sample) {
    for (const auto& c : sample.containers) {
        if (c.missing) {
            continue;
        }
        Series& s = series_for(run, c.container);
        if (c.cpu_cores_effective && *c.cpu_cores_effective > 0) {
            s.cores = *c.cpu_cores_effective;
        }
        push_value(s.memory, c.memory_percent);
        if (c.cpu_percent) {
            push_value(s.cpu, *c.cpu_percent);
        }
    }
    if (sample.host && sample.host->cpu_percent_of_host) {
        push_value(host_cpu_, *sample.host->cpu_percent_of_host);
    }
    if (sample.pace && sample.pace->real_time_ratio) {
        push_value(rtr_, *sample.pace->real_time_ratio);
    }
    if (sample.pace && sample.pace->status_latency_ms) {
        push_value(latency_, *sample.pace->status_latency_ms);
    }
}

void RollingWindow::clear() {
    series_.clear();
    host_cpu_.clear();
    rtr_.clear();
    latency_.clear();
}

std::vector<model::RollingAverage> RollingWindow::rolling_averages() const {
    std::vector<model::RollingAverage> out;
    out.reserve(series_.size());
    for (const auto& s : series_) {
        out.push_back(
            {s.id, model::round_half_even(mean_of(s.memory), 2), model::round_half_even(mean_of(s.cpu), 2)});
    }
    return out;
}

analysis::StressWindow RollingWindow::values() const {
    analysis::StressWindow w;
    w.containers.reserve(series_.size());
    for (const auto& s : series_) {
        w.containers.push_back(
            {s.name, {s.memory.begin(), s.memory.end()}, {s.cpu.begin(), s.cpu.end()}, s.cores});
    }
    w.host_cpu_percent.assign(host_cpu_.begin(), host_cpu_.end());
    w.real_time_ratio.assign(rtr_.begin(), rtr_.end());
    w.status_latency_ms.assign(latency_.begin(), latency_.end());
    return w;
}

}  // namespace perfrunner::scenarios
