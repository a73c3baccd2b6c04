#pragma once
// Files carried inside the binary (config/perfrunner.json, config/templates/*, plotly.min.js).
#include <optional>
#include <string_view>

namespace perfrunner {

// Returns the bytes of an embedded file, e.g. resource("templates/chart.html"), or nullopt.
std::optional<std::string_view> resource(std::string_view name);

}  // namespace perfrunner
