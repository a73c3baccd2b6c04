#pragma once
// Numbers for JSON output: rounded like Python's round() on the shown precision, and never NaN/Infinity
// (null instead, results-schema.md §9 / statistics.md §11).
#include <optional>

#include <nlohmann/json.hpp>

namespace perfrunner::analysis {

// Rounded to `digits` decimals (half away from zero on the decimal value); null when not finite.
nlohmann::json rounded(double value, int digits);
nlohmann::json rounded(const std::optional<double>& value, int digits);
double round_to(double value, int digits);

}  // namespace perfrunner::analysis
