#include "perfrunner/model/rounding.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace perfrunner::model {

double round_half_even(double value, int decimals) {
    if (!std::isfinite(value)) {
        return value;
    }
    const double scale = std::pow(10.0, decimals);
    const double scaled = value * scale;
    if (!std::isfinite(scaled)) {
        return value;
    }
    // Fast path: far from a tie, the scaled product rounds the same way as the exact binary value.
    const double frac = std::fabs(scaled - std::trunc(scaled));
    double r = 0.0;
    if (std::fabs(frac - 0.5) > 1e-6 && std::fabs(scaled) < 1e15) {
        r = std::nearbyint(scaled) / scale;
    } else {
        // Near a tie the product may have rounded across it: glibc's printf rounds the exact binary value,
        // half to even, as Python's round() does.
        char buf[512];
        std::snprintf(buf, sizeof buf, "%.*f", decimals < 0 ? 0 : decimals, value);
        r = std::strtod(buf, nullptr);
    }
    return r == 0.0 ? 0.0 : r;
}

std::optional<double> round_half_even(std::optional<double> value, int decimals) {
    if (!value || !std::isfinite(*value)) {
        return std::nullopt;
    }
    return round_half_even(*value, decimals);
}

}  // namespace perfrunner::model
