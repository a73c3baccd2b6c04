#pragma once
// The one rounding rule of every number perfrunner writes (results.json, summary.json, reports, junit.xml):
// Python's round(x, n), i.e. half to even on the exact binary value (results-schema.md, "rounding").
// 0.125 -> 0.12 (an exact binary tie goes to even), 2.675 -> 2.67 (its binary value lies below the tie).
#include <optional>

namespace perfrunner::model {

// x rounded to `decimals` places; non-finite values are returned unchanged; never "-0.0".
double round_half_even(double value, int decimals);

// nullopt stays nullopt; non-finite becomes nullopt (written as null, never NaN/Infinity).
std::optional<double> round_half_even(std::optional<double> value, int decimals);

}  // namespace perfrunner::model
