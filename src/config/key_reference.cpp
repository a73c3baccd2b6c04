// The key reference: every key of the tables as one Markdown table (`perfrunner config --keys`, README.md).
#include <fmt/format.h>

#include "perfrunner/config/fields.hpp"

namespace perfrunner::config {
namespace {

std::string row(std::string_view key, const FieldSpec& spec, const std::string& default_value) {
    std::string meaning(spec.doc);
    if (!spec.env.empty()) {
        meaning += fmt::format("; env `{}`", spec.env);
    }
    return fmt::format("| `{}` | {} | {} | {} |\n", key, describe_expected(spec), default_value, meaning);
}

std::string code(const nlohmann::json& value) {
    return "`" + value.dump() + "`";
}

}  // namespace

std::string key_reference_markdown() {
    const nlohmann::json defaults_json = to_json(defaults(), /*redact=*/true);
    std::string out = "| key | value | default | meaning |\n|---|---|---|---|\n";
    for_each_section([&](const auto& section) {
        const auto& values = defaults_json.at(section.name);
        for (const auto& field : section.fields) {
            const std::string path = fmt::format("{}.{}", section.name, field.spec.key);
            out += row(path, field.spec, code(values.at(field.spec.key)));
            if (field.spec.type == ValueType::per_container) {
                for (const auto& o : kOverrideFields) {
                    out +=
                        row(fmt::format("{}.<container>.{}", path, o.spec.key), o.spec, "(section's value)");
                }
            }
        }
    });
    for (const auto& field : kContainerFields) {
        const auto& fallback = field.spec.fallback;
        const std::string default_value = field.spec.type == ValueType::optional_number ? "(absent)"
                                          : fallback                                    ? code(*fallback)
                                                                                        : "(required)";
        out += row(fmt::format("{}[].{}", kContainersKey, field.spec.key), field.spec, default_value);
    }
    return out;
}

}  // namespace perfrunner::config
