#pragma once
// analyze_bench's input: a results.json-shaped run of `ticks` samples of `containers` containers, spread over
// the four scenarios with valid metadata and values rounded like the reference's (a leak in the first
// container, a load ramp in stress, five speed steps). Deterministic (fixed seed), so every run measures the
// same file.
#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "perfrunner/model/results.hpp"
#include "perfrunner/model/scenario_metadata_json.hpp"
#include "perfrunner/model/timestamps.hpp"

namespace analyze_bench {

using namespace perfrunner::model;

inline double round1(double x) {
    return std::round(x * 10.0) / 10.0;
}
inline double round2(double x) {
    return std::round(x * 100.0) / 100.0;
}

struct Generator {
    std::mt19937_64 rng{20260212};
    std::normal_distribution<double> noise{0.0, 1.0};
    double t0 = 1795722558.0;
    long tick = 0;

    Sample sample(RunResult& run, const std::vector<ContainerId>& ids, double load) {
        Sample s;
        s.timestamp = t0 + 2.0 * static_cast<double>(tick);
        s.timestamp_iso = iso_utc(s.timestamp);
        s.containers.reserve(ids.size());
        for (std::size_t i = 0; i < ids.size(); ++i) {
            ContainerSample c;
            c.container = ids[i];
            c.memory_limit_mb = i % 3 == 0 ? 1024.0 : 512.0;
            const double drift =
                i == 0 ? 0.0004 * static_cast<double>(tick) : 0.0;  // the simulation leaks a little
            c.memory_used_mb = round1(std::max(
                1.0, 100.0 + 10.0 * static_cast<double>(i) + 150.0 * load + drift + 2.0 * noise(rng)));
            c.memory_percent = round1(c.memory_used_mb / c.memory_limit_mb * 100.0);
            c.cpu_percent = round1(std::max(0.0, 2.0 + 60.0 * load * (i < 3 ? 1.0 : 0.1) + 3.0 * noise(rng)));
            s.containers.push_back(c);
        }
        (void)run;
        ++tick;
        return s;
    }
};

inline RunResult generate_run(long ticks, int containers) {
    RunResult run;
    Generator g;
    std::vector<ContainerId> ids;
    for (int i = 0; i < containers; ++i) {
        static const char* known[] = {"rideshare-simulation", "rideshare-kafka", "rideshare-redis",
                                      "rideshare-osrm", "rideshare-stream-processor"};
        ids.push_back(run.intern(i < 5 ? std::string(known[i]) : "rideshare-service-" + std::to_string(i)));
    }
    run.test_id = test_id_utc(g.t0);
    run.started_at = iso_utc(g.t0);
    run.config = nlohmann::json::parse(R"({"api": {"base_url": "http://127.0.0.1:8000"},
        "docker": {"compose_file": "infrastructure/docker/compose.yml", "profiles": ["core", "data-pipeline", "monitoring"]},
        "sampling": {"interval_seconds": 2.0, "warmup_seconds": 10.0},
        "scenarios": {"duration_active_minutes": 5, "duration_cooldown_minutes": 10, "duration_drain_timeout_seconds": 600,
                      "stress_cpu_threshold_percent": 90.0, "stress_memory_threshold_percent": 90.0,
                      "speed_scaling_step_duration_minutes": 8, "speed_scaling_max_multiplier": 1024}})");

    const long n_base = ticks * 4 / 100, n_stress = ticks * 16 / 100, n_speed = ticks * 20 / 100;
    const long n_duration = ticks - n_base - n_stress - n_speed;
    auto scenario = [&](const char* name, long n, auto&& load_of) {
        ScenarioResult s;
        s.scenario_name = name;
        s.started_at = iso_utc(g.t0 + 2.0 * static_cast<double>(g.tick));
        s.samples.reserve(static_cast<std::size_t>(n));
        for (long k = 0; k < n; ++k) s.samples.push_back(g.sample(run, ids, load_of(k, n)));
        s.completed_at = iso_utc(g.t0 + 2.0 * static_cast<double>(g.tick));
        s.duration_seconds = 2.0 * static_cast<double>(n) + 12.5;
        return s;
    };

    run.scenarios.push_back(scenario("baseline", n_base, [](long, long) { return 0.0; }));

