#pragma once
// `perfrunner check`: everything a run needs, checked on the real stack and reported in one table — the
// simulation API and its key, cAdvisor and the containers it sees, the docker engine and compose, each
// compose container's health, and drift between the container catalogue and the compose file. It talks to the
// adapters directly (not through ports): it checks those concrete things, where a run only uses them.
#include "perfrunner/check/check_report.hpp"

namespace perfrunner::config {
struct Config;
}

namespace perfrunner::check {

struct CheckFlowOptions {
    double cpu_interval_seconds = 1.2;  // between the two cAdvisor polls that give a CPU figure
};

CheckReport run_check(const config::Config& config, const CheckFlowOptions& options = {});

}  // namespace perfrunner::check
