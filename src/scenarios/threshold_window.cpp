#include "perfrunner/scenarios/threshold_window.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace perfrunner::scenarios {

double mean_of(const std::deque<double>& values) {
    if (values.empty()) return 0.0;
    return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

double round_to(double value, int decimals) {
    const double f = std::pow(10.0, decimals);
    return std::nearbyint(value * f) / f;
}

model::Trigger Trigger::recorded(bool round_threshold) const {
    return model::Trigger{container, metric, round_to(value, 2), round_threshold ? round_to(threshold, 2) : threshold,
                          std::nullopt, {}};
}

ThresholdWindow::ThresholdWindow(const config::Config& config, std::size_t window_samples)
    : config_(config), window_(std::max<std::size_t>(1, window_samples)) {}

std::string ThresholdWindow::simulation_container(const config::Config& config) {
    for (const auto& c : config.containers) {
        if (c.name.find("simulation") != std::string::npos) return c.name;
    }
    return "rideshare-simulation";
}

void ThresholdWindow::push_value(std::deque<double>& d, double v) const {
    d.push_back(v);
    while (d.size() > window_) d.pop_front();
}

ThresholdWindow::Series& ThresholdWindow::series_for(const model::RunResult& run, model::ContainerId id) {
    for (auto& s : series_) {
        if (s.id == id) return s;
    }
    Series s;
    s.id = id;
    s.name = run.container_name(id);
    s.order = config_.containers.size() + series_.size();
    for (std::size_t i = 0; i < config_.containers.size(); ++i) {
        if (config_.containers[i].name == s.name) {
            s.order = i;
            if (config_.containers[i].cpu_cores) s.cores = *config_.containers[i].cpu_cores;
        }
    }
    series_.push_back(std::move(s));
    // Keep catalogue order so checks and rolling_averages are deterministic.
    std::stable_sort(series_.begin(), series_.end(), [](const Series& a, const Series& b) { return a.order < b.order; });
    for (auto& x : series_) {
        if (x.id == id) return x;
    }
    return series_.back();  // unreachable
}

void ThresholdWindow::push(const model::RunResult& run, const model::Sample& sample) {
    for (const auto& c : sample.containers) {
        if (c.missing) continue;
        Series& s = series_for(run, c.container);
        if (c.cpu_cores_effective && *c.cpu_cores_effective > 0) s.cores = *c.cpu_cores_effective;
        push_value(s.memory, c.memory_percent);
        if (c.cpu_percent) push_value(s.cpu, *c.cpu_percent);
    }
    if (sample.host && sample.host->cpu_percent_of_host) push_value(host_cpu_, *sample.host->cpu_percent_of_host);
    if (sample.pace && sample.pace->real_time_ratio) push_value(rtr_, *sample.pace->real_time_ratio);
}

void ThresholdWindow::clear() {
    series_.clear();
    host_cpu_.clear();
    rtr_.clear();
}

std::vector<model::RollingAverage> ThresholdWindow::rolling_averages() const {
    std::vector<model::RollingAverage> out;
    for (const auto& s : series_) {
        model::RollingAverage r;
        r.container = s.id;
        r.memory_percent = round_to(mean_of(s.memory), 2);
        r.cpu_percent = round_to(mean_of(s.cpu), 2);
        out.push_back(r);
    }
    return out;
}

std::optional<double> ThresholdWindow::mean_rtr() const {
    if (rtr_.empty()) return std::nullopt;
    return mean_of(rtr_);
}

std::optional<Trigger> ThresholdWindow::check() const {
    const auto& sc = config_.scenarios;
    for (const auto& s : series_) {
        if (s.memory.size() >= window_ && sc.stress_memory_threshold_percent > 0) {
            const double m = mean_of(s.memory);
            if (m >= sc.stress_memory_threshold_percent) {
                return Trigger{s.name, "memory", m, sc.stress_memory_threshold_percent};
            }
        }
        if (s.cpu.size() >= window_ && sc.stress_cpu_threshold_percent > 0) {
            const double m = mean_of(s.cpu);
            const double threshold = sc.stress_cpu_threshold_percent * s.cores;
            if (m >= threshold) return Trigger{s.name, "cpu", m, threshold};
        }
    }
    if (host_cpu_.size() >= window_ && sc.host_cpu_threshold_percent > 0) {
        const double m = mean_of(host_cpu_);
        if (m >= sc.host_cpu_threshold_percent) return Trigger{"host", "cpu", m, sc.host_cpu_threshold_percent};
    }
    if (rtr_.size() >= window_ && sc.stress_rtr_floor > 0) {
        const double m = mean_of(rtr_);
        if (m < sc.stress_rtr_floor) return Trigger{simulation_container(config_), "rtr", m, sc.stress_rtr_floor};
    }
    return std::nullopt;
}

}  // namespace perfrunner::scenarios
