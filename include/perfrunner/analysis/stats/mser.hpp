#pragma once
// MSER-5 warm-up truncation (White 1997; statistics.md §5).
#include <cstddef>
#include <span>

namespace perfrunner::analysis::stats {

struct Mser {
    std::size_t batches = 0;           // m = ⌊n/5⌋
    std::size_t d_star = 0;            // batches to drop
    std::size_t truncate_samples = 0;  // 5·d*
    bool at_boundary = false;          // d* = ⌊m/2⌋: the series never settled
    bool valid = false;                // m ≥ 2
};

Mser mser5(std::span<const double> y);

}  // namespace perfrunner::analysis::stats

namespace perfrunner::analysis::stats {

// MSER-5 around a linear steady state: MSER(d) = SSR of the least-squares line through the batch means
// Z_{d+1..m} (against batch index) / (m − d)². The plain MSER treats any trend as "not settled" (a linear
// leak always minimises at the boundary); this variant truncates transients (curvature) but not a constant
// slope. Used by the leak rule; the plain mser5 is kept for reference and tests.
Mser mser5_linear(std::span<const double> y);

}  // namespace perfrunner::analysis::stats
