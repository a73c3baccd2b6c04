#include "perfrunner/analysis/stats/spikes.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "perfrunner/analysis/stats/descriptive.hpp"

namespace perfrunner::analysis::stats {

namespace {

// A burst of up to kHalf consecutive samples (8 s at 2-s sampling) cannot move the median of the window.
constexpr std::size_t kHalf = 4;
constexpr std::size_t kWindow = 2 * kHalf + 1;
static_assert(kWindow == 9, "the window median is median_of_nine");

// 1.4826·MAD (σ for Gaussian values); the mean absolute deviation·1.2533 when the MAD is 0 (quantised data).
double robust_sd(const std::vector<double>& v) {
    std::vector<double> tmp = v;
    const double centre = median_inplace(tmp);
    double mean_abs = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        tmp[i] = std::fabs(v[i] - centre);
        mean_abs += tmp[i];
    }
    mean_abs /= static_cast<double>(v.size());
    const double mad = 1.4826 * median_inplace(tmp);
    return mad > 0 ? mad : 1.2533 * mean_abs;
}

}  // namespace

std::vector<bool> upward_spikes(std::span<const double> y, double k) {
    const std::size_t n = y.size();
    std::vector<bool> flags(n, false);
    if (n < kWindow || !(k > 0)) {
        return flags;
    }
    // y − (median of the kWindow values centred on i). The last kHalf samples use the last window: a burst
    // at the end of the phase is still a burst. The first kHalf samples are never flagged: there a shifted
    // window makes the top of a GC ramp just before its drop look like a spike.
    std::vector<double> r(n - kHalf);
    for (std::size_t i = kHalf; i < n; ++i) {
        const std::size_t lo = std::min(i - kHalf, n - kWindow);
        std::array<double, kWindow> w{};
        std::copy_n(y.begin() + static_cast<std::ptrdiff_t>(lo), kWindow, w.begin());
        r[i - kHalf] = y[i] - median_of_nine(w);
    }
    // Noise scale from the first differences (1.4826·MAD/√2 = σ for white noise; a ramp shifts their median,
    // not their spread; a spike moves only 2-4 of them), floored by the spread of the residuals themselves.
    std::vector<double> d(n - 1);
    for (std::size_t i = 1; i < n; ++i) {
        d[i - 1] = y[i] - y[i - 1];
    }
    const double scale = std::max(robust_sd(d) / std::sqrt(2.0), robust_sd(r));
    if (!(scale > 0)) {
        return flags;
    }
    const double centre = [&] {
        std::vector<double> tmp = r;
        return median_inplace(tmp);
    }();
    for (std::size_t i = kHalf; i < n; ++i) {
        flags[i] = r[i - kHalf] - centre > k * scale;
    }
    return flags;
}

}  // namespace perfrunner::analysis::stats
