#pragma once
// Internal to the config layer: the JSON <-> Config mapping with validation.
#include <nlohmann/json.hpp>

#include "perfrunner/config/config.hpp"

namespace perfrunner::config::detail {

// Converts the merged config JSON into a Config, checking every key, type and range. Throws ConfigError with
// one line naming the key path, the value and what is expected.
Config from_json(const nlohmann::json& merged);

// Short printable form of a JSON value for error messages (long values are cut).
std::string describe_value(const nlohmann::json& value);

}  // namespace perfrunner::config::detail
