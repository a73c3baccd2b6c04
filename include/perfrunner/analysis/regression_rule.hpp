#pragma once
// When is a change between two runs a regression (issue 14)? Only when it is significant after the Holm
// correction over all comparisons, in the metric's worse direction, beyond a relative tolerance of the base
// median (default 10 %) and beyond an absolute floor in the metric's unit. Teams that gate on p-values alone
// drown in alarms from noise ("significant is not the same as large"); the tolerance is the size that
// matters, the floor keeps near-idle series (CPU 0.5 % → 0.7 % is +40 %) from ever counting.
#include <optional>

#include "perfrunner/analysis/stats/median_shift.hpp"

namespace perfrunner::analysis {

enum class WorseDirection {
    higher,
    lower
};  // CPU, memory, latency: higher; throughput, real-time ratio: lower

struct ChangeTolerance {
    double relative = 0.10;  // fraction of |base median|
    double absolute = 0.0;   // in the metric's unit
    WorseDirection worse = WorseDirection::higher;
};

enum class ChangeClass {
    regression,         // significant, worse, beyond tolerance and floor
    improvement,        // significant, better, beyond tolerance and floor
    within_tolerance,   // significant but smaller than the tolerance or the floor
    not_significant,    // "~"
    insufficient_data,  // fewer than kMedianShiftMinSamples samples on a side
};
const char* to_string(
    ChangeClass c);  // "regression" | "improvement" | "within_tolerance" | "~" | "insufficient_data"

struct ChangeVerdict {
    ChangeClass change_class = ChangeClass::insufficient_data;
    // change / |base median| and its CI; null when the base median is 0 (then only the floor applies).
    std::optional<double> relative, relative_lower, relative_upper;
    double p_adjusted = 1.0;
};

// p_adjusted: the comparison's Holm-adjusted p-value; significant when p_adjusted < alpha.
ChangeVerdict judge_change(const stats::MedianShift& shift, double p_adjusted,
                           const ChangeTolerance& tolerance, double alpha = 0.05);

}  // namespace perfrunner::analysis
