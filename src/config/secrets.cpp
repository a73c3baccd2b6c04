// Secret names and their redaction (see secrets.hpp for what counts as secret).
#include "perfrunner/config/secrets.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "perfrunner/config/fields.hpp"

namespace perfrunner::config {

bool is_secret_name(std::string_view name) {
    std::string lower;
    lower.reserve(name.size());
    for (const char ch : name) {
        // Separators are dropped so that "api-key", "api_key", "apiKey" and "API.KEY" look alike.
        if (std::isalnum(static_cast<unsigned char>(ch)) != 0) {
            lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
        }
    }
    constexpr std::array<std::string_view, 7> kMarkers = {"key", "secret",     "token", "passw",
                                                          "pwd", "credential", "auth"};
    return std::any_of(kMarkers.begin(), kMarkers.end(),
                       [&lower](std::string_view marker) { return lower.find(marker) != std::string::npos; });
}

bool is_secret_path(std::string_view key_path) {
    std::size_t start = 0;
    while (start <= key_path.size()) {
        const std::size_t end = key_path.find_first_of(".[]", start);
        const std::string_view part =
            key_path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (is_secret_name(part)) {
            return true;
        }
        if (end == std::string_view::npos) {
            break;
        }
        start = end + 1;
    }
    return false;
}

std::string redact_url_credentials(std::string_view text) {
    const std::size_t scheme_end = text.find("://");
    if (scheme_end == std::string_view::npos) {
        return std::string(text);
    }
    const std::size_t authority = scheme_end + 3;
    const std::size_t authority_end = text.find_first_of("/?#", authority);
    const std::size_t at =
        text.rfind('@', authority_end == std::string_view::npos ? text.size() : authority_end);
    if (at == std::string_view::npos || at < authority) {
        return std::string(text);
    }
    return std::string(text.substr(0, authority)) + std::string(kRedacted) + std::string(text.substr(at));
}

namespace {

void redact_in_place(nlohmann::json& value) {
    if (value.is_object()) {
        for (auto& [name, member] : value.items()) {
            if (is_secret_name(name)) {
                member = kRedacted;
            } else {
                redact_in_place(member);
            }
        }
    } else if (value.is_array()) {
        for (auto& item : value) {
            redact_in_place(item);
        }
    } else if (value.is_string()) {
        value = redact_url_credentials(value.get_ref<const std::string&>());
    }
}

}  // namespace

nlohmann::json redact_secrets(const nlohmann::json& value) {
    nlohmann::json copy = value;
    redact_in_place(copy);
    return copy;
}

std::string describe_value(std::string_view key_path, const nlohmann::json& value) {
    if (is_secret_path(key_path)) {
        return std::string(kRedacted);
    }
    std::string text = redact_secrets(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    constexpr std::size_t kMaxLength = 80;
    if (text.size() > kMaxLength) {
        std::size_t cut = kMaxLength;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) {
            --cut;  // never split a UTF-8 sequence
        }
        text = text.substr(0, cut) + "...";
    }
    return text;
}

std::vector<std::string> child_environment(const std::map<std::string, std::string>& extra) {
    std::set<std::string, std::less<>> dropped;
    for_each_section([&dropped](const auto& section) {
        for (const auto& field : section.fields) {
            if (!field.spec.env.empty()) {
                dropped.emplace(field.spec.env);
            }
        }
    });
    std::vector<std::string> out;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string_view entry(*e);
        const std::string_view name = entry.substr(0, entry.find('='));
        if (dropped.count(name) == 0 && extra.count(std::string(name)) == 0) {
            out.emplace_back(entry);
        }
    }
    for (const auto& [name, value] : extra) {
        out.push_back(name);
        out.back().append("=").append(value);
    }
    return out;
}

}  // namespace perfrunner::config
