#pragma once
// Largest-Triangle-Three-Buckets downsampling (Steinarsson 2013), for display only: results.json keeps raw
// data.
#include <cstddef>
#include <span>
#include <vector>

namespace perfrunner::report {

// Indices of the points to keep, ascending: the first and last point always, and exactly max_points points
// when the series is longer than max_points (all indices otherwise). x must be non-decreasing. max_points < 3
// keeps the endpoints only.
std::vector<std::size_t> lttb_indices(std::span<const double> x, std::span<const double> y,
                                      std::size_t max_points);

// The same applied to x and y in place.
void lttb_downsample(std::vector<double>& x, std::vector<double>& y, std::size_t max_points);

}  // namespace perfrunner::report
