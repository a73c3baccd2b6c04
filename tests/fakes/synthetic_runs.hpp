#pragma once
// Synthetic runs for `perfrunner compare` tests (issue 14): a baseline, a step-mode stress, a duration phase
// and three speed steps with two containers and the simulation's pace, 2-s samples. Noise is white or AR(1)
// (lag-1 correlation rho, the same marginal spread), so tests can check both the level and the power.
#include <algorithm>
#include <cmath>
#include <random>
#include <string>

#include "perfrunner/model/results.hpp"
#include "perfrunner/model/scenario_metadata.hpp"
#include "perfrunner/model/scenario_names.hpp"

namespace perfrunner::fakes {

struct RunShape {
    double simulation_cpu = 50.0;  // duration and speed level of the simulation's CPU %
    long last_healthy = 200;
    long breaking_point = 210;
    int max_speed_passed = 4;
    bool oom = false;
    unsigned seed = 1;
    double rho = 0.0;  // lag-1 autocorrelation of every noise stream
    std::size_t duration_samples = 150;
};

// AR(1) noise with unit marginal variance: x_t = rho x_{t-1} + sqrt(1 - rho^2) e_t, started stationary.
class Ar1Noise {
  public:
    Ar1Noise(double rho, std::mt19937_64& rng) : rho_(rho), rng_(&rng), x_(normal_(rng)) {}
    double next() {
        x_ = rho_ * x_ + std::sqrt(1.0 - rho_ * rho_) * normal_(*rng_);
        return x_;
    }

  private:
    double rho_;
    std::mt19937_64* rng_;
    std::normal_distribution<double> normal_{0.0, 1.0};
    double x_;
};

struct NoiseStreams {
    Ar1Noise sim_cpu, sim_mem, kafka_cpu, kafka_mem, latency;
    NoiseStreams(double rho, std::mt19937_64& rng)
        : sim_cpu(rho, rng), sim_mem(rho, rng), kafka_cpu(rho, rng), kafka_mem(rho, rng), latency(rho, rng) {}
};

inline void add_samples(model::RunResult& run, model::ScenarioResult& sc, std::size_t n, double cpu,
                        NoiseStreams& noise) {
    const auto sim = run.intern("rideshare-simulation");
    const auto kafka = run.intern("rideshare-kafka");
    for (std::size_t i = 0; i < n; ++i) {
        model::Sample s;
        s.timestamp = 1.8e9 + static_cast<double>(sc.samples.size()) * 2.0;
        model::ContainerSample a;
        a.container = sim;
        a.cpu_percent = cpu + 2.0 * noise.sim_cpu.next();
        a.memory_used_mb = 400.0 + noise.sim_mem.next();
        model::ContainerSample b;
        b.container = kafka;
        b.cpu_percent = 20.0 + noise.kafka_cpu.next();
        b.memory_used_mb = 700.0 + noise.kafka_mem.next();
        s.containers = {a, b};
        model::PaceSample p;
        p.status_latency_ms = 3.0 + 0.2 * noise.latency.next();
        p.real_time_ratio = 1.0;
        s.pace = p;
        sc.samples.push_back(std::move(s));
    }
}

inline model::RunResult make_run(const RunShape& shape) {
    namespace names = model::scenario_names;
    std::mt19937_64 rng(shape.seed);
    NoiseStreams noise(shape.rho, rng);
    model::RunResult run;
    run.test_id = "run" + std::to_string(shape.seed);
    run.started_at = "2027-01-15T10:00:00Z";
    run.completed_at = "2027-01-15T10:30:00Z";

    model::ScenarioResult baseline;
    baseline.scenario_name = names::kBaseline;
    add_samples(run, baseline, 15, 1.0, noise);
    run.scenarios.push_back(std::move(baseline));

    model::ScenarioResult stress;
    stress.scenario_name = names::kStress;
    model::StressMetadata sm;
    model::StressStepResult steps;
    for (long level = 50; level <= shape.breaking_point; level += 50) {
        model::StressStep st;
        st.level = level;
        st.live_drivers = std::min(level, shape.breaking_point);
        steps.steps.push_back(st);
    }
    steps.last_healthy = shape.last_healthy;
    steps.breaking_point = shape.breaking_point;
    sm.step_mode = steps;
    stress.metadata = sm;
    if (shape.oom) {
        model::OomEvent e;
        e.container_name = "rideshare-simulation";
        stress.oom_events.push_back(e);
    }
    run.scenarios.push_back(std::move(stress));

    model::ScenarioResult duration;
    duration.scenario_name = names::kDuration;
    duration.scenario_params = {{"drivers", 160}, {"riders", 160}};
    add_samples(run, duration, shape.duration_samples, shape.simulation_cpu, noise);
    model::DurationMetadata dm;
    model::PhaseSampleCounts counts;
    counts.active = shape.duration_samples;
    counts.drain = 0;
    counts.cooldown = 0;
    dm.phase_sample_counts = counts;
    duration.metadata = dm;
    run.scenarios.push_back(std::move(duration));

    model::ScenarioResult speed;
    speed.scenario_name = names::kSpeed;
    model::SpeedMetadata spm;
    for (int step = 1; step <= 3; ++step) {
        model::SpeedStepResult r;
        r.step = step;
        r.multiplier = 1 << step;
        r.sample_count = 60;
        r.threshold_hit = r.multiplier > shape.max_speed_passed;
        add_samples(run, speed, 60, shape.simulation_cpu, noise);
        spm.step_results.push_back(r);
    }
    spm.total_steps = 3;
    speed.metadata = spm;
    run.scenarios.push_back(std::move(speed));
    return run;
}

}  // namespace perfrunner::fakes
