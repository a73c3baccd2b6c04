// `perfrunner config`: the effective configuration (defaults <- file <- environment <- --set), key redacted.
#include <iostream>

#include "commands.hpp"

namespace perfrunner::cli {

int config_command(const config::Config& config, const ConfigOptions& /*options*/) {
    std::cout << config::to_json(config, /*redact_api_key=*/true).dump(2) << '\n';
    return 0;
}

}  // namespace perfrunner::cli
