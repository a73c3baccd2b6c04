#pragma once
// The reference framework's slope (reference-framework.md §8.2 formula 1): (y_last − y_first)/(t_last −
// t_first), t in minutes. Kept for the seed's phase_analysis/leak_analysis fields only; its variance is
// 2σ²/D² whatever n.
#include <optional>
#include <span>

namespace perfrunner::analysis::stats {

// nullopt for fewer than 2 points; 0 when the first and last times coincide (the reference's guard).
std::optional<double> endpoint_slope(std::span<const double> t_minutes, std::span<const double> y);

}  // namespace perfrunner::analysis::stats
