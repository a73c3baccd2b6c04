#pragma once
// The one JSON mapping of scenario metadata (results-schema.md §5, §9): read from results.json files written
// by perfrunner or by the reference framework, written back in the reference key order, then perfrunner's
// additions, then the unknown keys that were read.
#include <string_view>

#include <nlohmann/json.hpp>

#include "perfrunner/model/scenario_metadata.hpp"

namespace perfrunner::model {

// The `metadata` object of the scenario named `scenario_name`; null and {} give std::monostate. Ints and
// floats are accepted for each other (§8 rule 2). A wrong type throws InputError with one line naming the
// JSON path, e.g. "results.json: scenarios[1].metadata.trigger.value: expected a number, got "abc"".
ScenarioMetadata metadata_from_json(std::string_view scenario_name, const nlohmann::ordered_json& metadata,
                                    std::string_view source = "results.json",
                                    std::string_view path = "metadata");

// std::monostate gives {}.
nlohmann::ordered_json metadata_to_json(const ScenarioMetadata& metadata);

// Stores a duration scenario's analysis parts - {phase_analysis, leak_analysis, cooldown_analysis} as the
// analysis' mapping produced them (analysis::duration_analysis_json) - as recorded; other keys are ignored.
void record_duration_analysis(DurationMetadata& metadata, const nlohmann::ordered_json& parts);

// Parts in the same shape, for the analysis' stress and speed summaries: a trigger (null when none) and the
// peak values (container -> {memory_percent, cpu_percent}).
nlohmann::ordered_json trigger_to_json(const std::optional<Trigger>& trigger);
nlohmann::ordered_json peak_values_to_json(const std::vector<PeakValues>& peaks);

}  // namespace perfrunner::model
