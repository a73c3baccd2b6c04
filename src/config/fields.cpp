// The config key tables: the one place where a key is spelled, typed, bounded and documented.
//
// Upper bounds (issue 11, defect 8: 1e10 s made every docker call time out at once, 1e300 removed the HTTP
// timeout). Every timeout and duration has one, chosen so that any sane run fits and the value converts to
// milliseconds without overflow:
//   one request (HTTP, cAdvisor) and one sampling interval ..... at most 1 hour
//   one wait (docker command, healthy containers, API ready) ... at most 1 day
//   one phase of a scenario (active, cooldown, stress, step) ... at most 1 week (soak runs last days)
#include "perfrunner/config/fields.hpp"

#include <array>
#include <limits>

namespace perfrunner::config {
namespace {

constexpr double kHour = 3600;
constexpr double kDay = 24 * kHour;
constexpr double kWeek = 7 * kDay;
constexpr double kWeekInMinutes = kWeek / 60;
constexpr double kInfinity = std::numeric_limits<double>::infinity();

// [min, max] and (min, max].
constexpr Bounds closed(double min, double max) {
    Bounds b;
    b.min = min;
    b.max = max;
    return b;
}
constexpr Bounds above(double min, double max) {
    Bounds b = closed(min, max);
    b.min_open = true;
    return b;
}

constexpr Bounds kRequestSeconds = above(0, kHour);
constexpr Bounds kIntervalSeconds = above(0, kHour);
constexpr Bounds kWaitSeconds = above(0, kDay);
constexpr Bounds kWaitSecondsOrNone = closed(0, kDay);
constexpr Bounds kPhaseSeconds = closed(0, kWeek);
constexpr Bounds kPhaseMinutes = closed(0, kWeekInMinutes);
constexpr Bounds kPercent = above(0, 100);
constexpr Bounds kPositive = above(0, kInfinity);
constexpr Bounds kRatio = above(0, 1);
constexpr Bounds kProbability = [] {
    Bounds b = above(0, 1);
    b.max_open = true;
    return b;
}();
constexpr Bounds count(double min, double max) {
    return closed(min, max);
}

constexpr FieldSpec spec(std::string_view key, ValueType type, std::string_view doc) {
    FieldSpec f;
    f.key = key;
    f.type = type;
    f.doc = doc;
    return f;
}

template <class S>
constexpr Field<S> number(std::string_view key, double S::*member, Bounds bounds, std::string_view unit,
                          std::string_view doc) {
    FieldSpec f = spec(key, ValueType::number, doc);
    f.unit = unit;
    f.bounds = bounds;
    return {f, member};
}

template <class S>
constexpr Field<S> optional_number(std::string_view key, std::optional<double> S::*member, Bounds bounds,
                                   std::string_view unit, std::string_view doc) {
    FieldSpec f = spec(key, ValueType::optional_number, doc);
    f.unit = unit;
    f.bounds = bounds;
    return {f, member};
}

template <class S>
constexpr Field<S> integer(std::string_view key, int S::*member, Bounds bounds, std::string_view doc) {
    FieldSpec f = spec(key, ValueType::integer, doc);
    f.bounds = bounds;
    return {f, member};
}

template <class S>
constexpr Field<S> flag(std::string_view key, bool S::*member, std::string_view doc) {
    return {spec(key, ValueType::boolean, doc), member};
}

template <class S>
constexpr Field<S> text(std::string_view key, std::string S::*member, std::string_view doc,
                        TextRule rule = TextRule::any) {
    FieldSpec f = spec(key, ValueType::text, doc);
    f.text = rule;
    return {f, member};
}

template <class S>
constexpr Field<S> url(std::string_view key, std::string S::*member, std::string_view doc) {
    return text(key, member, doc, TextRule::url);
}

template <class S>
constexpr Field<S> choice(std::string_view key, std::string S::*member,
                          std::span<const std::string_view> choices, std::string_view doc) {
    FieldSpec f = spec(key, ValueType::text, doc);
    f.text = TextRule::choice;
    f.choices = choices;
    return {f, member};
}

template <class S>
constexpr Field<S> strings(std::string_view key, std::vector<std::string> S::*member, std::string_view doc) {
    return {spec(key, ValueType::strings, doc), member};
}

template <class S>
constexpr Field<S> secret(Field<S> field) {
    field.spec.secret = true;
    return field;
}

template <class S>
constexpr Field<S> with_env(Field<S> field, std::string_view variable) {
    field.spec.env = variable;
    return field;
}

template <class S>
constexpr Field<S> or_absent(Field<S> field, std::string_view fallback) {
    field.spec.fallback = fallback;
    return field;
}

constexpr std::array<std::string_view, 4> kBreachRules = {"either", "window_mean", "k_of_m", "both"};
constexpr std::array<std::string_view, 2> kStressModes = {"ramp", "step"};
constexpr std::array<std::string_view, 2> kMetricsSources = {"cadvisor", "prometheus"};
constexpr std::array<std::string_view, 2> kLabelSchemes = {"docker", "kubernetes"};
constexpr std::array<std::string_view, 3> kPngModes = {"auto", "always", "never"};

const std::array kApiFields = {
    with_env(url("base_url", &ApiConfig::base_url, "simulation HTTP API"), "PERFRUNNER_API_URL"),
    with_env(secret(text("api_key", &ApiConfig::api_key, "sent as X-API-Key; never logged or written")),
             "PERFRUNNER_API_KEY"),
    number("timeout", &ApiConfig::timeout, kRequestSeconds, kUnitSeconds, "every API call"),
    number("health_timeout", &ApiConfig::health_timeout, kRequestSeconds, kUnitSeconds, "GET /health"),
    number("connect_timeout", &ApiConfig::connect_timeout, kRequestSeconds, kUnitSeconds,
           "TCP connect, API and cAdvisor"),
    integer("max_retries", &ApiConfig::max_retries, count(0, 100), "retries of idempotent requests and 429s"),
    number("api_wait_seconds", &ApiConfig::api_wait_seconds, kWaitSecondsOrNone, kUnitSeconds,
           "how long setup waits for /health and /simulation/status"),
};

const std::array kDockerFields = {
    with_env(url("cadvisor_url", &DockerConfig::cadvisor_url, "cAdvisor's HTTP API"),
             "PERFRUNNER_CADVISOR_URL"),
    number("cadvisor_timeout", &DockerConfig::cadvisor_timeout, kRequestSeconds, kUnitSeconds,
           "one cAdvisor request"),
    text("compose_file", &DockerConfig::compose_file, "the platform's compose file"),
    strings("profiles", &DockerConfig::profiles, "compose profiles started; their containers are sampled"),
    text("project_name", &DockerConfig::project_name, "compose project (\"\" = compose's default)"),
    strings("compose_command", &DockerConfig::compose_command,
            "argv of compose ([] = \"docker compose\", then \"docker-compose\")"),
    number("health_timeout_seconds", &DockerConfig::health_timeout_seconds, kWaitSeconds, kUnitSeconds,
           "wait for healthy containers (the reference waits forever)"),
    number("command_timeout_seconds", &DockerConfig::command_timeout_seconds, kWaitSeconds, kUnitSeconds,
           "every docker / compose call"),
    strings(
        "hosts", &DockerConfig::hosts,
        "Docker hosts, \"NAME=ENDPOINT\" each (unix:///..., ssh://..., tcp://...); [] = the one engine of "
        "DOCKER_HOST"),
    strings("host_cadvisor_urls", &DockerConfig::host_cadvisor_urls,
            "\"NAME=URL\": the cAdvisor of each of docker.hosts (source cadvisor; [] = docker.cadvisor_url)"),
};

const std::array kMetricsFields = {
    with_env(choice("source", &MetricsConfig::source, kMetricsSources,
                    "where container CPU and memory come from: cAdvisor's REST API or Prometheus"),
             "PERFRUNNER_METRICS_SOURCE"),
    with_env(
        url("prometheus_url", &MetricsConfig::prometheus_url, "Prometheus' HTTP API (source \"prometheus\")"),
        "PERFRUNNER_PROMETHEUS_URL"),
    number("prometheus_timeout", &MetricsConfig::prometheus_timeout, kRequestSeconds, kUnitSeconds,
           "one Prometheus request"),
    choice("labels", &MetricsConfig::labels, kLabelSchemes,
           "series labels: Docker cAdvisor (name, compose labels) or kubelet (namespace/pod/container)"),
    text("host_label", &MetricsConfig::host_label,
         "target label that names a series' host (instance, node, ...)", TextRule::non_empty),
    number("rate_window_seconds", &MetricsConfig::rate_window_seconds, kWaitSecondsOrNone, kUnitSeconds,
           "rate() window of the first tick (0 = 4 x the longest scrape interval)"),
};

const std::array kSamplingFields = {
    number("interval_seconds", &SamplingConfig::interval_seconds, kIntervalSeconds, kUnitSeconds,
           "sample cadence while load runs"),
    number("drain_interval_seconds", &SamplingConfig::drain_interval_seconds, kIntervalSeconds, kUnitSeconds,
           "sample cadence while the duration test drains"),
    number("cooldown_interval_seconds", &SamplingConfig::cooldown_interval_seconds, kIntervalSeconds,
           kUnitSeconds, "sample cadence during cooldown"),
    number("warmup_seconds", &SamplingConfig::warmup_seconds, kWaitSecondsOrNone, kUnitSeconds,
           "wait before the baseline samples"),
    number("settle_seconds", &SamplingConfig::settle_seconds, kWaitSecondsOrNone, kUnitSeconds,
           "wait after spawning before the duration test samples"),
    integer("min_samples", &SamplingConfig::min_samples, count(0, 1e6), "reference key, unused"),
    integer("checkpoint_every_samples", &SamplingConfig::checkpoint_every_samples, count(1, 1e6),
            "the run journal is fsynced every N samples"),
};

const std::array kScenariosFields = {
    number("duration_active_minutes", &ScenariosConfig::duration_active_minutes, kPhaseMinutes, kUnitMinutes,
           "duration test: load phase"),
    number("duration_cooldown_minutes", &ScenariosConfig::duration_cooldown_minutes, kPhaseMinutes,
           kUnitMinutes, "duration test: cooldown phase"),
    number("duration_drain_timeout_seconds", &ScenariosConfig::duration_drain_timeout_seconds,
           kWaitSecondsOrNone, kUnitSeconds, "duration test: longest wait for trips to drain"),
    number("baseline_duration_seconds", &ScenariosConfig::baseline_duration_seconds, kPhaseSeconds,
           kUnitSeconds, "baseline: sampling phase"),
    number("stress_cpu_threshold_percent", &ScenariosConfig::stress_cpu_threshold_percent, kPercent,
           kUnitPercent, "stress breach: CPU, % of the container's effective cores"),
    number("stress_memory_threshold_percent", &ScenariosConfig::stress_memory_threshold_percent, kPercent,
           kUnitPercent, "stress breach: memory, % of the memory limit"),
    number("stress_rolling_window_seconds", &ScenariosConfig::stress_rolling_window_seconds, kIntervalSeconds,
           kUnitSeconds, "stress and speed: rolling mean window"),
    integer("stress_spawn_batch_size", &ScenariosConfig::stress_spawn_batch_size, count(1, 1e5),
            "stress: agents added per batch"),
    number("stress_spawn_interval_seconds", &ScenariosConfig::stress_spawn_interval_seconds, kIntervalSeconds,
           kUnitSeconds, "stress: time between batches"),
    number("stress_max_duration_minutes", &ScenariosConfig::stress_max_duration_minutes, kPhaseMinutes,
           kUnitMinutes, "stress: longest run without a breach"),
    number("speed_scaling_step_duration_minutes", &ScenariosConfig::speed_scaling_step_duration_minutes,
           kPhaseMinutes, kUnitMinutes, "speed scaling: length of one step"),
    integer("speed_scaling_max_multiplier", &ScenariosConfig::speed_scaling_max_multiplier, count(1, 1e6),
            "speed scaling: last speed multiplier (doubling from 2)"),
    number("stress_rtr_floor", &ScenariosConfig::stress_rtr_floor, kRatio, "",
           "stress breach: rolling real-time ratio below this (metric \"rtr\")"),
    number("host_cpu_threshold_percent", &ScenariosConfig::host_cpu_threshold_percent, kPercent, kUnitPercent,
           "stress breach: host CPU, % of all cores (container \"host\")"),
    number("spawn_wait_timeout_seconds", &ScenariosConfig::spawn_wait_timeout_seconds, kWaitSecondsOrNone,
           kUnitSeconds, "shortest wait for spawned agents; grows with the queue"),
    number("stress_settle_seconds", &ScenariosConfig::stress_settle_seconds, kWaitSecondsOrNone, kUnitSeconds,
           "stress (step mode): wait after the spawn queue drained"),
    integer("stress_window_samples", &ScenariosConfig::stress_window_samples, count(1, 1e4),
            "stress (step mode): samples per window (W)"),
    integer("stress_k", &ScenariosConfig::stress_k, count(1, 1e4),
            "breach when k of the last m samples exceed a threshold (k <= m)"),
    integer("stress_m", &ScenariosConfig::stress_m, count(1, 1e4), "m of the k-of-m rule"),
    choice("stress_breach_rule", &ScenariosConfig::stress_breach_rule, kBreachRules,
           "which rule decides a breach"),
    number("stress_critical_memory_percent", &ScenariosConfig::stress_critical_memory_percent, kPercent,
           kUnitPercent, "stress: memory at which the test stops at once"),
    choice("stress_mode", &ScenariosConfig::stress_mode, kStressModes,
           "\"step\": load levels in live agents (statistics.md §10.1); \"ramp\": the reference's"),
    flag("stress_refine", &ScenariosConfig::stress_refine,
         "step mode: bisect between the last healthy and the breaking load"),
    integer("stress_refine_resolution", &ScenariosConfig::stress_refine_resolution, count(1, 1e6),
            "step mode: stop bisecting at this many agents"),
    integer("stress_max_step_batches", &ScenariosConfig::stress_max_step_batches, count(1, 1e5),
            "step mode: largest level step in batches (smaller near the thresholds; 1 = one batch)"),
    number("speed_scaling_settle_seconds", &ScenariosConfig::speed_scaling_settle_seconds, kWaitSecondsOrNone,
           kUnitSeconds, "speed scaling: wait after each speed change"),
    flag("stress_baseline_triggers", &ScenariosConfig::stress_baseline_triggers,
         "stress breach also at status latency >= 1.5x the baseline p95 (metric \"latency\") or real-time "
         "ratio < 0.8x the baseline's"),
};

const std::array kOverrideFieldArray = {
    optional_number("memory_leak_mb_per_min", &ThresholdOverride::memory_leak_mb_per_min, kPositive, "MB/min",
                    "leak verdict FAIL at or above this slope"),
    optional_number("memory_warning_percent", &ThresholdOverride::memory_warning_percent, kPercent,
                    kUnitPercent, "memory warning, % of the limit"),
    optional_number("memory_critical_percent", &ThresholdOverride::memory_critical_percent, kPercent,
                    kUnitPercent, "memory critical, % of the limit"),
    optional_number("cpu_leak_percent_per_min", &ThresholdOverride::cpu_leak_percent_per_min, kPositive,
                    "%/min", "CPU growth that counts as a leak"),
    optional_number("cpu_warning_percent", &ThresholdOverride::cpu_warning_percent, kPercent, kUnitPercent,
                    "CPU warning, % of effective cores"),
    optional_number("cpu_critical_percent", &ThresholdOverride::cpu_critical_percent, kPercent, kUnitPercent,
                    "CPU critical, % of effective cores"),
};

const std::array kThresholdsFields = {
    number("memory_leak_mb_per_min", &ThresholdsConfig::memory_leak_mb_per_min, kPositive, "MB/min",
           "leak verdict FAIL at or above this slope (T_fail)"),
    number("memory_leak_monitor_mb_per_min", &ThresholdsConfig::memory_leak_monitor_mb_per_min, kPositive,
           "MB/min", "leak verdict MONITOR at or above this slope (T_monitor)"),
    number("memory_warning_percent", &ThresholdsConfig::memory_warning_percent, kPercent, kUnitPercent,
           "memory warning, % of the limit"),
    number("memory_critical_percent", &ThresholdsConfig::memory_critical_percent, kPercent, kUnitPercent,
           "memory critical, % of the limit"),
    number("cpu_leak_percent_per_min", &ThresholdsConfig::cpu_leak_percent_per_min, kPositive, "%/min",
           "CPU growth that counts as a leak"),
    number("cpu_warning_percent", &ThresholdsConfig::cpu_warning_percent, kPercent, kUnitPercent,
           "CPU warning, % of effective cores"),
    number("cpu_critical_percent", &ThresholdsConfig::cpu_critical_percent, kPercent, kUnitPercent,
           "CPU critical, % of effective cores"),
    Field<ThresholdsConfig>{spec("container_overrides", ValueType::per_container,
                                 "per container: any of the keys below, over the values above"),
                            &ThresholdsConfig::container_overrides},
};

const std::array kAnalysisFields = {
    strings("focus_containers", &AnalysisConfig::focus_containers, "containers the reports show ([] = all)"),
    integer("max_containers_per_chart", &AnalysisConfig::max_containers_per_chart, count(1, 1000),
            "lines per chart"),
    strings("priority_containers", &AnalysisConfig::priority_containers, "shown first in charts and reports"),
    number("leak_warmup_seconds", &AnalysisConfig::leak_warmup_seconds, kPhaseSeconds, kUnitSeconds,
           "leak analysis skips the first seconds of the load phase"),
    number("leak_alpha", &AnalysisConfig::leak_alpha, kProbability, "", "leak test significance level"),
    integer("leak_min_samples", &AnalysisConfig::leak_min_samples, count(2, 1e7),
            "fewer samples give no leak verdict"),
    number("leak_min_neff", &AnalysisConfig::leak_min_neff, kPositive, "",
           "fewer effective (independent) samples give no leak verdict"),
    integer("leak_min_windows", &AnalysisConfig::leak_min_windows, count(1, 1e6),
            "fewer envelope windows give no leak verdict"),
    number("leak_envelope_window_seconds", &AnalysisConfig::leak_envelope_window_seconds, kWaitSeconds,
           kUnitSeconds, "lower-envelope window (per container: containers[].gc_window_seconds)"),
    number("cooldown_active_window_seconds", &AnalysisConfig::cooldown_active_window_seconds, kWaitSeconds,
           kUnitSeconds, "cooldown: end of the load phase compared (W_a)"),
    number("cooldown_window_seconds", &AnalysisConfig::cooldown_window_seconds, kWaitSeconds, kUnitSeconds,
           "cooldown: end of the cooldown compared (W_c)"),
    integer("chart_max_points", &AnalysisConfig::chart_max_points, count(3, 1e7),
            "points per chart line (display only; results.json keeps every sample)"),
};

constexpr Bounds kTolerancePercent = closed(0, 1000);
constexpr Bounds kFloor = closed(0, kInfinity);

const std::array kCompareFields = {
    number("alpha", &CompareConfig::alpha, kProbability, "",
           "significance level of every comparison, after the Holm correction"),
    number("cpu_tolerance_percent", &CompareConfig::cpu_tolerance_percent, kTolerancePercent, kUnitPercent,
           "CPU: smallest relative change of the median that counts"),
    number("cpu_floor_percent", &CompareConfig::cpu_floor_percent, kFloor, "points",
           "CPU: smallest absolute change that counts (% of one core)"),
    number("memory_tolerance_percent", &CompareConfig::memory_tolerance_percent, kTolerancePercent,
           kUnitPercent, "memory: smallest relative change of the median that counts"),
    number("memory_floor_mb", &CompareConfig::memory_floor_mb, kFloor, "MB",
           "memory: smallest absolute change that counts"),
    number("throughput_tolerance_percent", &CompareConfig::throughput_tolerance_percent, kTolerancePercent,
           kUnitPercent, "throughput: smallest relative change of the median that counts"),
    number("throughput_floor", &CompareConfig::throughput_floor, kFloor, "events/s",
           "throughput: smallest absolute change that counts"),
    number("latency_tolerance_percent", &CompareConfig::latency_tolerance_percent, kTolerancePercent,
           kUnitPercent, "status-call latency: smallest relative change of the median that counts"),
    number("latency_floor_ms", &CompareConfig::latency_floor_ms, kFloor, "ms",
           "status-call latency: smallest absolute change that counts"),
    number("rtr_tolerance_percent", &CompareConfig::rtr_tolerance_percent, kTolerancePercent, kUnitPercent,
           "real-time ratio: smallest relative change of the median that counts"),
    number("rtr_floor", &CompareConfig::rtr_floor, kFloor, "",
           "real-time ratio: smallest absolute change that counts"),
    number("capacity_tolerance_percent", &CompareConfig::capacity_tolerance_percent, kTolerancePercent,
           kUnitPercent, "capacity: smallest drop of the last healthy load that counts (and one step)"),
};

const std::array kOutputFields = {
    text("output_dir", &OutputConfig::output_dir, "runs go to `<output_dir>/<YYYYmmdd_HHMMSS>`",
         TextRule::non_empty),
    choice("png", &OutputConfig::png, kPngModes,
           "chart PNGs (auto: skipped with a warning without Chromium)"),
};

const std::array kContainerFieldArray = {
    text("name", &ContainerSpec::name, "container name, unique", TextRule::non_empty),
    or_absent(text("display_name", &ContainerSpec::display_name,
                   "name in reports (\"\" = \"rideshare-\" dropped, title case)"),
              ""),
    or_absent(text("profile", &ContainerSpec::profile, "compose profile that starts it"), "core"),
    optional_number("cpu_cores", &ContainerSpec::cpu_cores, kPositive, "cores",
                    "effective cores (absent = 1.0), the base of CPU %"),
    optional_number("gc_window_seconds", &ContainerSpec::gc_window_seconds, kWaitSeconds, kUnitSeconds,
                    "leak envelope window for this container"),
    or_absent(text("host", &ContainerSpec::host, "the docker.hosts entry it runs on (\"\" = the first)"), ""),
};

}  // namespace

const Section<ApiConfig> kApiSection{"api", &Config::api, kApiFields};
const Section<DockerConfig> kDockerSection{"docker", &Config::docker, kDockerFields};
const Section<MetricsConfig> kMetricsSection{"metrics", &Config::metrics, kMetricsFields};
const Section<SamplingConfig> kSamplingSection{"sampling", &Config::sampling, kSamplingFields};
const Section<ScenariosConfig> kScenariosSection{"scenarios", &Config::scenarios, kScenariosFields};
const Section<ThresholdsConfig> kThresholdsSection{"thresholds", &Config::thresholds, kThresholdsFields};
const Section<AnalysisConfig> kAnalysisSection{"analysis", &Config::analysis, kAnalysisFields};
const Section<CompareConfig> kCompareSection{"compare", &Config::compare, kCompareFields};
const Section<OutputConfig> kOutputSection{"output", &Config::output, kOutputFields};
const std::span<const Field<ThresholdOverride>> kOverrideFields = kOverrideFieldArray;
const std::span<const Field<ContainerSpec>> kContainerFields = kContainerFieldArray;

}  // namespace perfrunner::config
