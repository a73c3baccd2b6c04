// The merged config JSON -> Config, with one-line errors naming the key path, the value and what is expected.
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "config_json.hpp"
#include "perfrunner/error.hpp"

namespace perfrunner::config::detail {

std::string describe_value(const nlohmann::json& value) {
    std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    constexpr std::size_t max_len = 80;
    if (text.size() > max_len) {
        text = text.substr(0, max_len) + "...";
    }
    return text;
}

namespace {

[[noreturn]] void fail(const std::string& path, const nlohmann::json& value, const std::string& expected) {
    throw ConfigError(fmt::format("config key {} = {}: expected {}", path, describe_value(value), expected));
}

// What a number may be. Durations and intervals are seconds or minutes and accept fractions.
enum class Range {
    any,           // any finite number
    non_negative,  // durations: >= 0
    positive,      // intervals, timeouts, rates: > 0
    percent,       // (0, 100]
    unit_open,     // (0, 1): probabilities
    unit_closed,   // (0, 1]: ratios
};

const char* describe(Range r) {
    switch (r) {
        case Range::any:
            return "a number";
        case Range::non_negative:
            return "a number >= 0";
        case Range::positive:
            return "a number > 0";
        case Range::percent:
            return "a percentage in (0, 100]";
        case Range::unit_open:
            return "a number in (0, 1)";
        case Range::unit_closed:
            return "a number in (0, 1]";
    }
    return "a number";
}

bool in_range(double v, Range r) {
    if (!std::isfinite(v)) {
        return false;
    }
    switch (r) {
        case Range::any:
            return true;
        case Range::non_negative:
            return v >= 0;
        case Range::positive:
            return v > 0;
        case Range::percent:
            return v > 0 && v <= 100;
        case Range::unit_open:
            return v > 0 && v < 1;
        case Range::unit_closed:
            return v > 0 && v <= 1;
    }
    return false;
}

// Reads the members of one JSON object and, at the end, rejects the members nobody asked for.
class ObjectReader {
  public:
    ObjectReader(const nlohmann::json& object, std::string path) : object_(object), path_(std::move(path)) {
        if (!object_.is_object()) {
            fail(path_.empty() ? "(top level)" : path_, object_, "an object");
        }
    }

    std::string path_of(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

    const nlohmann::json* find(const std::string& key) {
        known_.insert(key);
        auto it = object_.find(key);
        return it == object_.end() ? nullptr : &*it;
    }

    const nlohmann::json& get(const std::string& key) {
        const auto* v = find(key);
        if (v == nullptr) {
            fail(path_of(key), nullptr, "a value (the key is missing)");
        }
        return *v;
    }

    double number(const std::string& key, Range range) {
        const auto& v = get(key);
        if (!v.is_number() || !in_range(v.get<double>(), range)) {
            fail(path_of(key), v, describe(range));
        }
        return v.get<double>();
    }

    std::optional<double> optional_number(const std::string& key, Range range) {
        const auto* v = find(key);
        if (v == nullptr || v->is_null()) {
            return std::nullopt;
        }
        if (!v->is_number() || !in_range(v->get<double>(), range)) {
            fail(path_of(key), *v, std::string(describe(range)) + " or null");
        }
        return v->get<double>();
    }

    int integer(const std::string& key, long min_value, long max_value = 1'000'000'000L) {
        const auto& v = get(key);
        bool ok =
            v.is_number_integer() || (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>());
        if (ok) {
            const double d = v.get<double>();
            ok = d >= static_cast<double>(min_value) && d <= static_cast<double>(max_value);
        }
        if (!ok) {
            fail(path_of(key), v, fmt::format("an integer >= {}", min_value));
        }
        return static_cast<int>(v.get<double>());
    }

    std::string string(const std::string& key) {
        const auto& v = get(key);
        if (!v.is_string()) {
            fail(path_of(key), v, "a string");
        }
        return v.get<std::string>();
    }

    std::string one_of(const std::string& key, std::initializer_list<const char*> choices) {
        const auto& v = get(key);
        std::string list;
        for (const char* c : choices) {
            if (v.is_string() && v.get<std::string>() == c) {
                return c;
            }
            list += list.empty() ? "" : ", ";
            list += fmt::format("\"{}\"", c);
        }
        fail(path_of(key), v, "one of " + list);
    }

    std::string url(const std::string& key) {
        std::string s = string(key);
        if (s.rfind("http://", 0) != 0 && s.rfind("https://", 0) != 0) {
            fail(path_of(key), s, "an http:// or https:// URL");
        }
        while (!s.empty() && s.back() == '/') {
            s.pop_back();
        }
        return s;
    }

    bool boolean(const std::string& key) {
        const auto& v = get(key);
        if (!v.is_boolean()) {
            fail(path_of(key), v, "true or false");
        }
        return v.get<bool>();
    }

    std::vector<std::string> strings(const std::string& key) {
        const auto& v = get(key);
        if (!v.is_array()) {
            fail(path_of(key), v, "an array of strings");
        }
        std::vector<std::string> out;
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (!v[i].is_string()) {
                fail(fmt::format("{}[{}]", path_of(key), i), v[i], "a string");
            }
            out.push_back(v[i].get<std::string>());
        }
        return out;
    }

