#pragma once
// Short upward spikes (a burst of allocations freed again within a few seconds) in a memory series.
#include <span>
#include <vector>

namespace perfrunner::analysis::stats {

// Flags y[i] when it stands more than `k` noise SDs above the median of the five samples centred on it (the
// first and last two samples are never flagged). A spike of one or two samples cannot move that median, while
// a step (a level kept for three samples or more), a ramp, a GC drop or Gaussian noise does not stand out:
// the filter removes bursts, never the trend. The noise SD is the larger of 1.4826·MAD(first differences)/√2
// and 1.4826·MAD(y − median5) (each the mean absolute deviation·1.2533 when its MAD is 0, as with quantised
// data); nothing is flagged when it is 0 or the series has fewer than 5 values.
std::vector<bool> upward_spikes(std::span<const double> y, double k);

}  // namespace perfrunner::analysis::stats
