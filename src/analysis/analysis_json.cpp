#include "perfrunner/analysis/analysis.hpp"
#include "perfrunner/analysis/duration.hpp"
#include "perfrunner/analysis/json_numbers.hpp"

namespace perfrunner::analysis {

namespace {
using nlohmann::json;

json optional_long(const std::optional<long>& v) { return v ? json(*v) : json(nullptr); }

json finding_json(const Finding& f) {
    return {{"severity", to_string(f.severity)},
            {"category", f.category},
            {"container", f.container},
            {"message", f.message},
            {"metric_value", rounded(f.metric_value, 2)},
            {"threshold", rounded(f.threshold, 2)},
            {"scenario_name", f.scenario_name},
            {"recommendation", f.recommendation},
            {"check_name", f.check_name}};
}
}  // namespace

json analysis_json(const Analysis& a) {
    json out = json::object();
    json summaries = json::array();
    for (const auto& s : a.scenario_summaries) {
        json containers = json::object();
        for (const auto& c : s.containers) {
            const bool mem = c.memory_mb.n > 0;
            const bool cpu = c.cpu_percent.n > 0;
            containers[c.container] = {
                {"memory_mean_mb", mem ? rounded(c.memory_mb.mean, 1) : json(nullptr)},
                {"memory_max_mb", mem ? rounded(c.memory_mb.max, 1) : json(nullptr)},
                {"memory_p95_mb", mem ? rounded(c.memory_mb.p95, 1) : json(nullptr)},
                {"memory_limit_mb", rounded(c.memory_limit_mb, 1)},
                {"cpu_mean_percent", cpu ? rounded(c.cpu_percent.mean, 1) : json(nullptr)},
                {"cpu_max_percent", cpu ? rounded(c.cpu_percent.max, 1) : json(nullptr)},
                {"memory_slope_mb_per_min", rounded(c.memory_slope_mb_per_min, 3)},
                {"cpu_slope_percent_per_min", rounded(c.cpu_slope_percent_per_min, 3)}};
        }
        summaries.push_back({{"total_samples", s.total_samples},
                             {"containers_sampled", s.containers.size()},
                             {"containers", containers},
                             {"scenario_name", s.scenario_name}});
    }
    out["scenario_summaries"] = summaries;
    if (a.duration) {
        json leaks = json::object();
        for (const auto& l : a.duration->leaks) leaks[l.container] = leak_result_json(l);
        out["leak_detection"] = leaks;
        json cd = json::object();
        for (const auto& c : a.duration->cooldown) cd[c.container] = cooldown_result_json(c);
        out["cooldown"] = cd;
    }
    if (a.stress) {
        out["stress_summary"] = {{"trigger", a.stress->trigger},
                                 {"peak_values", a.stress->peak_values},
                                 {"drivers_queued", optional_long(a.stress->drivers_queued)},
                                 {"last_healthy", optional_long(a.stress->last_healthy)},
                                 {"breaking_point", optional_long(a.stress->breaking_point)},
                                 {"recommended_load", optional_long(a.stress->recommended_load)}};
    }
    if (a.speed) {
        json steps = json::array();
        for (const auto& s : a.speed->steps) {
            json cpu = json::object(), mem = json::object();
            for (const auto& [k, v] : s.mean_cpu_percent) cpu[k] = rounded(v, 1);
            for (const auto& [k, v] : s.mean_memory_percent) mem[k] = rounded(v, 1);
            steps.push_back({{"step", s.step},
                             {"multiplier", s.multiplier},
                             {"agent_count", s.agent_count},
                             {"sample_count", s.sample_count},
                             {"threshold_hit", s.threshold_hit},
                             {"trigger", s.trigger},
                             {"mean_cpu_percent", cpu},
                             {"mean_memory_percent", mem},
                             {"mean_real_time_ratio", rounded(s.mean_real_time_ratio, 3)}});
        }
        out["speed_summary"] = {{"steps", steps},
                                {"max_speed_passed", a.speed->max_speed_passed},
                                {"max_speed_achieved", a.speed->max_speed_achieved}};
    }
    return out;
}

json verdict_json(const Analysis& a) {
    json findings = json::array();
    for (const auto& f : a.findings) findings.push_back(finding_json(f));
    json health = json::array();
    for (const auto& h : a.container_health) {
        health.push_back({{"container_name", h.container_name},
                          {"display_name", h.display_name},
                          {"memory_current_mb", rounded(h.memory_current_mb, 1)},
                          {"memory_limit_mb", rounded(h.memory_limit_mb, 1)},
                          {"memory_percent", rounded(h.memory_percent, 1)},
                          {"memory_leak_rate_mb_per_min", rounded(h.memory_leak_rate_mb_per_min, 3)},
                          {"cpu_current_percent", rounded(h.cpu_current_percent, 1)},
                          {"cpu_peak_percent", rounded(h.cpu_peak_percent, 1)},
                          {"status", h.status}});
    }
    return {{"overall_status", to_string(a.verdict)},
            {"findings", findings},
            {"recommendations", a.recommendations},
            {"container_health", health},
            {"scenarios_passed", a.scenarios_passed},
            {"scenarios_failed", a.scenarios_failed},
            {"total_oom_events", a.total_oom_events},
            {"critical_count", a.critical_count},
            {"warning_count", a.warning_count}};
}

}  // namespace perfrunner::analysis
