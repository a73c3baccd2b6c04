#include "perfrunner/analysis/stats/descriptive.hpp"

#include <algorithm>
#include <cmath>

namespace perfrunner::analysis::stats {

double percentile_sorted(std::span<const double> sorted, double p) {
    if (sorted.empty()) {
        return 0.0;
    }
    const double pos = (p / 100.0) * static_cast<double>(sorted.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    const double frac = pos - static_cast<double>(lo);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}

double median_inplace(std::vector<double>& values) {
    if (values.empty()) {
        return 0.0;
    }
    const std::size_t n = values.size();
    const auto mid = values.begin() + static_cast<std::ptrdiff_t>(n / 2);
    std::nth_element(values.begin(), mid, values.end());
    const double upper = *mid;
    if (n % 2 == 1) {
        return upper;
    }
    const double lower = *std::max_element(values.begin(), mid);
    return 0.5 * (lower + upper);
}

SeriesStats describe(std::span<const double> values) {
    SeriesStats s;
    s.n = values.size();
    if (values.empty()) {
        return s;
    }
    std::vector<double> sorted(values.begin(), values.end());
    std::sort(sorted.begin(), sorted.end());
    // Compensated (Neumaier) summation: the mean is exact to the last bit, so values that sit on a rounding
    // half (e.g. 16.85 from 1-dp inputs) round like numpy's pairwise sum rather than drifting below it.
    double sum = 0, compensation = 0;
    for (double v : values) {
        const double t = sum + v;
        compensation += std::fabs(sum) >= std::fabs(v) ? (sum - t) + v : (v - t) + sum;
        sum = t;
    }
    s.mean = (sum + compensation) / static_cast<double>(s.n);
    double ss = 0;
    for (double v : sorted) {
        ss += (v - s.mean) * (v - s.mean);
    }
    s.std = std::sqrt(ss / static_cast<double>(s.n));
    s.min = sorted.front();
    s.max = sorted.back();
    s.p50 = percentile_sorted(sorted, 50);
    s.p95 = percentile_sorted(sorted, 95);
    s.p99 = percentile_sorted(sorted, 99);
    return s;
}

}  // namespace perfrunner::analysis::stats
