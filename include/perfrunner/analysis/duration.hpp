#pragma once
// Duration (leak) scenario analysis: the seed's per-phase endpoint slopes and leak flags, the statistical
// leak verdict per container (statistics.md §6) and the cooldown comparison on window medians (§9).
#include <nlohmann/json.hpp>

#include "perfrunner/analysis/analysis.hpp"
#include "perfrunner/analysis/leak_rule.hpp"

namespace perfrunner::analysis {

DurationAnalysis analyze_duration(const model::RunResult& run, const model::ScenarioResult& scenario,
                                  const config::Config& config);

// What the duration scenario stores in its metadata at run time: analyze_duration mapped by
// duration_analysis_json (analysis_json.hpp), {phase_analysis, leak_analysis, cooldown_analysis} in the
// reference shape (results-schema.md §5), each leak_analysis entry keeping the seed's fields and gaining
// `verdict`, `reason` and the statistics.
nlohmann::json duration_metadata(const model::RunResult& run, const model::ScenarioResult& scenario,
                                 const config::Config& config);

// Leak-rule settings for one container from the config (0 = documented default).
LeakRuleSettings leak_settings(const config::Config& config, const std::string& container);

}  // namespace perfrunner::analysis
