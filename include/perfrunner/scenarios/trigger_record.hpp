#pragma once
// A trigger of the stress rule as the scenarios record it in their metadata, rounded as results.json writes
// it (results-schema.md §5, statistics.md §10.2).
#include <vector>

#include "perfrunner/model/scenario_metadata.hpp"

namespace perfrunner::scenarios {

// The reference's shape {container, metric, value (2 dp), threshold}: the stress test keeps the threshold
// unrounded, speed scaling rounds it to 2 dp.
model::Trigger reference_trigger(const model::Trigger& trigger, bool round_threshold);

// With the breach detail: value, threshold and window mean 2 dp.
model::Trigger detailed_trigger(const model::Trigger& trigger);

// A level's window means as recorded: 2 dp.
std::vector<model::LevelWindowMean> round_window_means(std::vector<model::LevelWindowMean> means);

}  // namespace perfrunner::scenarios
