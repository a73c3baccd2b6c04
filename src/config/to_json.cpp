// Config -> JSON with the reference key names (the shape of config/perfrunner.json), by walking the key
// tables.
#include "perfrunner/config/config.hpp"
#include "perfrunner/config/fields.hpp"
#include "perfrunner/config/secrets.hpp"

namespace perfrunner::config {
namespace {

template <class S>
nlohmann::json write_fields(const S& in, std::span<const Field<S>> fields, bool redact);

// One value, by the member's type.
template <class T>
void write_value(nlohmann::json& out, const FieldSpec& spec, const T& value, bool /*redact*/) {
    out[spec.key] = value;
}

void write_value(nlohmann::json& out, const FieldSpec& spec, const std::optional<double>& value,
                 bool /*redact*/) {
    if (value) {
        out[spec.key] = *value;
    }
}

void write_value(nlohmann::json& out, const FieldSpec& spec, const std::string& value, bool redact) {
    // An empty secret stays "" so that `perfrunner config` shows that none is configured.
    if (redact && (spec.secret || is_secret_name(spec.key)) && !value.empty()) {
        out[spec.key] = kRedacted;
    } else {
        out[spec.key] = redact ? redact_url_credentials(value) : value;
    }
}

void write_value(nlohmann::json& out, const FieldSpec& spec, const OverrideMap& value, bool redact) {
    nlohmann::json map = nlohmann::json::object();
    for (const auto& [name, thresholds] : value) {
        map[name] = write_fields(thresholds, kOverrideFields, redact);
    }
    out[spec.key] = std::move(map);
}

template <class S>
nlohmann::json write_fields(const S& in, std::span<const Field<S>> fields, bool redact) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& field : fields) {
        std::visit([&](auto member) { write_value(out, field.spec, in.*member, redact); }, field.member);
    }
    return out;
}

}  // namespace

nlohmann::json to_json(const Config& config, bool redact) {
    nlohmann::json out = nlohmann::json::object();
    for_each_section([&](const auto& section) {
        out[section.name] = write_fields(config.*section.member, section.fields, redact);
    });
    nlohmann::json containers = nlohmann::json::array();
    for (const auto& spec : config.containers) {
        containers.push_back(write_fields(spec, kContainerFields, redact));
    }
    out[kContainersKey] = std::move(containers);
    return out;
}

}  // namespace perfrunner::config