    ObjectReader object(const std::string& key) { return ObjectReader(get(key), path_of(key)); }

    // Every member must have been read: anything else is a misspelt or unsupported key.
    void finish() const {
        for (const auto& [key, value] : object_.items()) {
            if (known_.count(key) == 0) {
                std::string list;
                for (const auto& k : known_) {
                    list += (list.empty() ? "" : ", ") + k;
                }
                fail(path_of(key), value, "no such key (unknown key; known keys: " + list + ")");
            }
        }
    }

  private:
    const nlohmann::json& object_;
    std::string path_;
    std::set<std::string> known_;
};

ApiConfig read_api(ObjectReader r) {
    ApiConfig a;
    a.base_url = r.url("base_url");
    a.api_key = r.string("api_key");
    a.timeout = r.number("timeout", Range::positive);
    a.health_timeout = r.number("health_timeout", Range::positive);
    a.connect_timeout = r.number("connect_timeout", Range::positive);
    a.max_retries = r.integer("max_retries", 0, 100);
    a.api_wait_seconds = r.number("api_wait_seconds", Range::non_negative);
    r.finish();
    return a;
}

DockerConfig read_docker(ObjectReader r) {
    DockerConfig d;
    d.cadvisor_url = r.url("cadvisor_url");
    d.cadvisor_timeout = r.number("cadvisor_timeout", Range::positive);
    d.compose_file = r.string("compose_file");
    d.profiles = r.strings("profiles");
    d.project_name = r.string("project_name");
    d.compose_command = r.strings("compose_command");
    d.health_timeout_seconds = r.number("health_timeout_seconds", Range::positive);
    d.command_timeout_seconds = r.number("command_timeout_seconds", Range::positive);
    r.finish();
    return d;
}

SamplingConfig read_sampling(ObjectReader r) {
    SamplingConfig s;
    s.interval_seconds = r.number("interval_seconds", Range::positive);
    s.drain_interval_seconds = r.number("drain_interval_seconds", Range::positive);
    s.cooldown_interval_seconds = r.number("cooldown_interval_seconds", Range::positive);
    s.warmup_seconds = r.number("warmup_seconds", Range::non_negative);
    s.settle_seconds = r.number("settle_seconds", Range::non_negative);
    s.min_samples = r.integer("min_samples", 0);
    s.checkpoint_every_samples = r.integer("checkpoint_every_samples", 1);
    r.finish();
    return s;
}

ScenariosConfig read_scenarios(ObjectReader r) {
    ScenariosConfig s;
    s.duration_active_minutes = r.number("duration_active_minutes", Range::non_negative);
    s.duration_cooldown_minutes = r.number("duration_cooldown_minutes", Range::non_negative);
    s.duration_drain_timeout_seconds = r.number("duration_drain_timeout_seconds", Range::non_negative);
    s.baseline_duration_seconds = r.number("baseline_duration_seconds", Range::non_negative);
    s.stress_cpu_threshold_percent = r.number("stress_cpu_threshold_percent", Range::percent);
    s.stress_memory_threshold_percent = r.number("stress_memory_threshold_percent", Range::percent);
    s.stress_rolling_window_seconds = r.number("stress_rolling_window_seconds", Range::positive);
    s.stress_spawn_batch_size = r.integer("stress_spawn_batch_size", 1);
    s.stress_spawn_interval_seconds = r.number("stress_spawn_interval_seconds", Range::positive);
    s.stress_max_duration_minutes = r.number("stress_max_duration_minutes", Range::non_negative);
    s.speed_scaling_step_duration_minutes =
        r.number("speed_scaling_step_duration_minutes", Range::non_negative);
    s.speed_scaling_max_multiplier = r.integer("speed_scaling_max_multiplier", 1);
    s.stress_rtr_floor = r.number("stress_rtr_floor", Range::unit_closed);
    s.host_cpu_threshold_percent = r.number("host_cpu_threshold_percent", Range::percent);
    s.spawn_wait_timeout_seconds = r.number("spawn_wait_timeout_seconds", Range::non_negative);
    s.stress_settle_seconds = r.number("stress_settle_seconds", Range::non_negative);
    s.stress_window_samples = r.integer("stress_window_samples", 1);
    s.stress_k = r.integer("stress_k", 1);
    s.stress_m = r.integer("stress_m", 1);
    if (s.stress_k > s.stress_m) {
        fail(r.path_of("stress_k"), s.stress_k,
             fmt::format("an integer <= scenarios.stress_m ({})", s.stress_m));
    }
    s.stress_breach_rule = r.one_of("stress_breach_rule", {"either", "window_mean", "k_of_m", "both"});
    s.stress_critical_memory_percent = r.number("stress_critical_memory_percent", Range::percent);
    s.stress_mode = r.one_of("stress_mode", {"ramp", "step"});
    s.stress_refine = r.boolean("stress_refine");
    s.stress_refine_resolution = r.integer("stress_refine_resolution", 1);
    s.speed_scaling_settle_seconds = r.number("speed_scaling_settle_seconds", Range::non_negative);
    r.finish();
    return s;
}

ThresholdOverride read_override(ObjectReader r) {
    ThresholdOverride o;
    o.memory_leak_mb_per_min = r.optional_number("memory_leak_mb_per_min", Range::positive);
    o.memory_warning_percent = r.optional_number("memory_warning_percent", Range::percent);
    o.memory_critical_percent = r.optional_number("memory_critical_percent", Range::percent);
    o.cpu_leak_percent_per_min = r.optional_number("cpu_leak_percent_per_min", Range::positive);
    o.cpu_warning_percent = r.optional_number("cpu_warning_percent", Range::percent);
    o.cpu_critical_percent = r.optional_number("cpu_critical_percent", Range::percent);
    r.finish();
    return o;
}

ThresholdsConfig read_thresholds(ObjectReader r) {
    ThresholdsConfig t;
    t.memory_leak_mb_per_min = r.number("memory_leak_mb_per_min", Range::positive);
    t.memory_leak_monitor_mb_per_min = r.number("memory_leak_monitor_mb_per_min", Range::positive);
    t.memory_warning_percent = r.number("memory_warning_percent", Range::percent);
    t.memory_critical_percent = r.number("memory_critical_percent", Range::percent);
    t.cpu_leak_percent_per_min = r.number("cpu_leak_percent_per_min", Range::positive);
    t.cpu_warning_percent = r.number("cpu_warning_percent", Range::percent);
    t.cpu_critical_percent = r.number("cpu_critical_percent", Range::percent);
    const auto& overrides = r.get("container_overrides");
    if (!overrides.is_object()) {
        fail(r.path_of("container_overrides"), overrides, "an object of container -> thresholds");
    }
    for (const auto& [name, value] : overrides.items()) {
        t.container_overrides[name] =
            read_override(ObjectReader(value, r.path_of("container_overrides") + "." + name));
    }
    r.finish();
    return t;
}

AnalysisConfig read_analysis(ObjectReader r) {
    AnalysisConfig a;
    a.focus_containers = r.strings("focus_containers");
    a.max_containers_per_chart = r.integer("max_containers_per_chart", 1);
    a.priority_containers = r.strings("priority_containers");
    a.leak_warmup_seconds = r.number("leak_warmup_seconds", Range::non_negative);
    a.leak_alpha = r.number("leak_alpha", Range::unit_open);
    a.leak_min_samples = r.integer("leak_min_samples", 2);
    a.leak_min_neff = r.number("leak_min_neff", Range::positive);
    a.leak_min_windows = r.integer("leak_min_windows", 1);
    a.leak_envelope_window_seconds = r.number("leak_envelope_window_seconds", Range::positive);
    a.cooldown_active_window_seconds = r.number("cooldown_active_window_seconds", Range::positive);
    a.cooldown_window_seconds = r.number("cooldown_window_seconds", Range::positive);
    a.chart_max_points = r.integer("chart_max_points", 3);
    r.finish();
    return a;
}

OutputConfig read_output(ObjectReader r) {
    OutputConfig o;
    o.output_dir = r.string("output_dir");
    if (o.output_dir.empty()) {
        fail(r.path_of("output_dir"), o.output_dir, "a non-empty directory path");
    }
    o.png = r.one_of("png", {"auto", "always", "never"});
    r.finish();
    return o;
}

std::vector<ContainerSpec> read_containers(const nlohmann::json& list) {
    if (!list.is_array()) {
        fail("containers", list, "an array of {name, display_name, profile, cpu_cores?, gc_window_seconds?}");
    }
    std::vector<ContainerSpec> out;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list.size(); ++i) {
        ObjectReader r(list[i], fmt::format("containers[{}]", i));
        ContainerSpec c;
        c.name = r.string("name");
        if (c.name.empty()) {
            fail(r.path_of("name"), c.name, "a non-empty container name");
        }
        if (!seen.insert(c.name).second) {
            fail(r.path_of("name"), c.name, "a name not already in the list");
        }
        c.display_name = r.find("display_name") != nullptr ? r.string("display_name") : std::string();
        c.profile = r.find("profile") != nullptr ? r.string("profile") : std::string("core");
        c.cpu_cores = r.optional_number("cpu_cores", Range::positive);
        c.gc_window_seconds = r.optional_number("gc_window_seconds", Range::positive);
        r.finish();
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace

Config from_json(const nlohmann::json& merged) {
    ObjectReader top(merged, "");
    Config c;
    c.api = read_api(top.object("api"));
    c.docker = read_docker(top.object("docker"));
    c.sampling = read_sampling(top.object("sampling"));
    c.scenarios = read_scenarios(top.object("scenarios"));
    c.thresholds = read_thresholds(top.object("thresholds"));
    c.analysis = read_analysis(top.object("analysis"));
    c.output = read_output(top.object("output"));
    c.containers = read_containers(top.get("containers"));
    top.finish();
    return c;
}

}  // namespace perfrunner::config::detail
