#include "perfrunner/analysis/stats/descriptive.hpp"

#include <algorithm>
#include <cmath>

#include "perfrunner/analysis/stats/order_statistics.hpp"

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

namespace {

// (a, b, c) reordered so that a <= b <= c.
void sort3(double& a, double& b, double& c) {
    const double lo = std::min(a, b);
    const double hi = std::max(a, b);
    const double mid = std::max(lo, std::min(hi, c));
    a = std::min(lo, c);
    c = std::max(hi, c);
    b = mid;
}

double median3(double a, double b, double c) {
    return std::max(std::min(a, b), std::min(std::max(a, b), c));
}

}  // namespace

// Sort the three triples. The fifth smallest of the nine is then the median of: the largest of the three
// minima (at least three values, the minima, lie at or below it), the median of the middles, and the smallest
// of the maxima. Branch-free min/max instead of nth_element's partitioning: about a quarter of the time.
double median_of_nine(const std::array<double, 9>& values) {
    std::array<double, 9> v = values;
    sort3(v[0], v[1], v[2]);
    sort3(v[3], v[4], v[5]);
    sort3(v[6], v[7], v[8]);
    return median3(std::max({v[0], v[3], v[6]}), median3(v[1], v[4], v[7]), std::min({v[2], v[5], v[8]}));
}

double median_inplace(std::vector<double>& values) {
    if (values.empty()) {
        return 0.0;
    }
    const std::size_t n = values.size();
    const auto mid = values.begin() + static_cast<std::ptrdiff_t>(n / 2);
    if (std::none_of(values.begin(), values.end(), [](double v) { return std::isnan(v); })) {
        nth_element_without_nan(values, n / 2);
    } else {
        std::nth_element(values.begin(), mid, values.end());
    }
    const double upper = *mid;
    if (n % 2 == 1) {
        return upper;
    }
    const double lower = *std::max_element(values.begin(), mid);
    return 0.5 * (lower + upper);
}

namespace {

// Percentiles as percentile_sorted takes them from a sorted copy, found by selection, asked from the highest
// down. `work[0, end)` holds the `end` smallest values in any order; `work[end]` is the value of sorted rank
// `end` and `after_end` the one after it (when end < n).
class DescendingPercentiles {
  public:
    DescendingPercentiles(std::span<const double> values, bool nan_free)
        : work_(values.begin(), values.end()), end_(work_.size()), nan_free_(nan_free) {}

    double at(double p) {
        const std::size_t n = work_.size();
        const double pos = (p / 100.0) * static_cast<double>(n - 1);
        const auto lo = static_cast<std::size_t>(std::floor(pos));
        const double frac = pos - static_cast<double>(lo);
        const auto first = work_.begin();
        const auto offset = [&](std::size_t i) { return first + static_cast<std::ptrdiff_t>(i); };
        double at_hi = 0;
        if (lo == end_) {
            at_hi = after_end_;  // the same rank as the last percentile
        } else {
            if (nan_free_) {
                nth_element_without_nan(std::span<double>(work_).first(end_), lo);
            } else {
                std::nth_element(first, offset(lo), offset(end_));
            }
            if (lo + 1 < end_) {
                at_hi = *std::min_element(offset(lo + 1), offset(end_));
            } else {
                at_hi = end_ < n ? work_[end_] : work_[lo];
            }
        }
        const double at_lo = work_[lo];
        end_ = lo;
        after_end_ = at_hi;
        return at_lo + (at_hi - at_lo) * frac;
    }

  private:
    std::vector<double> work_;
    std::size_t end_;
    bool nan_free_;
    double after_end_ = 0;
};

}  // namespace

// Selection instead of a full sort: three nth_element passes are linear, and analyze calls this for every
// container, metric and window (tens of sorts of 50,000 values at a million samples).
SeriesStats describe(std::span<const double> values) {
    SeriesStats s;
    s.n = values.size();
    if (values.empty()) {
        return s;
    }
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
    for (double v : values) {
        ss += (v - s.mean) * (v - s.mean);
    }
    s.std = std::sqrt(ss / static_cast<double>(s.n));
    const auto [min, max] = std::minmax_element(values.begin(), values.end());
    s.min = *min;
    s.max = *max;
    DescendingPercentiles percentiles(values, !std::isnan(sum));  // a NaN among them makes the sum NaN
    s.p99 = percentiles.at(99);
    s.p95 = percentiles.at(95);
    s.p50 = percentiles.at(50);
    return s;
}

}  // namespace perfrunner::analysis::stats
