// `perfrunner check`: one table of everything a run needs (simulation API and key, cAdvisor and the
// containers it sees, docker engine and compose, container health, catalogue/compose drift). Exit 0 when all
// is well, 1 with each problem on its own line. The API key is never printed.
#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "perfrunner/check/check_flow.hpp"
#include "perfrunner/error.hpp"

namespace perfrunner::cli {

int check_command(const config::Config& config, const CheckOptions& options) {
    const auto report = check::run_check(config);
    if (options.json) {
        std::cout << report.to_json().dump(2) << '\n';
    } else {
        std::cout << report.to_text();
    }
    std::cout.flush();
    return static_cast<int>(report.ok() ? ExitCode::ok : ExitCode::runtime_error);
}

}  // namespace perfrunner::cli
