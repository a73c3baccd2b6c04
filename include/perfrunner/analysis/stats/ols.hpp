#pragma once
// Ordinary least squares slope with its standard error, corrected for lag-1 autocorrelation of the residuals
// (statistics.md §1). The plain slope Sxy/Sxx, not the reference's cov/var variant (which is b·n/(n−1)).
#include <cstddef>
#include <optional>
#include <span>

namespace perfrunner::analysis::stats {

struct OlsFit {
    std::size_t n = 0;
    double slope = 0, intercept = 0;
    double residual_sd = 0;  // s = sqrt(SSR / (n − 2)); 0 when n ≤ 2
    double se = 0;           // s / sqrt(Sxx)
    double rho = 0;          // lag-1 autocorrelation of the residuals, clamped to [0, 0.99]
    double n_eff = 0;        // n (1 − ρ) / (1 + ρ)
    double se_eff = 0;       // se · sqrt((1 + ρ)/(1 − ρ))
    double df_eff = 1;       // max(n_eff − 2, 1)
    bool valid = false;      // n ≥ 3 and Sxx > 0 (slope alone is meaningful for n = 2)
};

// t and y of equal length. Slope only (n ≥ 2, Sxx > 0), else nullopt.
std::optional<double> ols_slope(std::span<const double> t, std::span<const double> y);
// The reference's summary slope cov(t,y)[0,1]/var(t) (numpy ddof 1 over ddof 0) = OLS·n/(n−1); for
// comparisons.
std::optional<double> reference_cov_slope(std::span<const double> t, std::span<const double> y);
OlsFit ols_fit(std::span<const double> t, std::span<const double> y);
// ρ̂ = Σ r_i r_{i−1} / Σ r_i², clamped to [0, 0.99]; 0 for fewer than 3 values or zero variance.
double lag1_autocorrelation(std::span<const double> residuals);
// Two-sided (1 − alpha) CI half-width of the OLS slope: t_{1−α/2, df_eff}·se_eff (z when df ≥ 30).
double ols_ci_half_width(const OlsFit& fit, double alpha);

}  // namespace perfrunner::analysis::stats
