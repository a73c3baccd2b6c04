#pragma once
// The scenario_name of each scenario as results.json spells it (results-schema.md §4): the key every reader
// looks a scenario up by (§8 rule 4), never its index. Character arrays, so they convert to std::string and
// std::string_view alike.

namespace perfrunner::model::scenario_names {

inline constexpr char kBaseline[] = "baseline";
inline constexpr char kStress[] = "stress_test";
inline constexpr char kDuration[] = "duration_leak";
inline constexpr char kSpeed[] = "speed_scaling";

}  // namespace perfrunner::model::scenario_names
