#include "results_key_order.hpp"

namespace perfrunner::model::detail {

const KeyOrders& results_key_order() {
    static const KeyOrders table = {
        {"config", {{"api", "docker", "sampling", "scenarios"}, {}}},
        {"config.api", {{"base_url"}, {}}},
        {"config.docker", {{"compose_file", "profiles"}, {}}},
        {"config.sampling", {{"interval_seconds", "warmup_seconds"}, {}}},
        {"config.scenarios",
         {{"duration_active_minutes", "duration_cooldown_minutes", "duration_drain_timeout_seconds",
           "stress_cpu_threshold_percent", "stress_memory_threshold_percent",
           "speed_scaling_step_duration_minutes", "speed_scaling_max_multiplier"},
          {}}},
        {"params.stress_test",
         {{"cpu_threshold_percent", "memory_threshold_percent", "rolling_window_seconds",
           "rolling_window_samples", "spawn_batch_size", "spawn_interval_seconds", "max_duration_minutes"},
          {}}},
        {"params.duration_leak",
         {{"active_minutes", "cooldown_minutes", "drain_timeout_seconds", "drivers", "riders",
           "agent_count_source"},
          {}}},
        {"params.speed_scaling",
         {{"base_agent_count", "step_duration_minutes", "max_multiplier", "agent_count_source"}, {}}},
        {"derived_config", {{"duration_agent_count", "stress_drivers_queued"}, {}}},
        {"analysis", {{"scenario_summaries"}, {}}},
        {"analysis.scenario_summaries[]",
         {{"total_samples", "containers_sampled", "containers", "scenario_name"}, {}}},
        {"analysis.scenario_summaries[].containers", {{}, "summary"}},
        {"summary",
         {{"memory_mean_mb", "memory_max_mb", "memory_p95_mb", "memory_limit_mb", "cpu_mean_percent",
           "cpu_max_percent", "memory_slope_mb_per_min", "cpu_slope_percent_per_min"},
          {}}},
        {"oom_event",
         {{"container_name", "timestamp", "timestamp_iso", "previous_restart_count", "current_restart_count"},
          {}}},
    };
    return table;
}

}  // namespace perfrunner::model::detail