    ScenarioResult stress = scenario("stress_test", n_stress, [](long k, long n) {
        return static_cast<double>(k) / static_cast<double>(n);
    });
    stress.scenario_params = {{"cpu_threshold_percent", 90.0}, {"memory_threshold_percent", 90.0},
                              {"rolling_window_seconds", 10},  {"rolling_window_samples", 5},
                              {"spawn_batch_size", 10},        {"spawn_interval_seconds", 3.0},
                              {"max_duration_minutes", 30}};
    nlohmann::json peaks = nlohmann::json::object();
    for (std::size_t k = 0; k < stress.samples.size(); ++k) {
        auto& s = stress.samples[k];
        const long drivers = 10 * static_cast<long>(k + 1);
        s.agents_queued = AgentsQueued{drivers, drivers, 2 * drivers};
        for (std::size_t i = 0; i < 5 && i < s.containers.size(); ++i) {
            s.rolling_averages.push_back(RollingAverage{
                s.containers[i].container, s.containers[i].memory_percent, *s.containers[i].cpu_percent});
        }
        for (const auto& c : s.containers) {
            auto& p = peaks[run.container_name(c.container)];
            if (p.is_null()) p = {{"memory_percent", 0.0}, {"cpu_percent", 0.0}};
            p["memory_percent"] = std::max(p.value("memory_percent", 0.0), c.memory_percent);
            p["cpu_percent"] = std::max(p.value("cpu_percent", 0.0), *c.cpu_percent);
        }
    }
    const long drivers = 10 * n_stress;
    stress.metadata = perfrunner::model::metadata_from_json(
        "stress_test",
        {{"trigger",
          {{"container", "rideshare-simulation"}, {"metric", "cpu"}, {"value", 91.23}, {"threshold", 90.0}}},
         {"total_agents_queued", 2 * drivers},
         {"drivers_queued", drivers},
         {"riders_queued", drivers},
         {"peak_values", peaks},
         {"duration_seconds", 3.0 * static_cast<double>(n_stress)},
         {"batch_count", n_stress}});
    run.scenarios.push_back(std::move(stress));
    run.derived_config =
        nlohmann::json{{"duration_agent_count", drivers / 2}, {"stress_drivers_queued", drivers}};

    const long n_active = n_duration / 2, n_drain = n_duration / 20, n_cool = n_duration - n_active - n_drain;
    const double d_start = g.t0 + 2.0 * static_cast<double>(g.tick);
    ScenarioResult duration = scenario("duration_leak", n_duration, [n_active, n_drain](long k, long) {
        return k < n_active ? 0.5 : k < n_active + n_drain ? 0.3 : 0.0;
    });
    duration.scenario_params = {
        {"active_minutes", 5},          {"cooldown_minutes", 10},
        {"drain_timeout_seconds", 600}, {"drivers", drivers / 2},
        {"riders", drivers / 2},        {"agent_count_source", "stress_test_drivers_queued_half"}};
    const double a_end = d_start + 2.0 * static_cast<double>(n_active);
    const double dr_end = a_end + 2.0 * static_cast<double>(n_drain);
    duration.metadata = perfrunner::model::metadata_from_json(
        "duration_leak",
        {{"phase_analysis", nlohmann::json::object()},
         {"leak_analysis", nlohmann::json::object()},
         {"phase_timestamps",
          {{"active_start", d_start},
           {"active_end", a_end},
           {"drain_start", a_end},
           {"drain_end", dr_end},
           {"cooldown_start", dr_end},
           {"cooldown_end", dr_end + 2.0 * static_cast<double>(n_cool)}}},
         {"phase_sample_counts", {{"active", n_active}, {"drain", n_drain}, {"cooldown", n_cool}}},
         {"drain_duration_seconds", round2(dr_end - a_end)}});
    run.scenarios.push_back(std::move(duration));

    const int steps = 5;
    ScenarioResult speed = scenario("speed_scaling", n_speed, [n_speed](long k, long) {
        return 0.2 * static_cast<double>(k / (n_speed / steps) + 1);
    });
    speed.scenario_params = {{"base_agent_count", drivers / 2},
                             {"step_duration_minutes", 8},
                             {"max_multiplier", 1024},
                             {"agent_count_source", "stress_test_drivers_queued_half"}};
    nlohmann::json step_results = nlohmann::json::array();
    long assigned = 0;
    for (int st = 1; st <= steps; ++st) {
        const long count = st == steps ? n_speed - assigned : n_speed / steps;
        assigned += count;
        const bool hit = st == steps;
        step_results.push_back({{"step", st},
                                {"multiplier", 1 << st},
                                {"agent_count", std::max(1L, drivers / 2 / (1L << st))},
                                {"sample_count", count},
                                {"duration_seconds", round2(2.0 * static_cast<double>(count))},
                                {"threshold_hit", hit},
                                {"trigger", hit ? nlohmann::json{{"container", "rideshare-simulation"},
                                                                 {"metric", "cpu"},
                                                                 {"value", 92.5},
                                                                 {"threshold", 90.0}}
                                                : nlohmann::json(nullptr)}});
    }
    speed.metadata =
        perfrunner::model::metadata_from_json("speed_scaling", {{"step_results", step_results},
                                                                {"total_steps", steps},
                                                                {"max_speed_achieved", 1 << steps},
                                                                {"stopped_by_threshold", true}});
    run.scenarios.push_back(std::move(speed));
    run.completed_at = iso_utc(g.t0 + 2.0 * static_cast<double>(g.tick));
    run.analysis = {{"scenario_summaries", nlohmann::json::array()}};
    return run;
}

}  // namespace analyze_bench
