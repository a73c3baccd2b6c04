#pragma once
// The block report.md and report.html open with, after the verdict (issue 10): how much load the platform
// takes - last healthy load, breaking point and what broke, recommended load, the load duration and speed
// scaling ran at, the highest speed passed, the leak verdicts - and the warnings that qualify those figures
// (ramp mode sizes from queued agents). A pure function of the results and the analysis.
#include <string>
#include <vector>

#include "perfrunner/report/writer.hpp"

namespace perfrunner::report {

struct CapacityRow {
    std::string label;
    std::string value;  // plain text; the writers escape it
};

struct CapacityBlock {
    std::vector<CapacityRow> rows;
    std::vector<std::string> warnings;
};

CapacityBlock capacity_block(const ReportContext& context);

}  // namespace perfrunner::report
