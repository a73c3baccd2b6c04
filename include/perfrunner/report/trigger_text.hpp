#pragma once
// How a stress or speed-step trigger reads in report.md and report.html: "<container> <metric> at <value>
// (threshold <threshold>)", both numbers at 2 dp.
#include <string>

#include "perfrunner/model/scenario_metadata.hpp"

namespace perfrunner::report {

std::string trigger_text(const model::Trigger& trigger);

}  // namespace perfrunner::report
