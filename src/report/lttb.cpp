#include "perfrunner/report/lttb.hpp"

#include <cmath>

namespace perfrunner::report {

std::vector<std::size_t> lttb_indices(std::span<const double> x, std::span<const double> y,
                                      std::size_t max_points) {
    const std::size_t n = std::min(x.size(), y.size());
    std::vector<std::size_t> keep;
    if (n <= max_points || n <= 2) {
        keep.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            keep[i] = i;
        }
        return keep;
    }
    if (max_points < 3) {
        return {0, n - 1};
    }

    keep.reserve(max_points);
    keep.push_back(0);
    // The n - 2 inner points are split into max_points - 2 buckets; from each bucket the point forming the
    // largest triangle with the previously kept point and the mean of the next bucket is kept.
    const double bucket = static_cast<double>(n - 2) / static_cast<double>(max_points - 2);
    std::size_t a = 0;
    for (std::size_t b = 0; b < max_points - 2; ++b) {
        const auto begin = static_cast<std::size_t>(std::floor(static_cast<double>(b) * bucket)) + 1;
        const auto end = static_cast<std::size_t>(std::floor(static_cast<double>(b + 1) * bucket)) + 1;
        const auto next_begin = end;
        const auto next_end =
            std::min(n, static_cast<std::size_t>(std::floor(static_cast<double>(b + 2) * bucket)) + 1);
        double avg_x = 0, avg_y = 0;
        if (next_begin < next_end && b + 1 < max_points - 2) {
            for (std::size_t i = next_begin; i < next_end; ++i) {
                avg_x += x[i];
                avg_y += y[i];
            }
            avg_x /= static_cast<double>(next_end - next_begin);
            avg_y /= static_cast<double>(next_end - next_begin);
        } else {  // the last bucket looks at the last point
            avg_x = x[n - 1];
            avg_y = y[n - 1];
        }
        std::size_t best = begin;
        double best_area = -1.0;
        for (std::size_t i = begin; i < end && i < n - 1; ++i) {
            const double area = std::fabs((x[a] - avg_x) * (y[i] - y[a]) - (x[a] - x[i]) * (avg_y - y[a]));
            if (area > best_area) {
                best_area = area;
                best = i;
            }
        }
        keep.push_back(best);
        a = best;
    }
    keep.push_back(n - 1);
    return keep;
}

void lttb_downsample(std::vector<double>& x, std::vector<double>& y, std::size_t max_points) {
    if (x.size() <= max_points) {
        return;
    }
    const auto keep = lttb_indices(x, y, max_points);
    std::vector<double> nx, ny;
    nx.reserve(keep.size());
    ny.reserve(keep.size());
    for (auto i : keep) {
        nx.push_back(x[i]);
        ny.push_back(y[i]);
    }
    x = std::move(nx);
    y = std::move(ny);
}

}  // namespace perfrunner::report
