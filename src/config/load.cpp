// Layering: built-in defaults <- config file <- environment <- --set key.path=value.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "config_json.hpp"
#include "json_text.hpp"
#include "perfrunner/config/fields.hpp"
#include "perfrunner/config/secrets.hpp"
#include "perfrunner/error.hpp"
#include "perfrunner/resources.hpp"

namespace perfrunner::config {
namespace {

using detail::kMaxDepth;
using detail::parse_config_json;

nlohmann::json parse_config_text(std::string_view text, const std::string& source) {
    const std::string what = "config file " + source;
    try {
        return parse_config_json(text, what, "", /*allow_exceptions=*/true);
    } catch (const nlohmann::json::parse_error& e) {
        std::string message = e.what();
        // "[json.exception.parse_error.101] parse error at line 3, column 5: ...; last read: '...'": the id
        // is noise and the last token read may be part of a secret, so only the position and the reason are
        // kept.
        if (auto pos = message.find("] "); pos != std::string::npos) {
            message = message.substr(pos + 2);
        }
        if (auto pos = message.find("; last read"); pos != std::string::npos) {
            message.resize(pos);
        }
        for (auto& ch : message) {
            if (ch == '\n' || ch == '\r') {
                ch = ' ';
            }
        }
        throw ConfigError(fmt::format(
            "{}: invalid JSON: {} (fix the file; comments // and /* */ are allowed)", what, message));
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
                                      describe_value("", j)));
    }
    return j;
}

// At most 80 characters of what the user typed, for an error message.
std::string shortened(const std::string& text) {
    constexpr std::size_t kMaxLength = 80;
    if (text.size() <= kMaxLength) {
        return text;
    }
    std::size_t cut = kMaxLength;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) {
        --cut;  // never split a UTF-8 sequence
    }
    return text.substr(0, cut) + "...";
}

// "key=value" for an error message, with the value hidden when the key looks secret (or is missing).
std::string shown_assignment(const std::string& key, const std::string& text) {
    if (key.empty() || is_secret_path(key)) {
        return shortened(key) + "=" + std::string(kRedacted);
    }
    return shortened(key) + "=" + shortened(text);
}

// {"a": {"b": value}} for "a.b".
nlohmann::json nest(const std::string& key_path, nlohmann::json value, const std::string& shown) {
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
                fmt::format("--set {}: expected key.path=value with non-empty key names", shown));
        }
    }
    if (parts.size() > static_cast<std::size_t>(kMaxDepth)) {
        throw ConfigError(fmt::format("--set {}: the key path has more than {} names", shown, kMaxDepth));
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
    if (eq == std::string::npos) {
        // Echoed only when it is a key of the table: anything else is as likely a pasted value (an API key).
        const bool known = find_field(assignment) != nullptr && !is_secret_path(assignment);
        throw ConfigError(
            fmt::format("--set {}: expected key.path=value, got no '=' (e.g. --set "
                        "scenarios.duration_active_minutes=0.5)",
                        known ? assignment : std::string(kRedacted)));
    }
    const std::string key = assignment.substr(0, eq);
    const std::string text = assignment.substr(eq + 1);
    const std::string shown = shown_assignment(key, text);
    if (key.empty()) {
        throw ConfigError(fmt::format("--set {}: expected key.path=value with a key before '='", shown));
    }
    // A value that parses as JSON is taken as JSON (numbers, true, [..], "quoted"); anything else is a
    // string. A key of text type takes the text as it is, so that an API key of digits stays a string.
    nlohmann::json value = parse_config_json(text, "--set " + shown, key, /*allow_exceptions=*/false);
    const FieldSpec* spec = find_field(key);
    if (value.is_discarded() || (spec != nullptr && spec->type == ValueType::text && !value.is_string())) {
        value = text;
    }
    return nest(key, std::move(value), shown);
}

// Environment variables named in the key table; they hold text keys, taken as they are.
void apply_environment(nlohmann::json& merged) {
    for_each_section([&merged](const auto& section) {
        auto it = merged.find(section.name);
        if (it == merged.end() || !it->is_object()) {
            return;  // from_json reports the section itself
        }
        for (const auto& field : section.fields) {
            if (field.spec.env.empty()) {
                continue;
            }
            const std::string variable(field.spec.env);
            if (const char* v = std::getenv(variable.c_str()); v != nullptr && *v != '\0') {
                (*it)[field.spec.key] = v;
            }
        }
    });
}

nlohmann::json effective_json(const LoadOptions& options) {
    nlohmann::json merged = builtin_defaults_json();
    if (options.config_file) {
        merge_into(merged, read_config_file(*options.config_file));
    }
    if (options.read_environment) {
        apply_environment(merged);
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
