#pragma once
// What counts as a secret and how it is hidden. A value is secret when its key, or any key above it, looks
// like key/secret/token/password (whatever the spelling: "api_key", "apikey", "API-Token", "db_passwd"), so
// that a misspelt key still never reaches an error, a log or a result. Credentials inside a URL (user:pass@)
// are secret too.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace perfrunner::config {

inline constexpr std::string_view kRedacted = "***";

// "api_key", "apiKey", "token", "password", "client-secret", "credentials", "auth" ... (case-insensitive).
bool is_secret_name(std::string_view name);

// True when any member name of a dotted path ("api.apikey", "x.api_key.y", "containers[0].token") is secret.
bool is_secret_path(std::string_view key_path);

// "http://user:pass@host/x" -> "http://***@host/x"; anything else unchanged.
std::string redact_url_credentials(std::string_view text);

// A copy with the value of every member of a secret name replaced by "***" and URL credentials hidden, at any
// depth.
nlohmann::json redact_secrets(const nlohmann::json& value);

// A short one-line printable form of the value found at key_path, for error messages: "***" when the path is
// secret, secrets inside it hidden, long values cut.
std::string describe_value(std::string_view key_path, const nlohmann::json& value);

// The environment for a child process (docker, compose, Chromium), as "NAME=value" entries: this process's
// environment without perfrunner's own variables (those of the key table: the API key, URLs that may carry
// credentials), which no child needs; then `extra` (set or replaced).
std::vector<std::string> child_environment(const std::map<std::string, std::string>& extra = {});

}  // namespace perfrunner::config
