// Layering: built-in defaults <- config file <- environment <- --set key.path=value.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "config_json.hpp"
#include "perfrunner/error.hpp"
#include "perfrunner/resources.hpp"

namespace perfrunner::config {
namespace {

// Comments (// and /* */ outside strings) are allowed in config files.
nlohmann::json parse_config_text(std::string_view text, const std::string& source) {
    try {
        return nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/true,
                                     /*ignore_comments=*/true);
    } catch (const nlohmann::json::parse_error& e) {
        std::string what = e.what();
        // "[json.exception.parse_error.101] parse error at line 3, column 5: ..." -> drop the bracketed id.
        if (auto pos = what.find("] "); pos != std::string::npos) {
            what = what.substr(pos + 2);
        }
        for (auto& ch : what) {
            if (ch == '\n' || ch == '\r') {
                ch = ' ';
            }
        }
        throw ConfigError(
            fmt::format("config file {}: invalid JSON: {} (fix the file; comments // and /* */ are allowed)",
                        source, what));
    }
}

nlohmann::json builtin_defaults_json() {
    auto text = perfrunner::resource("config/perfrunner.json");
    if (!text) {
        throw RuntimeFailure(
            "built-in config/perfrunner.json is missing from the binary (rebuild perfrunner)");
    }
    return parse_config_text(*text, "(built-in) config/perfrunner.json");
}

// Objects merge member by member; anything else (values, arrays such as `containers`) replaces.
void merge_into(nlohmann::json& base, const nlohmann::json& overlay) {
    if (!base.is_object() || !overlay.is_object()) {
        base = overlay;
        return;
    }
    for (const auto& [key, value] : overlay.items()) {
        auto it = base.find(key);
        if (it != base.end() && it->is_object() && value.is_object()) {
            merge_into(*it, value);
        } else {
            base[key] = value;
        }
    }
}

nlohmann::json read_config_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw ConfigError(fmt::format("config file {}: cannot be read (check the --config path)", path));
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    auto j = parse_config_text(buffer.str(), path);
    if (!j.is_object()) {
        throw ConfigError(fmt::format("config file {}: expected a JSON object at the top level, got {}", path,
                                      detail::describe_value(j)));
    }
    return j;
}

// {"a": {"b": value}} for "a.b".
nlohmann::json nest(const std::string& key_path, nlohmann::json value, const std::string& original) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        auto dot = key_path.find('.', start);
        parts.push_back(key_path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
        if (dot == std::string::npos) {
            break;
        }
        start = dot + 1;
    }
    for (const auto& p : parts) {
        if (p.empty()) {
            throw ConfigError(
                fmt::format("--set {}: expected key.path=value with non-empty key names", original));
        }
    }
    nlohmann::json out = std::move(value);
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
        nlohmann::json wrapped = nlohmann::json::object();
        wrapped[*it] = std::move(out);
        out = std::move(wrapped);
    }
    return out;
}

nlohmann::json parse_set_override(const std::string& assignment) {
    auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0) {
        throw ConfigError(fmt::format(
            "--set {}: expected key.path=value (e.g. --set scenarios.duration_active_minutes=0.5)",
            assignment));
    }
    std::string key = assignment.substr(0, eq);
    std::string text = assignment.substr(eq + 1);
    // A value that parses as JSON is taken as JSON (numbers, true, [..]); anything else is a string.
    nlohmann::json value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded()) {
        value = text;
    }
    return nest(key, std::move(value), assignment);
}

nlohmann::json effective_json(const LoadOptions& options) {
    nlohmann::json merged = builtin_defaults_json();
    if (options.config_file) {
        merge_into(merged, read_config_file(*options.config_file));
    }
    if (options.read_environment) {
        struct EnvKey {
            const char* variable;
            const char* section;
            const char* key;
        };
        for (const auto& e :
             {EnvKey{"PERFRUNNER_API_KEY", "api", "api_key"}, EnvKey{"PERFRUNNER_API_URL", "api", "base_url"},
              EnvKey{"PERFRUNNER_CADVISOR_URL", "docker", "cadvisor_url"}}) {
            if (const char* v = std::getenv(e.variable); v != nullptr && *v != '\0') {
                merged[e.section][e.key] = v;
            }
        }
    }
    for (const auto& s : options.set_overrides) {
        merge_into(merged, parse_set_override(s));
    }
    return merged;
}

}  // namespace

Config load(const LoadOptions& options) {
    return detail::from_json(effective_json(options));
}

Config defaults() {
    return detail::from_json(builtin_defaults_json());
}

}  // namespace perfrunner::config
