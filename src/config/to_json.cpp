// Config -> JSON with the reference key names (the shape of config/perfrunner.json).
#include "perfrunner/config/config.hpp"

namespace perfrunner::config {

nlohmann::json to_json(const Config& c, bool redact_api_key) {
    nlohmann::json j;
    j["api"] = {
        {"base_url", c.api.base_url},
        {"api_key", redact_api_key && !c.api.api_key.empty() ? std::string("***") : c.api.api_key},
        {"timeout", c.api.timeout},
        {"health_timeout", c.api.health_timeout},
        {"connect_timeout", c.api.connect_timeout},
        {"max_retries", c.api.max_retries},
        {"api_wait_seconds", c.api.api_wait_seconds},
    };
    j["docker"] = {
        {"cadvisor_url", c.docker.cadvisor_url},
        {"cadvisor_timeout", c.docker.cadvisor_timeout},
        {"compose_file", c.docker.compose_file},
        {"profiles", c.docker.profiles},
        {"project_name", c.docker.project_name},
        {"compose_command", c.docker.compose_command},
        {"health_timeout_seconds", c.docker.health_timeout_seconds},
        {"command_timeout_seconds", c.docker.command_timeout_seconds},
    };
    j["sampling"] = {
        {"interval_seconds", c.sampling.interval_seconds},
        {"drain_interval_seconds", c.sampling.drain_interval_seconds},
        {"cooldown_interval_seconds", c.sampling.cooldown_interval_seconds},
        {"warmup_seconds", c.sampling.warmup_seconds},
        {"settle_seconds", c.sampling.settle_seconds},
        {"min_samples", c.sampling.min_samples},
        {"checkpoint_every_samples", c.sampling.checkpoint_every_samples},
    };
    const auto& s = c.scenarios;
    j["scenarios"] = {
        {"duration_active_minutes", s.duration_active_minutes},
        {"duration_cooldown_minutes", s.duration_cooldown_minutes},
        {"duration_drain_timeout_seconds", s.duration_drain_timeout_seconds},
        {"baseline_duration_seconds", s.baseline_duration_seconds},
        {"stress_cpu_threshold_percent", s.stress_cpu_threshold_percent},
        {"stress_memory_threshold_percent", s.stress_memory_threshold_percent},
        {"stress_rolling_window_seconds", s.stress_rolling_window_seconds},
        {"stress_spawn_batch_size", s.stress_spawn_batch_size},
        {"stress_spawn_interval_seconds", s.stress_spawn_interval_seconds},
        {"stress_max_duration_minutes", s.stress_max_duration_minutes},
        {"speed_scaling_step_duration_minutes", s.speed_scaling_step_duration_minutes},
        {"speed_scaling_max_multiplier", s.speed_scaling_max_multiplier},
        {"stress_rtr_floor", s.stress_rtr_floor},
        {"host_cpu_threshold_percent", s.host_cpu_threshold_percent},
        {"spawn_wait_timeout_seconds", s.spawn_wait_timeout_seconds},
        {"stress_settle_seconds", s.stress_settle_seconds},
        {"stress_window_samples", s.stress_window_samples},
        {"stress_k", s.stress_k},
        {"stress_m", s.stress_m},
        {"stress_breach_rule", s.stress_breach_rule},
        {"stress_critical_memory_percent", s.stress_critical_memory_percent},
        {"stress_mode", s.stress_mode},
        {"stress_refine", s.stress_refine},
        {"stress_refine_resolution", s.stress_refine_resolution},
        {"speed_scaling_settle_seconds", s.speed_scaling_settle_seconds},
    };
    const auto& t = c.thresholds;
    nlohmann::json overrides = nlohmann::json::object();
    for (const auto& [name, o] : t.container_overrides) {
        nlohmann::json oj = nlohmann::json::object();
        auto put = [&oj](const char* key, const std::optional<double>& v) {
            if (v) {
                oj[key] = *v;
            }
        };
        put("memory_leak_mb_per_min", o.memory_leak_mb_per_min);
        put("memory_warning_percent", o.memory_warning_percent);
        put("memory_critical_percent", o.memory_critical_percent);
        put("cpu_leak_percent_per_min", o.cpu_leak_percent_per_min);
        put("cpu_warning_percent", o.cpu_warning_percent);
        put("cpu_critical_percent", o.cpu_critical_percent);
        overrides[name] = std::move(oj);
    }
    j["thresholds"] = {
        {"memory_leak_mb_per_min", t.memory_leak_mb_per_min},
        {"memory_leak_monitor_mb_per_min", t.memory_leak_monitor_mb_per_min},
        {"memory_warning_percent", t.memory_warning_percent},
        {"memory_critical_percent", t.memory_critical_percent},
        {"cpu_leak_percent_per_min", t.cpu_leak_percent_per_min},
        {"cpu_warning_percent", t.cpu_warning_percent},
        {"cpu_critical_percent", t.cpu_critical_percent},
        {"container_overrides", std::move(overrides)},
    };
    const auto& a = c.analysis;
    j["analysis"] = {
        {"focus_containers", a.focus_containers},
        {"max_containers_per_chart", a.max_containers_per_chart},
        {"priority_containers", a.priority_containers},
        {"leak_warmup_seconds", a.leak_warmup_seconds},
        {"leak_alpha", a.leak_alpha},
        {"leak_min_samples", a.leak_min_samples},
        {"leak_min_neff", a.leak_min_neff},
        {"leak_min_windows", a.leak_min_windows},
        {"leak_envelope_window_seconds", a.leak_envelope_window_seconds},
        {"cooldown_active_window_seconds", a.cooldown_active_window_seconds},
        {"cooldown_window_seconds", a.cooldown_window_seconds},
        {"chart_max_points", a.chart_max_points},
    };
    j["output"] = {{"output_dir", c.output.output_dir}, {"png", c.output.png}};
    nlohmann::json containers = nlohmann::json::array();
    for (const auto& spec : c.containers) {
        nlohmann::json cj = {
            {"name", spec.name}, {"display_name", spec.display_name}, {"profile", spec.profile}};
        if (spec.cpu_cores) {
            cj["cpu_cores"] = *spec.cpu_cores;
        }
        if (spec.gc_window_seconds) {
            cj["gc_window_seconds"] = *spec.gc_window_seconds;
        }
        containers.push_back(std::move(cj));
    }
    j["containers"] = std::move(containers);
    return j;
}

}  // namespace perfrunner::config
