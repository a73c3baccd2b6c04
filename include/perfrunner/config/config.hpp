#pragma once
// perfrunner's configuration as typed structs. Each member's key, type, allowed values and meaning are in the
// key table (fields.hpp, src/config/fields.cpp; `perfrunner config --keys` prints it). Every default lives in
// config/perfrunner.json, which is embedded in the binary and is layer 0 of:
//   built-in defaults <- config file <- environment <- --set key.path=value.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace perfrunner::config {

struct ApiConfig {
    std::string base_url;
    std::string api_key;  // secret: never logged or written
    double timeout = 0;
    double health_timeout = 0;
    double connect_timeout = 0;
    int max_retries = 0;
    double api_wait_seconds = 0;
};

struct DockerConfig {
    std::string cadvisor_url;
    double cadvisor_timeout = 0;
    std::string compose_file;
    std::vector<std::string> profiles;
    std::string project_name;
    std::vector<std::string> compose_command;
    double health_timeout_seconds = 0;
    double command_timeout_seconds = 0;
    // Several Docker hosts (config/docker_hosts.hpp reads them): "NAME=ENDPOINT" each, [] = the one engine.
    std::vector<std::string> hosts;
    std::vector<std::string> host_cadvisor_urls;  // "NAME=URL": each host's cAdvisor (source "cadvisor")
};

// Where per-container CPU and memory come from (issue 13): cAdvisor's REST API (docker.cadvisor_url), or a
// Prometheus that scrapes cAdvisor (Docker) or the kubelet (Kubernetes).
struct MetricsConfig {
    std::string source;  // "cadvisor" | "prometheus"
    std::string prometheus_url;
    double prometheus_timeout = 0;
    std::string labels;              // "docker" | "kubernetes": which labels name a container
    std::string host_label;          // the target label that names the host ("instance", "node", ...)
    double rate_window_seconds = 0;  // 0 = 4 x the longest scrape interval
};

struct SamplingConfig {
    double interval_seconds = 0;
    double drain_interval_seconds = 0;
    double cooldown_interval_seconds = 0;
    double warmup_seconds = 0;
    double settle_seconds = 0;
    int min_samples = 0;
    int checkpoint_every_samples = 0;
};

struct ScenariosConfig {
    double duration_active_minutes = 0;
    double duration_cooldown_minutes = 0;
    double duration_drain_timeout_seconds = 0;
    double baseline_duration_seconds = 0;
    double stress_cpu_threshold_percent = 0;
    double stress_memory_threshold_percent = 0;
    double stress_rolling_window_seconds = 0;
    int stress_spawn_batch_size = 0;
    double stress_spawn_interval_seconds = 0;
    double stress_max_duration_minutes = 0;
    double speed_scaling_step_duration_minutes = 0;
    int speed_scaling_max_multiplier = 0;
    // perfrunner additions
    double stress_rtr_floor = 0;
    double host_cpu_threshold_percent = 0;
    double spawn_wait_timeout_seconds = 0;
    double stress_settle_seconds = 0;
    int stress_window_samples = 0;
    int stress_k = 0;
    int stress_m = 0;
    std::string stress_breach_rule;
    double stress_critical_memory_percent = 0;
    std::string stress_mode;
    bool stress_refine = false;
    int stress_refine_resolution = 0;
    int stress_max_step_batches = 0;
    double speed_scaling_settle_seconds = 0;
    bool stress_baseline_triggers = false;
};

// Per-container thresholds: a set member replaces the section's value for that container.
struct ThresholdOverride {
    std::optional<double> memory_leak_mb_per_min;
    std::optional<double> memory_warning_percent;
    std::optional<double> memory_critical_percent;
    std::optional<double> cpu_leak_percent_per_min;
    std::optional<double> cpu_warning_percent;
    std::optional<double> cpu_critical_percent;
};

struct ThresholdsConfig {
    double memory_leak_mb_per_min = 0;
    double memory_leak_monitor_mb_per_min = 0;
    double memory_warning_percent = 0;
    double memory_critical_percent = 0;
    double cpu_leak_percent_per_min = 0;
    double cpu_warning_percent = 0;
    double cpu_critical_percent = 0;
    std::map<std::string, ThresholdOverride> container_overrides;
};

struct AnalysisConfig {
    std::vector<std::string> focus_containers;
    int max_containers_per_chart = 0;
    std::vector<std::string> priority_containers;
    double leak_warmup_seconds = 0;
    double leak_alpha = 0;
    int leak_min_samples = 0;
    double leak_min_neff = 0;
    int leak_min_windows = 0;
    double leak_envelope_window_seconds = 0;
    double cooldown_active_window_seconds = 0;
    double cooldown_window_seconds = 0;
    int chart_max_points = 0;
};

// `perfrunner compare`: when a change between two runs is a regression (significant after Holm, worse, and
// beyond both the relative tolerance and the absolute floor of its metric).
struct CompareConfig {
    double alpha = 0;
    double cpu_tolerance_percent = 0;
    double cpu_floor_percent = 0;
    double memory_tolerance_percent = 0;
    double memory_floor_mb = 0;
    double throughput_tolerance_percent = 0;
    double throughput_floor = 0;
    double latency_tolerance_percent = 0;
    double latency_floor_ms = 0;
    double rtr_tolerance_percent = 0;
    double rtr_floor = 0;
    double capacity_tolerance_percent = 0;
};

struct OutputConfig {
    std::string output_dir;
    std::string png;
};

// One entry of the container catalogue (reference CONTAINER_CONFIG + CONTAINER_CPU_CORES).
struct ContainerSpec {
    std::string name;
    std::string display_name;
    std::string profile;
    std::optional<double> cpu_cores;
    std::optional<double> gc_window_seconds;
    std::string host;  // the docker.hosts entry it runs on ("" = the first)
};

struct Config {
    ApiConfig api;
    DockerConfig docker;
    MetricsConfig metrics;
    SamplingConfig sampling;
    ScenariosConfig scenarios;
    ThresholdsConfig thresholds;
    AnalysisConfig analysis;
    CompareConfig compare;
    OutputConfig output;
    std::vector<ContainerSpec> containers;

    const ContainerSpec* find_container(const std::string& name) const;
    // Display name from the catalogue, else strip "rideshare-" and title-case.
    std::string display_name(const std::string& container) const;
    // Catalogue entries whose profile is active (docker.profiles).
    std::vector<const ContainerSpec*> expected_containers() const;
};

struct LoadOptions {
    std::optional<std::string> config_file;  // --config FILE
    std::vector<std::string> set_overrides;  // --set key.path=value, in order
    bool read_environment = true;            // the variables named in the key table (PERFRUNNER_*)
};

// Builds the effective config. Throws ConfigError with one line naming the key path, the value (a secret as
// "***") and what is expected (unknown key, wrong type, value out of range, ...).
Config load(const LoadOptions& options);

// The built-in defaults (the embedded config/perfrunner.json).
Config defaults();

// The effective config as JSON with the reference key names, itself a valid config file. When `redact`, every
// secret (the API key, any key/secret/token/password-like key, credentials in URLs) is replaced by "***".
nlohmann::json to_json(const Config& config, bool redact = true);

}  // namespace perfrunner::config
