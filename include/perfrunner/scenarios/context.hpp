#pragma once
// Everything a scenario may touch: the ports, the config and the run it adds to. Scenarios never reach past
// these interfaces, so unit tests drive them with fakes and a virtual clock.
#include "perfrunner/config/config.hpp"
#include "perfrunner/model/results.hpp"
#include "perfrunner/ports/clock.hpp"
#include "perfrunner/ports/metrics_source.hpp"
#include "perfrunner/ports/results_sink.hpp"
#include "perfrunner/ports/simulation_control.hpp"
#include "perfrunner/ports/stack_controller.hpp"
#include "perfrunner/progress/listener.hpp"

namespace perfrunner::scenarios {

struct Ports {
    ports::Clock& clock;
    const ports::StopToken& stop;
    ports::MetricsSource& metrics;
    ports::StackController& stack;
    ports::SimulationControl& simulation;
    ports::ResultsSink& sink;
    progress::ProgressListener& progress;
};

struct ScenarioContext {
    Ports ports;
    const config::Config& config;
    model::RunResult& run;
};

// Thrown inside a scenario when the stop token is set (SIGINT/SIGTERM); the runner marks the scenario aborted
// with "user_interrupt" after the scenario has stored what it has.
struct Interrupted {};

}  // namespace perfrunner::scenarios
