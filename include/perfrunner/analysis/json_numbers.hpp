#pragma once
// Numbers for JSON output: model::round_half_even (the one rounding rule, results-schema.md §1) at the shown
// precision, and never NaN/Infinity (null instead, results-schema.md §9 / statistics.md §11).
#include <optional>

#include <nlohmann/json.hpp>

#include "perfrunner/model/rounding.hpp"

namespace perfrunner::analysis {

// Rounded to `digits` decimals; null when absent or not finite. Json: nlohmann::json or ordered_json.
template <class Json = nlohmann::json>
Json rounded(const std::optional<double>& value, int digits) {
    const auto r = model::round_half_even(value, digits);
    if (!r) {
        return Json(nullptr);
    }
    return Json(*r);
}

}  // namespace perfrunner::analysis
