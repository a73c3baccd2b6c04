#pragma once
// Descriptive statistics of one series (reference-framework.md §8.1): mean, population std, min, max and
// percentiles with linear interpolation between closest ranks (numpy's default method).
#include <array>
#include <span>
#include <vector>

#include "perfrunner/analysis/analysis.hpp"

namespace perfrunner::analysis::stats {

// p in [0, 100]; `sorted` ascending and non-empty.
double percentile_sorted(std::span<const double> sorted, double p);
// Median of an unsorted series (mean of the two middle values for even n); values is reordered.
double median_inplace(std::vector<double>& values);
// Median of nine values without reordering them (sliding-window medians call it once per sample). Equals the
// fifth smallest for any values without NaN.
double median_of_nine(const std::array<double, 9>& values);
// n = 0 gives an all-zero SeriesStats with n = 0 (callers treat it as "no data").
SeriesStats describe(std::span<const double> values);

}  // namespace perfrunner::analysis::stats
