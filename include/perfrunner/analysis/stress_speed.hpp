#pragma once
// The stress test's and speed scaling's analysis: what their metadata recorded (trigger, peaks, capacity; the
// steps), completed from the samples where the record is missing (aborted reference runs) and with each speed
// step's means over its own samples.
#include "perfrunner/analysis/analysis.hpp"

namespace perfrunner::analysis {

StressAnalysis analyze_stress(const model::RunResult& run, const model::ScenarioResult& scenario);

SpeedAnalysis analyze_speed(const model::RunResult& run, const model::ScenarioResult& scenario,
                            const config::Config& config);

}  // namespace perfrunner::analysis
