// `perfrunner config`: the effective configuration (defaults <- file <- environment <- --set), secrets
// redacted; with --keys, the reference of every key instead.
#include <iostream>

#include "commands.hpp"
#include "perfrunner/config/fields.hpp"

namespace perfrunner::cli {

int config_command(const config::Config& config, const ConfigOptions& options) {
    if (options.keys) {
        std::cout << config::key_reference_markdown();
        return 0;
    }
    std::cout << config::to_json(config, /*redact=*/true).dump(2) << '\n';
    return 0;
}

}  // namespace perfrunner::cli
