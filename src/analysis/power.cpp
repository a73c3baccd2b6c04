#include "perfrunner/analysis/stats/power.hpp"

#include <cmath>

#include "perfrunner/analysis/stats/distributions.hpp"

namespace perfrunner::analysis::stats {

double minimum_detectable_slope(double se) {
    return (normal_quantile(0.95) + normal_quantile(0.80)) * se;
}

double duration_for_mds(double duration, double mds, double target) {
    if (!(target > 0) || !(mds > 0)) {
        return duration;
    }
    return duration * std::pow(mds / target, 2.0 / 3.0);
}

}  // namespace perfrunner::analysis::stats
