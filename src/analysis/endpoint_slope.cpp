#include "perfrunner/analysis/stats/endpoint_slope.hpp"

namespace perfrunner::analysis::stats {

std::optional<double> endpoint_slope(std::span<const double> t, std::span<const double> y) {
    if (t.size() < 2 || t.size() != y.size()) {
        return std::nullopt;
    }
    const double dt = t.back() - t.front();
    if (dt == 0) {
        return 0.0;
    }
    return (y.back() - y.front()) / dt;
}

}  // namespace perfrunner::analysis::stats
