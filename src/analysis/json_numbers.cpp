#include "perfrunner/analysis/json_numbers.hpp"

#include <cmath>

namespace perfrunner::analysis {

double round_to(double value, int digits) {
    const double scale = std::pow(10.0, digits);
    const double r = std::round(value * scale) / scale;
    return r == 0.0 ? 0.0 : r;  // no "-0.0"
}

nlohmann::json rounded(double value, int digits) {
    if (!std::isfinite(value)) return nullptr;
    const double r = round_to(value, digits);
    if (!std::isfinite(r)) return nullptr;
    return r;
}

nlohmann::json rounded(const std::optional<double>& value, int digits) {
    if (!value) return nullptr;
    return rounded(*value, digits);
}

}  // namespace perfrunner::analysis
