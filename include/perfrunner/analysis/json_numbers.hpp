#pragma once
// Numbers for JSON output: model::round_half_even (the one rounding rule, results-schema.md §1) at the shown
// precision, and never NaN/Infinity (null instead, results-schema.md §9 / statistics.md §11).
#include <optional>

#include <nlohmann/json.hpp>

namespace perfrunner::analysis {

// Rounded to `digits` decimals with model::round_half_even; null when absent or not finite.
nlohmann::json rounded(double value, int digits);
nlohmann::json rounded(const std::optional<double>& value, int digits);

}  // namespace perfrunner::analysis
