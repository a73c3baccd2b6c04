#pragma once
// Holm–Bonferroni step-down adjustment: keeps the family-wise error at α over all comparisons of a compare
// (scenarios × containers × metrics) without Bonferroni's loss of power on the smaller p-values.
#include <span>
#include <vector>

namespace perfrunner::analysis::stats {

// Adjusted p-values in the input order: sort ascending, p̃_(i) = max_{j ≤ i} min(1, (m − j + 1)·p_(j)).
// Reject H_i at level α iff p̃_i < α (equivalent to Holm's sequential rule). Ties keep the input order.
std::vector<double> holm_adjust(std::span<const double> p);

}  // namespace perfrunner::analysis::stats
