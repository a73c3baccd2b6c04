#pragma once
// Minimum detectable slope and the phase length needed to reach a target (statistics.md §1, §2).
namespace perfrunner::analysis::stats {

// One-sided α = 0.05, power 0.80: MDS = (z_0.95 + z_0.80)·SE = 2.486·SE.
double minimum_detectable_slope(double se);
// SE ∝ D^(−3/2): the phase length at which a slope with `se` over `duration` would shrink its MDS to
// `target`.
double duration_for_mds(double duration, double mds, double target);

}  // namespace perfrunner::analysis::stats
