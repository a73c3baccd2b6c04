#include "perfrunner/analysis/stats/theil_sen.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "perfrunner/analysis/stats/distributions.hpp"
#include "perfrunner/analysis/stats/mann_kendall.hpp"
#include "perfrunner/analysis/stats/order_statistics.hpp"

namespace perfrunner::analysis::stats {

namespace {

std::vector<double> slopes_of(std::span<const double> t, std::span<const double> y) {
    const std::size_t n = std::min(t.size(), y.size());
    std::vector<double> slopes;
    slopes.reserve(n * (n - (n > 0 ? 1 : 0)) / 2);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = i + 1; j < n; ++j) {
            const double dt = t[j] - t[i];
            if (dt != 0) {
                slopes.push_back((y[j] - y[i]) / dt);
            }
        }
    }
    return slopes;
}

}  // namespace

PairwiseSlopes::PairwiseSlopes(std::span<const double> t, std::span<const double> y)
    : t_(t.first(std::min(t.size(), y.size()))),
      y_(y.first(std::min(t.size(), y.size()))),
      slopes_(slopes_of(t_, y_)) {}

TheilSen PairwiseSlopes::fit(double alpha, std::optional<double> var_s) {
    TheilSen r;
    const std::size_t n = t_.size();
    r.n_pairs = slopes_.size();
    if (r.n_pairs == 0) {
        return r;
    }
    r.valid = true;
    const double var = var_s ? *var_s : mann_kendall_variance(y_);
    const double c = normal_quantile(1.0 - alpha / 2.0) * std::sqrt(std::max(var, 0.0));
    const auto mi = median_with_interval(slopes_, c);
    r.lower = mi.lower;
    r.upper = mi.upper;
    r.slope = mi.median;
    std::vector<double> residual(n);
    for (std::size_t i = 0; i < n; ++i) {
        residual[i] = y_[i] - r.slope * t_[i];
    }
    r.intercept = median_by_selection(residual);
    return r;
}

TheilSen theil_sen(std::span<const double> t, std::span<const double> y, double alpha,
                   std::optional<double> var_s) {
    return PairwiseSlopes(t, y).fit(alpha, var_s);
}

}  // namespace perfrunner::analysis::stats
