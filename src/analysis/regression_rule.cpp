#include "perfrunner/analysis/regression_rule.hpp"

#include <cmath>

namespace perfrunner::analysis {

const char* to_string(ChangeClass c) {
    switch (c) {
        case ChangeClass::regression:
            return "regression";
        case ChangeClass::improvement:
            return "improvement";
        case ChangeClass::within_tolerance:
            return "within_tolerance";
        case ChangeClass::not_significant:
            return "~";
        case ChangeClass::insufficient_data:
            return "insufficient_data";
    }
    return "insufficient_data";
}

ChangeVerdict judge_change(const stats::MedianShift& shift, double p_adjusted,
                           const ChangeTolerance& tolerance, double alpha) {
    ChangeVerdict v;
    v.p_adjusted = p_adjusted;
    if (!shift.valid) {
        return v;
    }
    const double base = std::fabs(shift.base.median);
    if (base > 0) {
        v.relative = shift.change / base;
        v.relative_lower = shift.lower / base;
        v.relative_upper = shift.upper / base;
    }
    if (!(p_adjusted < alpha)) {
        v.change_class = ChangeClass::not_significant;
        return v;
    }
    const bool beyond_floor = std::fabs(shift.change) > tolerance.absolute;
    const bool beyond_tolerance = !v.relative || std::fabs(*v.relative) > tolerance.relative;
    if (!(beyond_floor && beyond_tolerance)) {
        v.change_class = ChangeClass::within_tolerance;
        return v;
    }
    const bool worse = tolerance.worse == WorseDirection::higher ? shift.change > 0 : shift.change < 0;
    v.change_class = worse ? ChangeClass::regression : ChangeClass::improvement;
    return v;
}

}  // namespace perfrunner::analysis
