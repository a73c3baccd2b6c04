#include "perfrunner/analysis/stats/median_shift.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include <fmt/format.h>

#include "perfrunner/analysis/stats/distributions.hpp"
#include "perfrunner/analysis/stats/order_statistics.hpp"

namespace perfrunner::analysis::stats {

namespace {

constexpr double kMaxRho = 0.99;
// Half a standard error of r₁ added to ρ (step 1); tuned with tests/bench/compare_accuracy: without it an
// underestimated ρ lets 3 % of same-build AR(1) pairs through Holm, a full standard error costs a third of
// the AR(1) detection rate.
constexpr double kRhoMargin = 0.5;

struct LagSums {
    double num = 0, den = 0;
    std::size_t n = 0;
    int sides = 0;
};

void add_lag_sums(std::span<const double> y, LagSums& sums) {
    // A constant side has no correlation to contribute (and its mean's rounding error would fake one).
    if (y.size() < 3 || std::all_of(y.begin(), y.end(), [&](double v) { return v == y.front(); })) {
        return;
    }
    double mean = 0;
    for (const double v : y) {
        mean += v;
    }
    mean /= static_cast<double>(y.size());
    double num = 0, den = 0;
    for (std::size_t i = 0; i < y.size(); ++i) {
        const double r = y[i] - mean;
        den += r * r;
        if (i > 0) {
            num += r * (y[i - 1] - mean);
        }
    }
    if (!(den > 0)) {
        return;
    }
    sums.num += num;
    sums.den += den;
    sums.n += y.size();
    ++sums.sides;
}

// Deviations from the first value: a constant series gets exactly 0, not the rounding error of its mean.
double sample_sd(std::span<const double> y) {
    double mean = 0;
    for (const double v : y) {
        mean += v - y.front();
    }
    mean /= static_cast<double>(y.size());
    double ss = 0;
    for (const double v : y) {
        ss += (v - y.front() - mean) * (v - y.front() - mean);
    }
    return std::sqrt(ss / static_cast<double>(y.size() - 1));
}

MedianSide describe_side(std::span<const double> y, double sign_inflation, double mean_inflation, double z) {
    MedianSide side;
    side.n = y.size();
    const auto n = static_cast<double>(side.n);
    std::vector<double> values(y.begin(), y.end());
    const auto interval = median_with_interval(values, z * std::sqrt(n * sign_inflation));
    side.median = interval.median;
    side.lower = interval.lower;
    side.upper = interval.upper;
    side.n_eff = n / mean_inflation;
    if (side.n_eff >= kMedianShiftMinNeff) {
        const double unexplored_spread = std::sqrt((n - 1.0) / (n - mean_inflation));
        const double distribution_free = (side.upper - side.lower) / (2.0 * z);
        const double normal_theory = std::sqrt(std::numbers::pi / 2.0 * sign_inflation / n) * sample_sd(y);
        side.se = std::max(distribution_free, normal_theory) * unexplored_spread;
    }
    return side;
}

}  // namespace

double pooled_lag1_autocorrelation(std::span<const double> a, std::span<const double> b) {
    LagSums sums;
    add_lag_sums(a, sums);
    add_lag_sums(b, sums);
    if (sums.sides == 0) {
        return 0.0;
    }
    const double r1 = sums.num / sums.den;
    // Each side's r₁ is low by (1 + 4ρ)/n_side; pooled with weights ∝ n_side that is sides·(1 + 4ρ)/N.
    const double k = static_cast<double>(sums.sides) / static_cast<double>(sums.n);
    if (1.0 - 4.0 * k <= 0.0) {
        return kMaxRho;
    }
    return std::clamp((r1 + k) / (1.0 - 4.0 * k), 0.0, kMaxRho);
}

double median_variance_inflation(double rho) {
    double sum = 0;
    double power = rho;
    for (int k = 1; k < 100000 && power > 1e-9; ++k) {
        sum += 2.0 / std::numbers::pi * std::asin(power);
        power *= rho;
    }
    return 1.0 + 2.0 * sum;
}

MedianShift median_shift(std::span<const double> base, std::span<const double> next, double alpha,
                         std::optional<double> known_rho) {
    MedianShift r;
    r.base.n = base.size();
    r.next.n = next.size();
    // Medians are shown even when no test is possible.
    const auto median_of = [](std::span<const double> y) {
        std::vector<double> v(y.begin(), y.end());
        return v.empty() ? 0.0 : median_by_selection(v);
    };
    r.base.median = median_of(base);
    r.next.median = median_of(next);
    r.change = r.next.median - r.base.median;
    if (base.size() < kMedianShiftMinSamples || next.size() < kMedianShiftMinSamples) {
        r.why_not = fmt::format("too few samples ({} and {}, needs {} per side)", base.size(), next.size(),
                                kMedianShiftMinSamples);
        return r;
    }
    const double rho_hat = pooled_lag1_autocorrelation(base, next);
    const auto n_all = static_cast<double>(base.size() + next.size());
    r.rho = rho_hat > 0
                ? std::min(kMaxRho, rho_hat + kRhoMargin * std::sqrt((1.0 - rho_hat * rho_hat) / n_all))
                : 0.0;
    if (known_rho) {
        r.rho = std::clamp(*known_rho, 0.0, kMaxRho);
    }
    const double z = normal_quantile(1.0 - alpha / 2.0);
    const double mean_inflation = (1.0 + r.rho) / (1.0 - r.rho);
    const double sign_inflation = median_variance_inflation(r.rho);
    r.base = describe_side(base, sign_inflation, mean_inflation, z);
    r.next = describe_side(next, sign_inflation, mean_inflation, z);
    r.change = r.next.median - r.base.median;
    if (r.base.n_eff < kMedianShiftMinNeff || r.next.n_eff < kMedianShiftMinNeff) {
        r.why_not = fmt::format(
            "too short for its autocorrelation (lag-1 {:.2f}: effective sample sizes {:.1f} "
            "and {:.1f}, needs {:g} per side)",
            r.rho, r.base.n_eff, r.next.n_eff, kMedianShiftMinNeff);
        return r;
    }
    r.valid = true;

    const double v_base = r.base.se * r.base.se;
    const double v_next = r.next.se * r.next.se;
    const double df_base = r.base.n_eff - 1.0;
    const double df_next = r.next.n_eff - 1.0;
    r.se = std::sqrt(v_base + v_next);
    if (!(r.se > 0)) {
        // No spread on either side: the medians are exact, any difference is certain.
        r.df = df_base + df_next;
        r.lower = r.upper = r.change;
        r.p = r.change == 0.0 ? 1.0 : 0.0;
        return r;
    }
    r.df = (v_base + v_next) * (v_base + v_next) / (v_base * v_base / df_base + v_next * v_next / df_next);
    r.t = r.change / r.se;
    r.p = std::clamp(2.0 * student_t_cdf(-std::fabs(r.t), r.df), 0.0, 1.0);
    const double q = student_t_quantile(1.0 - alpha / 2.0, r.df);
    r.lower = r.change - q * r.se;
    r.upper = r.change + q * r.se;
    return r;
}

}  // namespace perfrunner::analysis::stats
