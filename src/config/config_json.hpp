#pragma once
// Internal to the config layer: the merged JSON -> Config mapping with validation.
#include <nlohmann/json.hpp>

#include "perfrunner/config/config.hpp"

namespace perfrunner::config::detail {

// Converts the merged config JSON into a Config by walking the key tables, checking every key, type and
// range. Throws ConfigError with one line naming the key path, the value and what is expected.
Config from_json(const nlohmann::json& merged);

}  // namespace perfrunner::config::detail
