#pragma once
// Theil–Sen slope with Sen's (1968) distribution-free confidence interval (statistics.md §3).
#include <optional>
#include <span>

namespace perfrunner::analysis::stats {

struct TheilSen {
    double slope = 0;             // median of pairwise slopes (per unit of t)
    double intercept = 0;         // median(y − slope·t)
    double lower = 0, upper = 0;  // CI bounds
    std::size_t n_pairs = 0;
    bool valid = false;  // at least one pair with distinct times
};

// CI level 1 − alpha. var_s: Var(S) used for C = z_{1−α/2}·sqrt(Var(S)); nullopt = the tie-corrected Var(S)
// of y (section 4), which is scipy's rule when all times differ. Passing the Hamed–Rao Var*(S) widens the CI
// for autocorrelated series.
TheilSen theil_sen(std::span<const double> t, std::span<const double> y, double alpha = 0.05,
                   std::optional<double> var_s = std::nullopt);

}  // namespace perfrunner::analysis::stats
