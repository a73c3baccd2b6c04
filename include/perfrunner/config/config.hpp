#pragma once
// perfrunner's configuration. Sections and keys keep the reference framework's names (reference-framework.md §2);
// new settings follow the same style. Every default lives in config/perfrunner.json, which is embedded in the
// binary and is layer 0 of: built-in defaults <- config file <- environment <- --set key.path=value.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace perfrunner::config {

struct ApiConfig {
    std::string base_url;         // api.base_url
    std::string api_key;          // api.api_key (env PERFRUNNER_API_KEY); never logged or written
    double timeout = 0;           // api.timeout, seconds, every API call
    double health_timeout = 0;    // api.health_timeout, seconds, GET /health
    double connect_timeout = 0;   // api.connect_timeout, seconds
    int max_retries = 0;          // api.max_retries, idempotent requests and 429s
    double api_wait_seconds = 0;  // api.api_wait_seconds: how long setup waits for /health + status
};

struct DockerConfig {
    std::string cadvisor_url;                  // docker.cadvisor_url
    double cadvisor_timeout = 0;               // docker.cadvisor_timeout, seconds
    std::string compose_file;                  // docker.compose_file
    std::vector<std::string> profiles;         // docker.profiles
    std::string project_name;                  // docker.project_name ("" = compose's default)
    std::vector<std::string> compose_command;  // docker.compose_command ([] = auto: "docker compose", then "docker-compose")
    double health_timeout_seconds = 0;         // docker.health_timeout_seconds (reference: none)
    double command_timeout_seconds = 0;        // docker.command_timeout_seconds, every docker call
};

struct SamplingConfig {
    double interval_seconds = 0;           // sampling.interval_seconds
    double drain_interval_seconds = 0;     // sampling.drain_interval_seconds
    double cooldown_interval_seconds = 0;  // sampling.cooldown_interval_seconds
    double warmup_seconds = 0;             // sampling.warmup_seconds
    double settle_seconds = 0;             // sampling.settle_seconds
    int min_samples = 0;                   // sampling.min_samples
    int checkpoint_every_samples = 0;      // sampling.checkpoint_every_samples
};

struct ScenariosConfig {
    double duration_active_minutes = 0;
    double duration_cooldown_minutes = 0;
    double duration_drain_timeout_seconds = 0;
    double baseline_duration_seconds = 0;
    double stress_cpu_threshold_percent = 0;     // of the container's effective cores
    double stress_memory_threshold_percent = 0;  // of the memory limit
    double stress_rolling_window_seconds = 0;
    int stress_spawn_batch_size = 0;
    double stress_spawn_interval_seconds = 0;
    double stress_max_duration_minutes = 0;
    double speed_scaling_step_duration_minutes = 0;
    int speed_scaling_max_multiplier = 0;
    // perfrunner additions
    double stress_rtr_floor = 0;                 // rolling real-time ratio below this is a threshold hit (metric "rtr")
    double host_cpu_threshold_percent = 0;       // host CPU (% of all cores) at or above this is a hit (container "host")
    double spawn_wait_timeout_seconds = 0;       // minimum spawn wait; grows with queued agents
    double stress_settle_seconds = 0;            // after the spawn queue drained (statistics.md §10.1)
    int stress_window_samples = 0;               // W
    int stress_k = 0;                            // k of the last m samples
    int stress_m = 0;
    std::string stress_breach_rule;              // "either" | "window_mean" | "k_of_m" | "both"
    double stress_critical_memory_percent = 0;   // immediate stop
    std::string stress_mode;                     // "ramp" (reference) | "step" (statistics.md §10.1)
    bool stress_refine = false;                  // bisection between last healthy and breaking point
    int stress_refine_resolution = 0;            // agents
    double speed_scaling_settle_seconds = 0;
};

struct ThresholdOverride {  // thresholds.container_overrides.<container>.<key>
    std::optional<double> memory_leak_mb_per_min;
    std::optional<double> memory_warning_percent;
    std::optional<double> memory_critical_percent;
    std::optional<double> cpu_leak_percent_per_min;
    std::optional<double> cpu_warning_percent;
    std::optional<double> cpu_critical_percent;
};

struct ThresholdsConfig {
    double memory_leak_mb_per_min = 0;          // T_fail
    double memory_leak_monitor_mb_per_min = 0;  // T_monitor
    double memory_warning_percent = 0;
    double memory_critical_percent = 0;
    double cpu_leak_percent_per_min = 0;
    double cpu_warning_percent = 0;   // of the container's effective cores
    double cpu_critical_percent = 0;  // of the container's effective cores
    std::map<std::string, ThresholdOverride> container_overrides;
};

struct AnalysisConfig {
    std::vector<std::string> focus_containers;     // [] = all
    int max_containers_per_chart = 0;
    std::vector<std::string> priority_containers;
    double leak_warmup_seconds = 0;
    double leak_alpha = 0;
    int leak_min_samples = 0;
    double leak_min_neff = 0;
    int leak_min_windows = 0;
    double leak_envelope_window_seconds = 0;       // default; per container in ContainerSpec::gc_window_seconds
    double cooldown_active_window_seconds = 0;     // statistics.md §9 W_a
    double cooldown_window_seconds = 0;            // statistics.md §9 W_c
    int chart_max_points = 0;                      // display downsampling (LTTB); results.json keeps raw data
};

struct OutputConfig {
    std::string output_dir;  // output.output_dir; run dir = <output_dir>/<YYYYmmdd_HHMMSS>
    std::string png;         // output.png: "auto" | "always" | "never"
};

// One entry of the container catalogue (reference CONTAINER_CONFIG + CONTAINER_CPU_CORES).
struct ContainerSpec {
    std::string name;          // e.g. "rideshare-simulation"
    std::string display_name;  // e.g. "Simulation"
    std::string profile;       // compose profile
    std::optional<double> cpu_cores;          // effective cores override
    std::optional<double> gc_window_seconds;  // lower-envelope window for leak analysis
};

struct Config {
    ApiConfig api;
    DockerConfig docker;
    SamplingConfig sampling;
    ScenariosConfig scenarios;
    ThresholdsConfig thresholds;
    AnalysisConfig analysis;
    OutputConfig output;
    std::vector<ContainerSpec> containers;

    const ContainerSpec* find_container(const std::string& name) const;
    // Display name from the catalogue, else strip "rideshare-" and title-case.
    std::string display_name(const std::string& container) const;
    // Catalogue entries whose profile is active (docker.profiles).
    std::vector<const ContainerSpec*> expected_containers() const;
};

struct LoadOptions {
    std::optional<std::string> config_file;    // --config FILE
    std::vector<std::string> set_overrides;    // --set key.path=value, in order
    bool read_environment = true;              // PERFRUNNER_API_KEY, PERFRUNNER_API_URL, PERFRUNNER_CADVISOR_URL
};

// Builds the effective config. Throws ConfigError with one line naming the key path, the value and what is
// expected (unknown key, wrong type, negative duration, percentage outside (0, 100], ...).
Config load(const LoadOptions& options);

// The built-in defaults (the embedded config/perfrunner.json).
Config defaults();

// The effective config as JSON with the reference key names. The API key is replaced by "***" when redact.
nlohmann::json to_json(const Config& config, bool redact_api_key = true);

}  // namespace perfrunner::config
