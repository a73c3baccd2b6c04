#pragma once
// Text of one comparison shared by the compare writers (CI text, Markdown, HTML, junit), so every output says
// the same thing about it.
#include <string>

#include "perfrunner/analysis/compare.hpp"

namespace perfrunner::report::compare_text {

// "12.3 %", "412 MB", "3.1 ms", "0.98", "n/a" for a side without samples.
std::string value(double v, std::size_t n, analysis::CompareMetric metric);

// benchstat's delta column: "~" when not significant, "n/a" without a test, else the relative change of the
// median ("+20.3%"; absolute in the metric's unit when the base median is 0).
std::string delta(const analysis::MetricComparison& m);

// "[+18.1%, +22.5%]" (relative when the base median is not 0); "" without a test.
std::string interval(const analysis::MetricComparison& m);

// What a "pooled" row is, in one sentence every writer prints beside its table.
inline constexpr const char* kPooledNote =
    "Rows \"pooled\": one container and metric over every loaded window (the duration scenario's active "
    "phase, each speed step), the mean of the windows' relative changes of the median, tested once more in "
    "the same Holm family; base and new are the means of the windows' medians.";

// "p=0.003 holm=0.041 n=150+150", "p=0.001 holm=0.020 11 windows" for a pooled comparison, or why there is
// no test ("too few samples ...").
std::string evidence(const analysis::MetricComparison& m);

// "REGRESSION" | "improvement" | "within tolerance" | "" (not significant) | "no test".
std::string label(analysis::ChangeClass c);

// "baseline", "duration_leak/active", "speed_scaling/x4".
std::string where(const analysis::SeriesKey& key);

// "rideshare-simulation", or "simulation" for the simulation's own figures (container "").
std::string who(const analysis::SeriesKey& key);

}  // namespace perfrunner::report::compare_text
