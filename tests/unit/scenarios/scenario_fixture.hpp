#pragma once
#include <gtest/gtest.h>

#include "fakes/harness.hpp"
#include "perfrunner/scenarios/context.hpp"

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

}  // namespace perfrunner::scenarios::testing
