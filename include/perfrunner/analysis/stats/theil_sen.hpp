#pragma once
// Theil–Sen slope with Sen's (1968) distribution-free confidence interval (statistics.md §3).
#include <optional>
#include <span>
#include <vector>

#include "perfrunner/analysis/stats/order_statistics.hpp"

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

// The pairwise slopes of one series, for several fits: the leak rule asks for up to three intervals of the
// same slope, and the O(n²) slopes and their selection dominated `analyze` (a 1000-point series has ~500,000
// slopes). fit() gives exactly what theil_sen() gives. t and y must outlive it.
// Why the slopes are not stored: writing 4 MB of slopes per series and reading them back cost more than
// computing them again. With strictly increasing finite times (every series the leak rule judges) and at
// least RankSelector::kBracketFrom pairs, a fit computes the slopes on the fly into a RankBracket (one pass
// for the median and its interval, one more only when a later interval reaches past the values kept); any
// other series, or a bracket that missed, stores every slope once and selects in it.
class PairwiseSlopes {
  public:
    PairwiseSlopes(std::span<const double> t, std::span<const double> y);
    TheilSen fit(double alpha = 0.05, std::optional<double> var_s = std::nullopt);

  private:
    std::vector<double> at_ranks(const std::vector<std::size_t>& ranks_1based);
    bool bracket(std::size_t lowest_1based, std::size_t highest_1based);  // false: no bracket held them

    std::span<const double> t_, y_;
    std::size_t n_pairs_ = 0;
    bool stream_ = false;               // the slopes may be computed on the fly (times strictly increasing)
    std::optional<RankSelector> all_;   // every slope, once streaming could not answer
    std::optional<RankSelector> kept_;  // the slopes of ranks kept_first_ + 1 … (the last bracket)
    std::size_t kept_first_ = 0;
};

}  // namespace perfrunner::analysis::stats
