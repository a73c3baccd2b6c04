#pragma once
#include <gtest/gtest.h>

#include "fakes/harness.hpp"
#include "perfrunner/scenarios/context.hpp"
#include "perfrunner/scenarios/stress.hpp"

namespace perfrunner::scenarios::testing {

struct ScenarioFixture : ::testing::Test {
    fakes::Harness h;
    model::RunResult run;
    ScenarioContext ctx{
        {h.clock, h.stop, h.metrics, h.stack, h.simulation, h.sink, h.progress}, h.config, run};

    model::ScenarioResult& add(const char* name) {
        auto& s = run.scenarios.emplace_back();
        s.scenario_name = name;
        return s;
    }
    // A baseline as the reference runs it (the simulation stopped: no real-time ratio) whose 10 status calls
    // took `latency_ms` each (p95 = latency_ms).
    void fill_stopped_baseline(model::ScenarioResult& baseline, double latency_ms) {
        for (int i = 0; i < 10; ++i) {
            model::Sample s;
            s.timestamp = h.t0() - 100.0 + i;
            model::PaceSample p;
            p.state = "stopped";
            p.status_latency_ms = latency_ms;
            s.pace = p;
            baseline.samples.push_back(s);
        }
    }
    // Idle containers plus one whose value a test decides, as a function of seconds since the start.
    void script(std::function<void(double t, ports::MetricsReading&)> tweak) {
        h.metrics.script = [tweak](double t) {
            ports::MetricsReading m;
            m.ok = true;
            m.containers = {fakes::reading("rideshare-simulation", 20.0, 10.0, 1.0),
                            fakes::reading("rideshare-kafka", 30.0, 20.0, 1.5)};
            tweak(t, m);
            return m;
        };
    }
};

// A run with a baseline (filled by the test, e.g. fill_stopped_baseline) and the stress test run on the
// fixture's config after it: the stress scenario reads the baseline's calibration.
struct BaselineThenStressFixture : ScenarioFixture {
    bool reserved = (run.scenarios.reserve(4), true);  // the references below stay valid
    model::ScenarioResult& baseline = add("baseline");
    model::ScenarioResult& stress = add("stress_test");

    void run_stress() {
        StressScenario s(h.config);
        stress.scenario_params = s.params();
        s.run(ctx, stress);
    }
    const model::StressMetadata& md() const { return std::get<model::StressMetadata>(stress.metadata); }
};

}  // namespace perfrunner::scenarios::testing
