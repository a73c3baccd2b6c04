#pragma once
// Internal to the config layer: config JSON text (a config file, the value of a --set) -> nlohmann::json.
// Comments are allowed; nesting is bounded; a key repeated in one object is refused, as results.json and
// journals refuse it: nlohmann keeps the last value silently, so a file holding a key twice would run with a
// setting its reader may well not have seen.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace perfrunner::config::detail {

// A config is at most 4 levels deep (thresholds.container_overrides.<container>.<key>). Deeper input is
// refused while it is parsed, before anything recursive (printing, merging, destruction) could exhaust the
// stack.
inline constexpr int kMaxDepth = 16;

// Parses `text`; `what` names the source in errors ("config file x.json", "--set a.b=..."), `base_path` is
// the key path the text sits at ("" for a file, "a.b" for --set a.b=...) so that a repeated key is named by
// its full path. Too deep or a repeated key: ConfigError with one line, whatever `allow_exceptions` says.
// Invalid JSON: nlohmann::json::parse_error, or a discarded value when `allow_exceptions` is false.
nlohmann::json parse_config_json(std::string_view text, const std::string& what, const std::string& base_path,
                                 bool allow_exceptions);

}  // namespace perfrunner::config::detail
