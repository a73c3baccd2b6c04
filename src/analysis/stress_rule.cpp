#include "perfrunner/analysis/stress_rule.hpp"

#include <algorithm>
#include <numeric>

namespace perfrunner::analysis {

namespace {

double mean_of(const std::vector<double>& v) {
    return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

bool crosses(double value, double threshold, bool below) {
    return below ? value <= threshold : value >= threshold;
}

// Values at or over the threshold (at or under it for floors) among the last m.
int count_over(const std::vector<double>& v, double threshold, int m, bool below) {
    const std::size_t last = std::min(v.size(), static_cast<std::size_t>(std::max(m, 0)));
    return static_cast<int>(std::count_if(v.end() - static_cast<std::ptrdiff_t>(last), v.end(),
                                          [&](double x) { return crosses(x, threshold, below); }));
}

model::Trigger trigger_of(const std::string& container, const std::string& metric, double value,
                          double threshold, const std::vector<double>& values, const StressRuleSettings& s,
                          bool below, bool critical) {
    const model::BreachDetail detail{mean_of(values), count_over(values, threshold, s.m, below), s.k, s.m,
                                     critical};
    return model::Trigger{container, metric, value, threshold, detail, {}};
}

std::optional<model::Trigger> check(const std::string& container, const std::string& metric,
                                    const std::vector<double>& values, double threshold,
                                    const StressRuleSettings& s, bool below = false) {
    if (values.empty() || values.size() < s.min_values ||
        !window_breaches(values, threshold, s.rule, s.k, s.m, below)) {
        return std::nullopt;
    }
    return trigger_of(container, metric, mean_of(values), threshold, values, s, below, false);
}

}  // namespace

StressRuleSettings StressRuleSettings::rolling_mean(const config::Config& config, std::size_t window) {
    const auto& sc = config.scenarios;
    StressRuleSettings s;
    s.memory_threshold_percent = sc.stress_memory_threshold_percent;
    s.cpu_threshold_percent = sc.stress_cpu_threshold_percent;
    s.rule = BreachRule::window_mean;
    s.k = s.m = static_cast<int>(window);
    s.host_cpu_threshold_percent = sc.host_cpu_threshold_percent;
    s.rtr_floor = sc.stress_rtr_floor;
    s.min_values = window;
    s.simulation_container = analysis::simulation_container(config);
    return s;
}

StressRuleSettings StressRuleSettings::sustained(const config::Config& config) {
    const auto& sc = config.scenarios;
    StressRuleSettings s;
    s.memory_threshold_percent = sc.stress_memory_threshold_percent;
    s.cpu_threshold_percent = sc.stress_cpu_threshold_percent;
    s.rule = breach_rule_from(sc.stress_breach_rule);
    s.k = sc.stress_k;
    s.m = sc.stress_m;
    s.critical_memory_percent = sc.stress_critical_memory_percent;
    s.host_cpu_threshold_percent = sc.host_cpu_threshold_percent;
    s.rtr_floor = sc.stress_rtr_floor;
    s.min_values = 1;
    s.simulation_container = analysis::simulation_container(config);
    return s;
}

BreachRule breach_rule_from(const std::string& name) {
    if (name == "window_mean") {
        return BreachRule::window_mean;
    }
    if (name == "k_of_m") {
        return BreachRule::k_of_m;
    }
    if (name == "both") {
        return BreachRule::both;
    }
    return BreachRule::either;  // the documented default; config validation admits nothing else
}

std::string simulation_container(const config::Config& config) {
    for (const auto& c : config.containers) {
        if (c.name.find("simulation") != std::string::npos) {
            return c.name;
        }
    }
    return "rideshare-simulation";
}

bool window_breaches(const std::vector<double>& values, double threshold, BreachRule rule, int k, int m,
                     bool below) {
    if (values.empty()) {
        return false;
    }
    const bool mean_rule = crosses(mean_of(values), threshold, below);
    const bool k_rule = count_over(values, threshold, m, below) >= k;
    switch (rule) {
        case BreachRule::window_mean:
            return mean_rule;
        case BreachRule::k_of_m:
            return k_rule;
        case BreachRule::both:
            return mean_rule && k_rule;
        case BreachRule::either:
            break;
    }
    return mean_rule || k_rule;
}

std::optional<model::Trigger> critical_breach(const StressWindow& w, const StressRuleSettings& s) {
    if (!s.critical_memory_percent) {
        return std::nullopt;
    }
    const double critical = *s.critical_memory_percent;
    for (const auto& c : w.containers) {
        for (const double v : c.memory_percent) {
            if (v >= critical) {
                return trigger_of(c.container, "memory", v, critical, c.memory_percent, s, false, true);
            }
        }
    }
    return std::nullopt;
}

std::optional<model::Trigger> evaluate_window(const StressWindow& w, const StressRuleSettings& s) {
    if (auto t = critical_breach(w, s)) {
        return t;
    }
    for (const auto& c : w.containers) {
        if (auto t = check(c.container, "memory", c.memory_percent, s.memory_threshold_percent, s)) {
            return t;
        }
        const double cores = c.cpu_cores > 0 ? c.cpu_cores : 1.0;
        if (auto t = check(c.container, "cpu", c.cpu_percent, s.cpu_threshold_percent * cores, s)) {
            return t;
        }
    }
    if (s.host_cpu_threshold_percent > 0) {
        if (auto t = check("host", "cpu", w.host_cpu_percent, s.host_cpu_threshold_percent, s)) {
            return t;
        }
    }
    if (s.rtr_floor > 0) {
        if (auto t =
                check(s.simulation_container, "rtr", w.real_time_ratio, s.rtr_floor, s, /*below=*/true)) {
            return t;
        }
    }
    if (s.latency_limit_ms > 0) {
        if (auto t = check(s.simulation_container, "latency", w.status_latency_ms, s.latency_limit_ms, s)) {
            return t;
        }
    }
    return std::nullopt;
}

std::optional<long> next_bisection_probe(long last_healthy, long breaking_point, long resolution,
                                         long granularity) {
    granularity = std::max(granularity, 1L);
    if (breaking_point - last_healthy <= std::max(resolution, 0L)) {
        return std::nullopt;
    }
    long mid = last_healthy + (breaking_point - last_healthy) / 2;
    mid = (mid / granularity) * granularity;
    if (mid <= last_healthy) {
        mid = ((last_healthy / granularity) + 1) * granularity;
    }
    if (mid >= breaking_point) {
        return std::nullopt;
    }
    return mid;
}

}  // namespace perfrunner::analysis
