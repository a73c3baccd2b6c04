#include "perfrunner/analysis/stats/hodges_lehmann.hpp"

#include <cmath>
#include <vector>

#include "perfrunner/analysis/stats/distributions.hpp"
#include "perfrunner/analysis/stats/order_statistics.hpp"

namespace perfrunner::analysis::stats {

HodgesLehmann hodges_lehmann(std::span<const double> before, std::span<const double> after, double alpha) {
    HodgesLehmann r;
    if (before.empty() || after.empty()) return r;
    std::vector<double> d;
    d.reserve(before.size() * after.size());
    for (double a : before) {
        for (double c : after) d.push_back(c - a);
    }
    r.n_pairs = d.size();
    r.valid = true;
    const auto na = static_cast<double>(before.size());
    const auto nc = static_cast<double>(after.size());
    const double c_mw = normal_quantile(1.0 - alpha / 2.0) * std::sqrt(na * nc * (na + nc + 1) / 3.0);
    const auto [lo, hi] = sen_ci_ranks(r.n_pairs, c_mw);
    const std::size_t m = r.n_pairs;
    std::vector<std::size_t> ranks{lo, hi};
    if (m % 2 == 1) {
        ranks.push_back(m / 2 + 1);
    } else {
        ranks.push_back(m / 2);
        ranks.push_back(m / 2 + 1);
    }
    const auto v = values_at_ranks(d, ranks);
    r.lower = v[0];
    r.upper = v[1];
    r.shift = m % 2 == 1 ? v[2] : 0.5 * (v[2] + v[3]);
    return r;
}

}  // namespace perfrunner::analysis::stats
