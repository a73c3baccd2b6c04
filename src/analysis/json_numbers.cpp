#include "perfrunner/analysis/json_numbers.hpp"

#include "perfrunner/model/rounding.hpp"

namespace perfrunner::analysis {

nlohmann::json rounded(double value, int digits) {
    return rounded(std::optional<double>(value), digits);
}

nlohmann::json rounded(const std::optional<double>& value, int digits) {
    const auto r = model::round_half_even(value, digits);
    if (!r) {
        return nullptr;
    }
    return *r;
}

}  // namespace perfrunner::analysis
