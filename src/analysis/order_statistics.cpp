#include "perfrunner/analysis/stats/order_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace perfrunner::analysis::stats {

double RankSelector::at_rank(std::size_t k_1based) {
    const std::size_t k = std::clamp<std::size_t>(k_1based, 1, values_.size()) - 1;
    const auto after = std::lower_bound(final_.begin(), final_.end(), k);
    if (after != final_.end() && *after == k) {
        return values_[k];
    }
    // Between the nearest final positions lie exactly the values of the ranks in between.
    const std::size_t from = after == final_.begin() ? 0 : *std::prev(after) + 1;
    const std::size_t to = after == final_.end() ? values_.size() : *after;
    std::nth_element(values_.begin() + static_cast<std::ptrdiff_t>(from),
                     values_.begin() + static_cast<std::ptrdiff_t>(k),
                     values_.begin() + static_cast<std::ptrdiff_t>(to));
    final_.insert(after, k);
    return values_[k];
}

std::vector<double> RankSelector::at_ranks(const std::vector<std::size_t>& ranks_1based) {
    std::vector<double> out(ranks_1based.size(), 0.0);
    if (values_.empty() || ranks_1based.empty()) {
        return out;
    }
    const auto [lowest, highest] = std::minmax_element(ranks_1based.begin(), ranks_1based.end());
    at_rank(*highest);
    at_rank(*lowest);
    for (std::size_t i = 0; i < ranks_1based.size(); ++i) {
        out[i] = at_rank(ranks_1based[i]);
    }
    return out;
}

std::vector<double> values_at_ranks(std::vector<double>& values, const std::vector<std::size_t>& ranks) {
    RankSelector selector(std::move(values));
    auto out = selector.at_ranks(ranks);
    values = selector.take();
    return out;
}

double median_by_selection(std::vector<double>& values) {
    const std::size_t n = values.size();
    if (n == 0) {
        return 0.0;
    }
    if (n % 2 == 1) {
        return values_at_ranks(values, {n / 2 + 1})[0];
    }
    const auto v = values_at_ranks(values, {n / 2, n / 2 + 1});
    return 0.5 * (v[0] + v[1]);
}

std::pair<std::size_t, std::size_t> sen_ci_ranks(std::size_t n_pairs, double c) {
    const auto n = static_cast<double>(n_pairs);
    // std::nearbyint rounds half to even in the default rounding mode, like numpy.round.
    const double lo = std::nearbyint((n - c) / 2.0);
    const double hi = std::nearbyint((n + c) / 2.0) + 1.0;
    const auto clamp_rank = [&](double r) {
        if (r < 1.0) {
            return std::size_t{1};
        }
        if (r > n) {
            return n_pairs;
        }
        return static_cast<std::size_t>(r);
    };
    return {clamp_rank(lo), clamp_rank(hi)};
}

MedianInterval median_with_interval(RankSelector& values, double c) {
    const std::size_t m = values.size();
    const auto [lo, hi] = sen_ci_ranks(m, c);
    std::vector<std::size_t> ranks{lo, hi};
    if (m % 2 == 1) {
        ranks.push_back(m / 2 + 1);
    } else {
        ranks.push_back(m / 2);
        ranks.push_back(m / 2 + 1);
    }
    const auto v = values.at_ranks(ranks);
    return {m % 2 == 1 ? v[2] : 0.5 * (v[2] + v[3]), v[0], v[1]};
}

MedianInterval median_with_interval(std::vector<double>& values, double c) {
    RankSelector selector(std::move(values));
    const MedianInterval out = median_with_interval(selector, c);
    values = selector.take();
    return out;
}

}  // namespace perfrunner::analysis::stats
