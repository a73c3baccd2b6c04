#pragma once
// Universal Scalability Law fit of throughput against load (statistics.md §10.4, compare-and-capacity.md):
// X(N) = λN / (1 + σ(N − 1) + κN(N − 1)); σ contention, κ coherency, λ the throughput of one unit.
//
// Bounded nonlinear least squares on X (λ ≥ 0, σ ∈ [0, 1], κ ∈ [0, 1]) — unbounded fits meet negative
// coefficients (usl4j's users did). Levenberg–Marquardt with an active set (a parameter at a bound whose
// gradient points outward is held there) from the best of a small grid of starts, so the result does not
// depend on one start. Standard errors from the Jacobian at the solution, s² = SSR/(n − 3), intervals with
// Student's t on n − 3 degrees of freedom (as R's `usl`). Steady-state points (one window mean per load level
// of a step-mode stress) are what the fit needs; ramp points are transients.
#include <cstddef>
#include <optional>
#include <span>
#include <string>

namespace perfrunner::analysis::stats {

struct UslPoint {
    double load = 0;        // N: live agents at the level
    double throughput = 0;  // X: window-mean throughput at the level
};

struct UslParameter {
    double value = 0;
    std::optional<double> se, lower, upper;  // null when JᵀJ is singular
    bool at_bound = false;  // the estimate sits on its bound (its interval is one-sided in truth)
};

inline constexpr std::size_t kUslMinLevels = 6;

struct UslFit {
    bool valid = false;
    std::string why_not;  // set when !valid: what the data lacks
    std::size_t levels = 0;
    UslParameter lambda, sigma, kappa;
    double rmse = 0;  // sqrt(SSR / n)
    // Peak N* = sqrt((1 − σ)/κ) and X(N*); null (with peak_note) when κ = 0 (no retrograde region), σ ≥ 1, or
    // N* lies more than one load step outside the measured range (no extrapolated knee).
    std::optional<double> peak_load, peak_throughput;
    std::string peak_note;
    double min_load = 0, max_load = 0, step = 0;  // measured range and its typical step (median spacing)
};

double usl_throughput(double load, double lambda, double sigma, double kappa);

// Points with non-positive or non-finite load or non-finite or negative throughput are ignored. Repeated
// loads count as one level. alpha: CI level 1 − α.
UslFit fit_usl(std::span<const UslPoint> points, double alpha = 0.05);

}  // namespace perfrunner::analysis::stats
