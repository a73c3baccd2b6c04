#include "perfrunner/analysis/stats/mser.hpp"

#include <vector>

namespace perfrunner::analysis::stats {

namespace {

constexpr std::size_t kBatch = 5;

std::vector<double> batch_means(std::span<const double> y, std::size_t m) {
    std::vector<double> z(m, 0.0);
    for (std::size_t j = 0; j < m; ++j) {
        double s = 0;
        for (std::size_t k = 0; k < kBatch; ++k) {
            s += y[j * kBatch + k];
        }
        z[j] = s / static_cast<double>(kBatch);
    }
    return z;
}

// MSER over d = 0..⌊m/2⌋ with suffix sums (O(m)); `linear` subtracts the least-squares line through the
// remaining batch means (against batch index) instead of their mean. Values are centred on the overall mean
// first so the sums of squares do not cancel catastrophically.
Mser scan(std::span<const double> y, bool linear, std::size_t min_batches) {
    Mser r;
    r.batches = y.size() / kBatch;
    const std::size_t m = r.batches;
    if (m < min_batches) {
        return r;
    }
    r.valid = true;
    auto z = batch_means(y, m);
    double centre = 0;
    for (double v : z) {
        centre += v;
    }
    centre /= static_cast<double>(m);
    for (auto& v : z) {
        v -= centre;
    }
    const double x_centre = static_cast<double>(m - 1) / 2.0;
    // suffix sums over j = d..m−1 of 1, x, x², y, xy, y²
    std::vector<double> sx(m + 1, 0), sxx(m + 1, 0), sy(m + 1, 0), sxy(m + 1, 0), syy(m + 1, 0);
    for (std::size_t j = m; j-- > 0;) {
        const double x = static_cast<double>(j) - x_centre;
        sx[j] = sx[j + 1] + x;
        sxx[j] = sxx[j + 1] + x * x;
        sy[j] = sy[j + 1] + z[j];
        sxy[j] = sxy[j + 1] + x * z[j];
        syy[j] = syy[j + 1] + z[j] * z[j];
    }
    double best = 0;
    std::size_t best_d = 0;
    for (std::size_t d = 0; d <= m / 2; ++d) {
        const auto count = static_cast<double>(m - d);
        double ss = syy[d] - sy[d] * sy[d] / count;  // Σ(Z − Z̄)²
        if (linear) {
            const double cxx = sxx[d] - sx[d] * sx[d] / count;
            const double cxy = sxy[d] - sx[d] * sy[d] / count;
            if (cxx > 0) {
                ss -= cxy * cxy / cxx;
            }
        }
        const double value = (ss > 0 ? ss : 0.0) / (count * count);
        if (d == 0 || value < best) {  // strict: the smallest d wins ties
            best = value;
            best_d = d;
        }
    }
    r.d_star = best_d;
    r.truncate_samples = kBatch * best_d;
    r.at_boundary = best_d == m / 2;
    return r;
}

}  // namespace

Mser mser5(std::span<const double> y) {
    return scan(y, false, 2);
}

Mser mser5_linear(std::span<const double> y) {
    return scan(y, true, 4);
}

}  // namespace perfrunner::analysis::stats
