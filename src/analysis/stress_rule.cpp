#include "perfrunner/analysis/stress_rule.hpp"

#include <algorithm>

#include "perfrunner/analysis/json_numbers.hpp"

namespace perfrunner::analysis {

namespace {

double mean_of(const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return v.empty() ? 0.0 : s / static_cast<double>(v.size());
}

int count_over(const std::vector<double>& v, double threshold, int m, bool below) {
    int c = 0;
    const std::size_t from = v.size() > static_cast<std::size_t>(std::max(m, 0)) ? v.size() - static_cast<std::size_t>(m) : 0;
    for (std::size_t i = from; i < v.size(); ++i) {
        if (below ? v[i] <= threshold : v[i] >= threshold) ++c;
    }
    return c;
}

std::optional<Trigger> check(const std::string& container, const std::string& metric, const std::vector<double>& v,
                             double threshold, const StressRuleSettings& s, bool below = false) {
    if (v.empty() || !window_breaches(v, threshold, s.breach_rule, s.k, s.m, below)) return std::nullopt;
    Trigger t;
    t.container = container;
    t.metric = metric;
    t.window_mean = mean_of(v);
    t.value = t.window_mean;
    t.threshold = threshold;
    t.samples_over = count_over(v, threshold, s.m, below);
    t.k = s.k;
    t.m = s.m;
    return t;
}

}  // namespace

StressRuleSettings StressRuleSettings::from(const config::Config& config) {
    const auto& sc = config.scenarios;
    StressRuleSettings s;
    if (sc.stress_memory_threshold_percent > 0) s.memory_threshold_percent = sc.stress_memory_threshold_percent;
    if (sc.stress_cpu_threshold_percent > 0) s.cpu_threshold_percent = sc.stress_cpu_threshold_percent;
    if (!sc.stress_breach_rule.empty()) s.breach_rule = sc.stress_breach_rule;
    if (sc.stress_k > 0) s.k = sc.stress_k;
    if (sc.stress_m > 0) s.m = sc.stress_m;
    if (sc.stress_critical_memory_percent > 0) s.critical_memory_percent = sc.stress_critical_memory_percent;
    s.rtr_floor = std::max(sc.stress_rtr_floor, 0.0);
    s.host_cpu_threshold_percent = std::max(sc.host_cpu_threshold_percent, 0.0);
    return s;
}

nlohmann::json Trigger::to_json() const {
    return {{"container", container}, {"metric", metric},          {"value", rounded(value, 2)},
            {"threshold", rounded(threshold, 2)}, {"window_mean", rounded(window_mean, 2)},
            {"samples_over", samples_over},   {"k", k},                    {"m", m},
            {"critical", critical}};
}

bool window_breaches(const std::vector<double>& values, double threshold, const std::string& rule, int k, int m,
                     bool below) {
    if (values.empty()) return false;
    const double mean = mean_of(values);
    const bool mean_rule = below ? mean <= threshold : mean >= threshold;
    const bool k_rule = count_over(values, threshold, m, below) >= k;
    if (rule == "window_mean") return mean_rule;
    if (rule == "k_of_m") return k_rule;
    if (rule == "both") return mean_rule && k_rule;
    return mean_rule || k_rule;  // "either" (default)
}

std::optional<Trigger> critical_breach(const StressWindow& w, const StressRuleSettings& s) {
    for (const auto& c : w.containers) {
        for (double v : c.memory_percent) {
            if (v >= s.critical_memory_percent) {
                Trigger t;
                t.container = c.container;
                t.metric = "memory";
                t.value = v;
                t.threshold = s.critical_memory_percent;
                t.window_mean = mean_of(c.memory_percent);
                t.samples_over = count_over(c.memory_percent, s.critical_memory_percent, s.m, false);
                t.k = s.k;
                t.m = s.m;
                t.critical = true;
                return t;
            }
        }
    }
    return std::nullopt;
}

std::optional<Trigger> evaluate_window(const StressWindow& w, const StressRuleSettings& s) {
    if (auto t = critical_breach(w, s)) return t;
    for (const auto& c : w.containers) {
        if (auto t = check(c.container, "memory", c.memory_percent, s.memory_threshold_percent, s)) return t;
        const double cores = c.cpu_cores > 0 ? c.cpu_cores : 1.0;
        if (auto t = check(c.container, "cpu", c.cpu_percent, s.cpu_threshold_percent * cores, s)) return t;
    }
    if (s.rtr_floor > 0) {
        if (auto t = check("simulation", "rtr", w.real_time_ratio, s.rtr_floor, s, true)) return t;
    }
    if (s.host_cpu_threshold_percent > 0) {
        if (auto t = check("host", "cpu", w.host_cpu_percent, s.host_cpu_threshold_percent, s)) return t;
    }
    return std::nullopt;
}

std::optional<Trigger> rolling_mean_check(const StressWindow& w, int samples, const StressRuleSettings& s) {
    const auto n = static_cast<std::size_t>(std::max(samples, 1));
    const auto last_mean = [&](const std::vector<double>& v) -> std::optional<double> {
        if (v.size() < n) return std::nullopt;
        double sum = 0;
        for (std::size_t i = v.size() - n; i < v.size(); ++i) sum += v[i];
        return sum / static_cast<double>(n);
    };
    const auto make = [&](const std::string& container, const char* metric, double mean, double threshold) {
        Trigger t;
        t.container = container;
        t.metric = metric;
        t.value = mean;
        t.window_mean = mean;
        t.threshold = threshold;
        t.k = static_cast<int>(n);
        t.m = static_cast<int>(n);
        return t;
    };
    for (const auto& c : w.containers) {
        if (auto mean = last_mean(c.memory_percent); mean && *mean >= s.memory_threshold_percent) {
            auto t = make(c.container, "memory", *mean, s.memory_threshold_percent);
            t.samples_over = count_over(c.memory_percent, s.memory_threshold_percent, static_cast<int>(n), false);
            return t;
        }
        const double threshold = s.cpu_threshold_percent * (c.cpu_cores > 0 ? c.cpu_cores : 1.0);
        if (auto mean = last_mean(c.cpu_percent); mean && *mean >= threshold) {
            auto t = make(c.container, "cpu", *mean, threshold);
            t.samples_over = count_over(c.cpu_percent, threshold, static_cast<int>(n), false);
            return t;
        }
    }
    return std::nullopt;
}

std::optional<long> next_bisection_probe(long last_healthy, long breaking_point, long resolution, long granularity) {
    if (granularity < 1) granularity = 1;
    if (breaking_point - last_healthy <= std::max(resolution, 0L)) return std::nullopt;
    long mid = last_healthy + (breaking_point - last_healthy) / 2;
    mid = (mid / granularity) * granularity;
    if (mid <= last_healthy) mid = ((last_healthy / granularity) + 1) * granularity;
    if (mid >= breaking_point) return std::nullopt;
    return mid;
}

}  // namespace perfrunner::analysis
