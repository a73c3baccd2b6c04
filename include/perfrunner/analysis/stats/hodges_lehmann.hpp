#pragma once
// Hodges–Lehmann shift between two samples with its distribution-free CI (statistics.md §9).
#include <span>

namespace perfrunner::analysis::stats {

struct HodgesLehmann {
    double shift = 0;  // median of c_j − a_i
    double lower = 0, upper = 0;
    std::size_t n_pairs = 0;
    bool valid = false;  // both samples non-empty
};

// Shift of `after` relative to `before`, CI level 1 − alpha.
HodgesLehmann hodges_lehmann(std::span<const double> before, std::span<const double> after,
                             double alpha = 0.05);

}  // namespace perfrunner::analysis::stats
