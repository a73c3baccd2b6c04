#include "perfrunner/analysis/stats/theil_sen.hpp"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "perfrunner/analysis/stats/distributions.hpp"
#include "perfrunner/analysis/stats/mann_kendall.hpp"
#include "perfrunner/analysis/stats/order_statistics.hpp"

namespace perfrunner::analysis::stats {

namespace {

// Strictly increasing finite times: every pair has t[j] − t[i] > 0, so every pair has a slope.
bool strictly_increasing(std::span<const double> t) {
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (!std::isfinite(t[i]) || (i > 0 && !(t[i - 1] < t[i]))) {
            return false;
        }
    }
    return true;
}

// The pairs with t[j] − t[i] ≠ 0, as slopes_of keeps them; `increasing`: strictly_increasing(t), so all.
std::size_t count_pairs(std::span<const double> t, bool increasing) {
    const std::size_t n = t.size();
    if (increasing) {
        return n * (n - (n > 0 ? 1 : 0)) / 2;
    }
    std::size_t pairs = 0;
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = i + 1; j < n; ++j) {
            pairs += t[j] - t[i] != 0 ? 1 : 0;
        }
    }
    return pairs;
}

// The slopes of point i to each of the `width` points after it, with slopes_of's expression. Why the
// restrict and the even count: gcc's -O2 vectorises only a loop with no alias check and no scalar epilogue
// (its "very cheap" model); the divisions, two at a time, are most of a pass.
void row_slopes(double* __restrict out, const double* __restrict y_after, const double* __restrict t_after,
                double yi, double ti, std::size_t width) {
    const std::size_t even = width & ~std::size_t{1};
    for (std::size_t k = 0; k < even; ++k) {
        out[k] = (y_after[k] - yi) / (t_after[k] - ti);
    }
    for (std::size_t k = even; k < width; ++k) {
        out[k] = (y_after[k] - yi) / (t_after[k] - ti);
    }
}

std::vector<double> slopes_of(std::span<const double> t, std::span<const double> y) {
    const std::size_t n = t.size();
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
    : t_(t.first(std::min(t.size(), y.size()))), y_(y.first(std::min(t.size(), y.size()))) {
    const bool increasing = strictly_increasing(t_);
    n_pairs_ = count_pairs(t_, increasing);
    stream_ = increasing && n_pairs_ >= RankSelector::kBracketFrom;
}

bool PairwiseSlopes::bracket(std::size_t lowest, std::size_t highest) {
    const std::size_t n = t_.size();
    // A random sample of the pairs (SamplePositions says why not an even stride through the (i, j) order).
    std::vector<double> sample(RankBracket::kSample);
    SamplePositions points(n);
    for (double& v : sample) {
        std::size_t i = points.next(), j = points.next();
        while (i == j) {
            j = points.next();
        }
        if (j < i) {
            std::swap(i, j);
        }
        v = (y_[j] - y_[i]) / (t_[j] - t_[i]);
    }
    auto band = RankBracket::from_sample(std::move(sample), n_pairs_, lowest, highest);
    if (!band) {
        return false;
    }
    std::vector<double> row(n);
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const std::size_t width = n - i - 1;
        row_slopes(row.data(), &y_[i + 1], &t_[i + 1], y_[i], t_[i], width);
        band->add(std::span<const double>(row).first(width));
    }
    if (!band->holds(lowest, highest)) {
        return false;
    }
    kept_first_ = band->below();
    kept_.emplace(band->take_inside());
    return true;
}

std::vector<double> PairwiseSlopes::at_ranks(const std::vector<std::size_t>& ranks) {
    std::vector<std::size_t> clamped(ranks.size());
    std::transform(ranks.begin(), ranks.end(), clamped.begin(),
                   [&](std::size_t k) { return std::clamp<std::size_t>(k, 1, n_pairs_); });
    const auto [lowest, highest] = std::minmax_element(clamped.begin(), clamped.end());
    if (!all_ && stream_) {
        const bool kept = kept_ && *lowest > kept_first_ && *highest <= kept_first_ + kept_->size();
        if (kept || bracket(*lowest, *highest)) {
            for (auto& k : clamped) {
                k -= kept_first_;
            }
            return kept_->at_ranks(clamped);
        }
    }
    if (!all_) {
        all_.emplace(slopes_of(t_, y_));
    }
    return all_->at_ranks(clamped);
}

TheilSen PairwiseSlopes::fit(double alpha, std::optional<double> var_s) {
    TheilSen r;
    const std::size_t n = t_.size();
    r.n_pairs = n_pairs_;
    if (r.n_pairs == 0) {
        return r;
    }
    r.valid = true;
    const double var = var_s ? *var_s : mann_kendall_variance(y_);
    const double c = normal_quantile(1.0 - alpha / 2.0) * std::sqrt(std::max(var, 0.0));
    const auto mi = median_with_interval(
        n_pairs_, c, [this](const std::vector<std::size_t>& ranks) { return at_ranks(ranks); });
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
