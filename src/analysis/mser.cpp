#include "perfrunner/analysis/stats/mser.hpp"

#include <vector>

namespace perfrunner::analysis::stats {

Mser mser5(std::span<const double> y) {
    constexpr std::size_t batch = 5;
    Mser r;
    r.batches = y.size() / batch;
    const std::size_t m = r.batches;
    if (m < 2) return r;
    r.valid = true;
    std::vector<double> z(m, 0.0);
    for (std::size_t j = 0; j < m; ++j) {
        double s = 0;
        for (std::size_t k = 0; k < batch; ++k) s += y[j * batch + k];
        z[j] = s / static_cast<double>(batch);
    }
    double best = 0;
    std::size_t best_d = 0;
    for (std::size_t d = 0; d <= m / 2; ++d) {
        double mean = 0;
        for (std::size_t j = d; j < m; ++j) mean += z[j];
        const auto count = static_cast<double>(m - d);
        mean /= count;
        double ss = 0;
        for (std::size_t j = d; j < m; ++j) ss += (z[j] - mean) * (z[j] - mean);
        const double value = ss / (count * count);
        if (d == 0 || value < best) {  // strict: the smallest d wins ties
            best = value;
            best_d = d;
        }
    }
    r.d_star = best_d;
    r.truncate_samples = batch * best_d;
    r.at_boundary = best_d == m / 2;
    return r;
}

}  // namespace perfrunner::analysis::stats

namespace perfrunner::analysis::stats {

Mser mser5_linear(std::span<const double> y) {
    constexpr std::size_t batch = 5;
    Mser r;
    r.batches = y.size() / batch;
    const std::size_t m = r.batches;
    if (m < 4) return r;
    r.valid = true;
    std::vector<double> z(m, 0.0);
    for (std::size_t j = 0; j < m; ++j) {
        double s = 0;
        for (std::size_t k = 0; k < batch; ++k) s += y[j * batch + k];
        z[j] = s / static_cast<double>(batch);
    }
    double best = 0;
    std::size_t best_d = 0;
    for (std::size_t d = 0; d <= m / 2; ++d) {
        const auto count = static_cast<double>(m - d);
        double xm = 0, ym = 0;
        for (std::size_t j = d; j < m; ++j) {
            xm += static_cast<double>(j);
            ym += z[j];
        }
        xm /= count;
        ym /= count;
        double sxx = 0, sxy = 0, syy = 0;
        for (std::size_t j = d; j < m; ++j) {
            const double dx = static_cast<double>(j) - xm;
            const double dy = z[j] - ym;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        const double ssr = sxx > 0 ? syy - sxy * sxy / sxx : syy;
        const double value = (ssr > 0 ? ssr : 0.0) / (count * count);
        if (d == 0 || value < best) {
            best = value;
            best_d = d;
        }
    }
    r.d_star = best_d;
    r.truncate_samples = batch * best_d;
    r.at_boundary = best_d == m / 2;
    return r;
}

}  // namespace perfrunner::analysis::stats
