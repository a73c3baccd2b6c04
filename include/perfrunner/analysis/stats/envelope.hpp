#pragma once
// Lower envelope of a garbage-collected sawtooth (statistics.md §7): the minimum of each window of width w.
#include <span>
#include <vector>

namespace perfrunner::analysis::stats {

struct Envelope {
    std::vector<double> t, y;  // (time of the window minimum, minimum), one per non-empty window
};

// Windows [t0 + k·w, t0 + (k+1)·w) with t0 = t.front(); t ascending; w > 0 in the unit of t.
// The earliest sample wins ties.
Envelope lower_envelope(std::span<const double> t, std::span<const double> y, double window);

}  // namespace perfrunner::analysis::stats
