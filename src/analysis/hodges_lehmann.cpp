#include "perfrunner/analysis/stats/hodges_lehmann.hpp"

#include <cmath>
#include <vector>

#include "perfrunner/analysis/stats/distributions.hpp"
#include "perfrunner/analysis/stats/order_statistics.hpp"

namespace perfrunner::analysis::stats {

HodgesLehmann hodges_lehmann(std::span<const double> before, std::span<const double> after, double alpha) {
    HodgesLehmann r;
    if (before.empty() || after.empty()) {
        return r;
    }
    std::vector<double> d;
    d.reserve(before.size() * after.size());
    for (double a : before) {
        for (double c : after) {
            d.push_back(c - a);
        }
    }
    r.n_pairs = d.size();
    r.valid = true;
    const auto na = static_cast<double>(before.size());
    const auto nc = static_cast<double>(after.size());
    const double c_mw = normal_quantile(1.0 - alpha / 2.0) * std::sqrt(na * nc * (na + nc + 1) / 3.0);
    const auto mi = median_with_interval(d, c_mw);
    r.lower = mi.lower;
    r.upper = mi.upper;
    r.shift = mi.median;
    return r;
}

}  // namespace perfrunner::analysis::stats
