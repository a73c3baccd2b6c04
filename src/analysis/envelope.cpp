#include "perfrunner/analysis/stats/envelope.hpp"

#include <cmath>

namespace perfrunner::analysis::stats {

Envelope lower_envelope(std::span<const double> t, std::span<const double> y, double window) {
    Envelope e;
    const std::size_t n = std::min(t.size(), y.size());
    if (n == 0 || !(window > 0)) {
        return e;
    }
    const double t0 = t[0];
    long current = -1;
    for (std::size_t i = 0; i < n; ++i) {
        const auto k = static_cast<long>(std::floor((t[i] - t0) / window));
        if (k != current) {
            e.t.push_back(t[i]);
            e.y.push_back(y[i]);
            current = k;
        } else if (y[i] < e.y.back()) {
            e.t.back() = t[i];
            e.y.back() = y[i];
        }
    }
    return e;
}

}  // namespace perfrunner::analysis::stats
