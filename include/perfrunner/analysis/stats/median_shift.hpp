#pragma once
// Change of the median between two autocorrelated sample series (a base run and a new run of the same
// metric), with a confidence interval and a p-value (compare-and-capacity.md, issue 14).
//
// Method: the effective sample size. Samples 2 s apart are autocorrelated (lag-1 ρ ≈ 0.9 for a loaded
// container's CPU): a test on the raw samples overstates the information by up to (1 + ρ)/(1 − ρ) = 19×.
//  1. ρ is estimated once from both sides (each centred on its own mean: same container and metric, one
//     correlation structure), corrected for the estimator's downward bias in short series
//     (E r₁ ≈ ρ − (1 + 4ρ)/n), then raised by half its standard error √((1 − ρ²)/N) because the tail that the
//     Holm correction looks at is where an underestimated ρ does its damage; clamped to [0, 0.99].
//  2. Per side, the median and its distribution-free order-statistic interval (the sign-test ranks, the same
//     rank rule as Sen's and Hodges–Lehmann's intervals) with the sign count's variance inflated by the
//     median's AR(1) factor 1 + 2·Σ_k (2/π)·asin(ρᵏ) (the correlation of sign indicators of a Gaussian
//     series). SE = the larger of the interval's width / (2·z) (McKean–Schrader; honest for multimodal data)
//     and the normal-theory √(π/2 · inflation/n)·s (steadier: a quantile gap estimated from a few dozen
//     effective samples is noisy, and its low draws are the false alarms in the Holm tail), widened by
//     √((n − 1)/(n − f)) because a short autocorrelated series has not yet explored its own spread
//     (E s² = σ²(1 − f/n), f = (1 + ρ)/(1 − ρ)); n_eff = n/f. No test for a side with n_eff < 2 (too short
//     for its own autocorrelation) or fewer than 30 samples (too short to reveal it: 15 samples of a ρ = 0.9
//     series often estimate ρ ≈ 0.4, and two such windows then differ "significantly").
//  3. t = (median_new − median_base)/√(SE_base² + SE_new²) with Welch–Satterthwaite degrees of freedom from
//     n_eff − 1 per side; interval change ± t_{1−α/2, df}·SE.
// Why not the alternatives:
// - A rank test (Mann–Whitney, benchstat's) with its variance inflated by n/n_eff saturates: once the two
//   samples stop overlapping its z cannot grow, so with ρ = 0.9 a 5-minute phase can never reach the
//   p < α/m that Holm asks of the dozens of comparisons in a run. The median's SE keeps adding evidence.
// - Batch means need batches longer than the correlation time (≈ 40 s at ρ = 0.9): 3–7 batches in a
//   5-minute phase, adjacent means still correlated. The effective size uses every sample.
// - The median rather than the mean: a GC pause or a spawn burst moves a mean, not a median.
// tests/bench/compare_accuracy measures the false-regression and detection rates of this test together with
// the Holm correction and the regression rule (white and AR(1) noise at the default phase lengths), and the
// ceiling: the same pairs with the true ρ given (known_rho). Under AR(1) ρ = 0.9 with a CV of 5 % a 5-minute
// phase detects +20 % in 61 % of pairs against a 98 % ceiling: ρ̂ from 2 × 150 samples has a standard error of
// 0.025, and (1 + ρ)/(1 − ρ) is steep there (ρ̂ = 0.95 doubles the variance). Tried and measured (figures in
// the issue 14 notes): Satterthwaite degrees of freedom from the variance estimate and ρ̂'s error (61 %), no
// margin on ρ̂ (69 %, but 2.5 % false-alarm pairs at 8 min, CV 10 %), one-sided p-values for the worse
// direction (68–70 %, 3.5 % false-alarm pairs): none keeps the false-alarm limit and reaches 95 %.
#include <cstddef>
#include <optional>
#include <span>
#include <string>

namespace perfrunner::analysis::stats {

struct MedianSide {
    std::size_t n = 0;
    double median = 0;
    double lower = 0, upper = 0;  // order-statistic CI of the median
    double n_eff = 0;             // n·(1 − ρ)/(1 + ρ)
    double se = 0;
};

struct MedianShift {
    MedianSide base, next;
    double rho = 0;               // lag-1 autocorrelation used for both sides (step 1)
    double change = 0;            // next.median − base.median
    double lower = 0, upper = 0;  // CI of the change
    double se = 0;
    double df = 0;  // Welch–Satterthwaite
    double t = 0;   // 0 when se = 0
    double p = 1;   // two-sided; 0 when se = 0 and the medians differ
    bool valid = false;
    std::string why_not;  // when !valid: too few samples, or too short for its autocorrelation
};

// benchstat asks for 6 independent repetitions; 2-s samples need a minute to show their autocorrelation.
inline constexpr std::size_t kMedianShiftMinSamples = 30;
inline constexpr double kMedianShiftMinNeff = 2.0;

// Pooled lag-1 autocorrelation of two series, each centred on its own mean, bias-corrected (step 1 without
// the half standard error) and clamped to [0, 0.99]. Sides with fewer than 3 samples or no variance do not
// count; 0 when none does.
double pooled_lag1_autocorrelation(std::span<const double> a, std::span<const double> b);

// Variance inflation of the median of a stationary Gaussian AR(1) series: 1 + 2·Σ_k (2/π)·asin(ρᵏ).
double median_variance_inflation(double rho);

// alpha: CI level 1 − α (also the z of the per-side intervals). known_rho replaces step 1's estimate (with
// its margin): only for measuring what the estimate costs (tests/bench/compare_accuracy's ceiling column).
MedianShift median_shift(std::span<const double> base, std::span<const double> next, double alpha = 0.05,
                         std::optional<double> known_rho = std::nullopt);

}  // namespace perfrunner::analysis::stats
