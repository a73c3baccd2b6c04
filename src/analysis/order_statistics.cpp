#include "perfrunner/analysis/stats/order_statistics.hpp"

#include <algorithm>
#include <cmath>

namespace perfrunner::analysis::stats {

std::vector<double> values_at_ranks(std::vector<double>& values, std::vector<std::size_t> ranks) {
    std::vector<double> out(ranks.size(), 0.0);
    if (values.empty()) {
        return out;
    }
    const std::size_t n = values.size();
    std::vector<std::size_t> order(ranks.size());
    for (std::size_t i = 0; i < ranks.size(); ++i) {
        ranks[i] = std::clamp<std::size_t>(ranks[i], 1, n) - 1;
        order[i] = i;
    }
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return ranks[a] < ranks[b] || (ranks[a] == ranks[b] && a < b);
    });
    // Successive selections on the shrinking right part: after nth_element at k, everything right of k is ≥
    // v[k].
    std::size_t from = 0;
    for (std::size_t idx : order) {
        const std::size_t k = ranks[idx];
        if (k >= from) {
            std::nth_element(values.begin() + static_cast<std::ptrdiff_t>(from),
                             values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
            from = k + 1;
        }
        out[idx] = values[k];
    }
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

MedianInterval median_with_interval(std::vector<double>& values, double c) {
    const std::size_t m = values.size();
    const auto [lo, hi] = sen_ci_ranks(m, c);
    std::vector<std::size_t> ranks{lo, hi};
    if (m % 2 == 1) {
        ranks.push_back(m / 2 + 1);
    } else {
        ranks.push_back(m / 2);
        ranks.push_back(m / 2 + 1);
    }
    const auto v = values_at_ranks(values, ranks);
    return {m % 2 == 1 ? v[2] : 0.5 * (v[2] + v[3]), v[0], v[1]};
}

}  // namespace perfrunner::analysis::stats
