#pragma once
// Hand-built inputs for the report writers: a four-scenario run, its analysis and a config, including a
// container whose name is an HTML/script injection attempt.
#include <cmath>
#include <filesystem>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "perfrunner/analysis/analysis.hpp"
#include "perfrunner/config/config.hpp"
#include "perfrunner/model/results.hpp"
#include "perfrunner/report/writer.hpp"
#include "support/files.hpp"

namespace perfrunner::report::testing {

inline const std::string kSim = "rideshare-simulation";
inline const std::string kKafka = "rideshare-kafka";
inline const std::string kRedis = "rideshare-redis";
inline const std::string kHostile = "</script><script>alert(1)";

inline config::Config make_config() {
    config::Config c;
    c.analysis.priority_containers = {kSim, kKafka};
    c.analysis.max_containers_per_chart = 2;
    c.analysis.chart_max_points = 50;
    c.thresholds.memory_warning_percent = 70;
    c.thresholds.memory_critical_percent = 85;
    c.thresholds.cpu_warning_percent = 70;
    c.thresholds.cpu_critical_percent = 85;
    c.scenarios.stress_cpu_threshold_percent = 90;
    c.scenarios.stress_memory_threshold_percent = 90;
    c.scenarios.stress_rtr_floor = 0.9;
    c.containers.push_back({kSim, "Simulation", "core", 1.0, std::nullopt, ""});
    c.containers.push_back({kKafka, "Kafka", "core", 1.5, std::nullopt, ""});
    c.containers.push_back({kRedis, "Redis", "core", std::nullopt, std::nullopt, ""});
    return c;
}

// Memory of container `k` at sample i of the duration test: a slope plus a deterministic wiggle.
inline double duration_memory(std::size_t k, std::size_t i) {
    return 100.0 * static_cast<double>(k + 1) + 0.5 * static_cast<double>(i) +
           3.0 * std::sin(static_cast<double>(i));
}
inline double duration_cpu(std::size_t k, std::size_t i) {
    return 10.0 * static_cast<double>(k + 1) + std::cos(static_cast<double>(i) * 0.7) * 4.0;
}

inline model::Sample sample_at(double t) {
    model::Sample s;
    s.timestamp = t;
    s.timestamp_iso = "t" + std::to_string(t);
    return s;
}

inline model::ContainerSample container(model::ContainerId id, double mem, double limit,
                                        std::optional<double> cpu) {
    model::ContainerSample c;
    c.container = id;
    c.memory_used_mb = mem;
    c.memory_limit_mb = limit;
    c.memory_percent = limit > 0 ? mem / limit * 100.0 : 0.0;
    c.cpu_percent = cpu;
    return c;
}

// duration_samples: active + drain + cooldown split 50/17/rest.
inline model::RunResult make_run(std::size_t duration_samples = 120) {
    model::RunResult run;
    run.test_id = "20260212_193000";
    run.started_at = "2026-02-12T19:30:00.000000Z";
    run.completed_at = "2026-02-12T21:02:03.000000Z";
    const auto sim = run.intern(kSim), kafka = run.intern(kKafka), hostile = run.intern(kHostile),
               redis = run.intern(kRedis);
    const double t0 = 1770924600.0;

    model::ScenarioResult baseline;
    baseline.scenario_name = "baseline";
    for (int i = 0; i < 5; ++i) {
        auto s = sample_at(t0 + 2.0 * i);
        s.containers.push_back(container(sim, 300 + i, 1024, 3.0 + i));
        s.containers.push_back(container(kafka, 700, 1024, 20.0));
        s.containers.push_back(container(hostile, 50, 256, 1.0));
        baseline.samples.push_back(s);
    }
    run.scenarios.push_back(baseline);

    model::ScenarioResult stress;
    stress.scenario_name = "stress_test";
    stress.scenario_params = {{"cpu_threshold_percent", 90.0}, {"memory_threshold_percent", 90.0}};
    for (int i = 0; i < 10; ++i) {
        auto s = sample_at(t0 + 100 + 3.0 * i);
        s.containers.push_back(container(sim, 400 + 10 * i, 1024, 30.0 + 5 * i));
        s.containers.push_back(container(kafka, 700 + i, 1024, 60.0 + 8 * i));
        s.rolling_averages.push_back({sim, 40.0 + i, 30.0 + 5 * i});
        s.rolling_averages.push_back({kafka, 68.0 + 0.1 * i, 60.0 + 8 * i});
        s.agents_queued = model::AgentsQueued{10L * (i + 1), 10L * (i + 1), 20L * (i + 1)};
        model::PaceSample pace;
        pace.real_time_ratio = 1.0 - 0.02 * i;
        s.pace = pace;
        stress.samples.push_back(s);
    }
    model::StressMetadata stress_metadata;
    stress_metadata.trigger = model::Trigger{kKafka, "cpu", 136.2, 135.0, std::nullopt, {}};
    stress_metadata.total_agents_queued = 200;
    stress_metadata.drivers_queued = 100;
    stress_metadata.peak_values = {
        {kSim, 60.0, 80.0, {}}, {kKafka, 50.0, 136.2, {}}, {kHostile, 88.0, 20.0, {}}};
    stress.metadata = stress_metadata;
    run.scenarios.push_back(stress);

    model::ScenarioResult duration;
    duration.scenario_name = "duration_leak";
    const std::size_t active = duration_samples * 5 / 12, drain = duration_samples * 17 / 120;
    const std::vector<model::ContainerId> ids = {sim, kafka, hostile, redis};
    for (std::size_t i = 0; i < duration_samples; ++i) {
        auto s = sample_at(t0 + 1000 + 2.0 * static_cast<double>(i));
        for (std::size_t k = 0; k < ids.size(); ++k) {
            s.containers.push_back(container(ids[k], duration_memory(k, i), 1024, duration_cpu(k, i)));
        }
        duration.samples.push_back(s);
    }
    model::DurationMetadata duration_metadata;
    duration_metadata.phase_sample_counts =
        model::PhaseSampleCounts{active, drain, duration_samples - active - drain, {}};
    duration.metadata = duration_metadata;
    run.scenarios.push_back(duration);

    model::ScenarioResult speed;
    speed.scenario_name = "speed_scaling";
    for (int i = 0; i < 8; ++i) {
        auto s = sample_at(t0 + 5000 + 2.0 * i);
        s.containers.push_back(container(sim, 500, 1024, 50.0 + i));
        model::PaceSample pace;
        pace.real_time_ratio = i < 4 ? 1.0 : 0.7;
        s.pace = pace;
        speed.samples.push_back(s);
    }
    run.scenarios.push_back(speed);
    run.derived_config = nlohmann::json{{"duration_agent_count", 50}, {"stress_drivers_queued", 100}};
    return run;
}

inline analysis::ContainerSummary summary(const std::string& name, double mem_mean, double cpu_mean,
                                          double cores = 1.0) {
    analysis::ContainerSummary c;
    c.container = name;
    c.memory_mb.n = c.cpu_percent.n = 5;
    c.memory_mb.mean = mem_mean;
    c.memory_mb.max = mem_mean + 10;
    c.cpu_percent.mean = cpu_mean;
    c.cpu_percent.max = cpu_mean + 5;
    c.memory_limit_mb = 1024;
    c.cpu_cores_effective = cores;
    return c;
}

inline analysis::Analysis make_analysis() {
    analysis::Analysis a;
    a.scenario_summaries.push_back(
        {"baseline",
         5,
         {summary(kSim, 302.0, 5.0), summary(kKafka, 700.0, 20.0, 1.5), summary(kHostile, 50.0, 1.0)},
         std::nullopt});
    a.scenario_summaries.push_back(
        {"stress_test", 10, {summary(kSim, 445.0, 52.5), summary(kKafka, 704.5, 96.0, 1.5)}, std::nullopt});
    a.scenario_summaries.push_back({"duration_leak",
                                    120,
                                    {summary(kSim, 130.0, 10.0), summary(kKafka, 230.0, 20.0, 1.5),
                                     summary(kHostile, 330.0, 30.0), summary(kRedis, 430.0, 40.0)},
                                    std::nullopt});
    a.scenario_summaries.push_back({"speed_scaling", 8, {summary(kSim, 500.0, 53.5)}, std::nullopt});

    analysis::Finding oom;
    oom.severity = analysis::Severity::critical;
    oom.category = "oom_event";
    oom.container = kHostile;
    oom.message = "OOM event detected in " + kHostile;
    oom.scenario_name = "duration_leak";
    oom.recommendation = "Increase memory limit or optimize memory usage";
    oom.check_name = "duration_leak/" + kHostile + "/oom_event";
    a.findings.push_back(oom);
    analysis::Finding leak;
    leak.severity = analysis::Severity::warning;
    leak.category = "memory_leak";
    leak.container = kSim;
    leak.message = "Simulation memory growing at 1.23 MB/min";
    leak.metric_value = 1.23456;
    leak.threshold = 1.0;
    leak.scenario_name = "duration_leak";
    leak.recommendation = "Profile memory allocation and check for leaks";
    leak.check_name = "duration_leak/rideshare-simulation/memory_leak";
    a.findings.push_back(leak);
    analysis::Finding info;
    info.severity = analysis::Severity::info;
    info.category = "cpu_leak";
    info.container = kKafka;
    info.message = "Kafka CPU trend suspect";
    info.scenario_name = "duration_leak";
    info.check_name = "duration_leak/rideshare-kafka/cpu_leak";
    a.findings.push_back(info);
    a.recommendations = {"Increase memory limit or optimize memory usage",
                         "Profile memory allocation and check for leaks"};

    analysis::ContainerHealth h;
    h.container_name = kSim;
    h.display_name = "Simulation";
    h.memory_current_mb = 500.04;
    h.memory_limit_mb = 1024;
    h.memory_percent = 48.83;
    h.memory_leak_rate_mb_per_min = 0.12345;
    h.cpu_current_percent = 57.0;
    h.cpu_peak_percent = 57.0;
    h.status = "healthy";
    a.container_health.push_back(h);
    analysis::ContainerHealth hh;
    hh.container_name = kHostile;
    hh.display_name = kHostile;
    hh.memory_current_mb = 250;
    hh.memory_limit_mb = 256;
    hh.memory_percent = 97.66;
    hh.status = "critical";
    a.container_health.push_back(hh);

    analysis::DurationAnalysis d;
    analysis::LeakResult l;
    l.container = kSim;
    l.ols_memory_slope_mb_per_min = 1.2345;
    l.seed_memory_slope_mb_per_min = 1.5;
    l.seed_memory_leak_detected = true;
    l.tier = "investigate";
    l.verdict = "leak";
    l.reason = "p_HR < alpha and L > T_fail";
    l.memory.n_input = 50;
    d.leaks.push_back(l);
    analysis::LeakResult ok;
    ok.container = kKafka;
    ok.ols_memory_slope_mb_per_min = 0.01;
    ok.tier = "normal";
    ok.verdict = "ok";
    d.leaks.push_back(ok);
    analysis::CooldownResult cd;
    cd.container = kSim;
    cd.active_end_mb = 160;
    cd.cooldown_end_mb = 150;
    cd.delta_mb = -10;
    cd.delta_percent = -6.25;
    cd.memory_released = true;
    cd.classification = "released";
    d.cooldown.push_back(cd);
    a.duration = d;

    analysis::StressAnalysis s;
    s.trigger = model::Trigger{kKafka, "cpu", 136.2, 135.0, std::nullopt, {}};
    s.peak_values = {{kSim, 60.0, 80.0, {}}, {kKafka, 50.0, 136.2, {}}, {kHostile, 88.0, 20.0, {}}};
    s.drivers_queued = 100;
    s.last_healthy = 180;
    s.breaking_point = 200;
    s.recommended_load = 144;
    a.stress = s;

    analysis::SpeedAnalysis sp;
    analysis::SpeedStep s1;
    s1.step = 1;
    s1.multiplier = 2;
    s1.agent_count = 25;
    s1.sample_count = 4;
    s1.mean_cpu_percent = {{kSim, 51.5}, {kKafka, 22.25}};
    s1.mean_memory_percent = {{kSim, 48.8}};
    s1.mean_real_time_ratio = 1.0;
    analysis::SpeedStep s2 = s1;
    s2.step = 2;
    s2.multiplier = 4;
    s2.agent_count = 12;
    s2.threshold_hit = true;
    s2.trigger = model::Trigger{kSim, "rtr", 0.7, 0.9, std::nullopt, {}};
    s2.mean_cpu_percent = {{kSim, 55.5}};
    s2.mean_memory_percent = {{kSim, 49.0}};
    s2.mean_real_time_ratio = 0.7;
    sp.steps = {s1, s2};
    sp.max_speed_passed = 2;
    sp.max_speed_achieved = 4;
    a.speed = sp;

    a.verdict = analysis::Verdict::fail;
    a.scenarios_passed = 4;
    a.scenarios_failed = 0;
    a.total_oom_events = 1;
    a.critical_count = 1;
    a.warning_count = 1;
    return a;
}

// A fresh directory under the system temp dir, removed with the object.
using test_support::read_file;
using test_support::TempDir;

// The figure JSON embedded in a chart page.
inline nlohmann::json embedded_figure(const std::string& html) {
    const std::string open = "<script id=\"figure-data\" type=\"application/json\">";
    const auto begin = html.find(open);
    if (begin == std::string::npos) {
        return nullptr;
    }
    const auto end = html.find("</script>", begin + open.size());
    return nlohmann::json::parse(html.substr(begin + open.size(), end - begin - open.size()));
}

}  // namespace perfrunner::report::testing
