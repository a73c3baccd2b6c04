// The merged config JSON -> Config, by walking the key tables (fields.hpp). Every error is one line naming
// the key path, the value (secrets as "***") and what is expected.
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "config_json.hpp"
#include "perfrunner/config/fields.hpp"
#include "perfrunner/config/secrets.hpp"
#include "perfrunner/error.hpp"

namespace perfrunner::config::detail {
namespace {

[[noreturn]] void fail(const std::string& path, const nlohmann::json& value, const std::string& expected) {
    throw ConfigError(
        fmt::format("config key {} = {}: expected {}", path, describe_value(path, value), expected));
}

// The members of one JSON object: what was asked for is remembered, so that the rest can be rejected.
class ObjectReader {
  public:
    ObjectReader(const nlohmann::json& object, std::string path) : object_(object), path_(std::move(path)) {
        if (!object_.is_object()) {
            fail(path_.empty() ? "(top level)" : path_, object_, "an object");
        }
    }

    std::string path_of(std::string_view key) const {
        return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
    }

    const nlohmann::json* find(std::string_view key) {
        known_.emplace(key);
        auto it = object_.find(key);
        return it == object_.end() ? nullptr : &*it;
    }

    const nlohmann::json& get(std::string_view key) {
        const auto* v = find(key);
        if (v == nullptr) {
            fail(path_of(key), nullptr, "a value (the key is missing)");
        }
        return *v;
    }

    // Every member must have been asked for: anything else is a misspelt or unsupported key.
    void finish() const {
        for (const auto& [key, value] : object_.items()) {
            if (known_.count(key) == 0) {
                std::string list;
                for (const auto& k : known_) {
                    list += (list.empty() ? "" : ", ") + k;
                }
                fail(path_of(key), value, "no such key (unknown key; known keys: " + list + ")");
            }
        }
    }

  private:
    const nlohmann::json& object_;
    std::string path_;
    std::set<std::string, std::less<>> known_;
};

double read_number(const std::string& path, const nlohmann::json& v, const FieldSpec& spec) {
    if (!v.is_number() || !spec.bounds.contains(v.get<double>())) {
        fail(path, v, describe_expected(spec));
    }
    return v.get<double>();
}

// One value, by the member's type. `v` is nullptr when the key is absent.
void read_value(const std::string& path, const nlohmann::json* v, const FieldSpec& spec, double& out) {
    if (v == nullptr) {
        fail(path, nullptr, "a value (the key is missing)");
    }
    out = read_number(path, *v, spec);
}

void read_value(const std::string& path, const nlohmann::json* v, const FieldSpec& spec,
                std::optional<double>& out) {
    out.reset();
    if (v != nullptr && !v->is_null()) {
        out = read_number(path, *v, spec);
    }
}

void read_value(const std::string& path, const nlohmann::json* v, const FieldSpec& spec, int& out) {
    if (v == nullptr) {
        fail(path, nullptr, "a value (the key is missing)");
    }
    // Bounds are within int's range, so the cast below is exact once the value is a whole number inside them.
    const bool whole = v->is_number_integer() || (v->is_number_float() && std::isfinite(v->get<double>()) &&
                                                  std::floor(v->get<double>()) == v->get<double>());
    if (!whole || !spec.bounds.contains(v->get<double>())) {
        fail(path, *v, describe_expected(spec));
    }
    out = static_cast<int>(v->get<double>());
}

void read_value(const std::string& path, const nlohmann::json* v, const FieldSpec& spec, bool& out) {
    if (v == nullptr || !v->is_boolean()) {
        fail(path, v == nullptr ? nlohmann::json() : *v, describe_expected(spec));
    }
    out = v->get<bool>();
}

void read_value(const std::string& path, const nlohmann::json* v, const FieldSpec& spec, std::string& out) {
    if (v == nullptr && spec.fallback) {
        out = std::string(*spec.fallback);
        return;
    }
    if (v == nullptr) {
        fail(path, nullptr, "a value (the key is missing)");
    }
    const std::string expected = describe_expected(spec);
    if (!v->is_string()) {
        fail(path, *v, expected);
    }
    out = v->get<std::string>();
    switch (spec.text) {
        case TextRule::any:
            break;
        case TextRule::non_empty:
            if (out.empty()) {
                fail(path, *v, expected);
            }
            break;
        case TextRule::url:
            if (out.rfind("http://", 0) != 0 && out.rfind("https://", 0) != 0) {
                fail(path, *v, expected);
            }
            while (!out.empty() && out.back() == '/') {
                out.pop_back();
            }
            break;
        case TextRule::choice: {
            bool listed = false;
            for (const auto c : spec.choices) {
                listed = listed || out == c;
            }
            if (!listed) {
                fail(path, *v, expected);
            }
            break;
        }
    }
}

void read_value(const std::string& path, const nlohmann::json* v, const FieldSpec& spec,
                std::vector<std::string>& out) {
    if (v == nullptr || !v->is_array()) {
        fail(path, v == nullptr ? nlohmann::json() : *v, describe_expected(spec));
    }
    out.clear();
    for (std::size_t i = 0; i < v->size(); ++i) {
        const auto& item = (*v)[i];
        if (!item.is_string()) {
            fail(fmt::format("{}[{}]", path, i), item, "a string");
        }
        out.push_back(item.get<std::string>());
    }
}

template <class S>
S read_fields(const nlohmann::json& object, const std::string& path, std::span<const Field<S>> fields);

void read_value(const std::string& path, const nlohmann::json* v, const FieldSpec& spec, OverrideMap& out) {
    if (v == nullptr || !v->is_object()) {
        fail(path, v == nullptr ? nlohmann::json() : *v, describe_expected(spec));
    }
    out.clear();
    for (const auto& [name, value] : v->items()) {
        out[name] = read_fields(value, fmt::format("{}.{}", path, name), kOverrideFields);
    }
}

template <class S>
S read_fields(const nlohmann::json& object, const std::string& path, std::span<const Field<S>> fields) {
    ObjectReader reader(object, path);
    S out{};
    for (const auto& field : fields) {
        const nlohmann::json* v = reader.find(field.spec.key);
        std::visit(
            [&](auto member) { read_value(reader.path_of(field.spec.key), v, field.spec, out.*member); },
            field.member);
    }
    reader.finish();
    return out;
}

// Rules between keys, which a table of single keys cannot say.
void check_across_keys(const Config& c) {
    const auto& s = c.scenarios;
    if (s.stress_k > s.stress_m) {
        fail("scenarios.stress_k", s.stress_k,
             fmt::format("an integer <= scenarios.stress_m ({})", s.stress_m));
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < c.containers.size(); ++i) {
        if (!seen.insert(c.containers[i].name).second) {
            fail(fmt::format("containers[{}].name", i), c.containers[i].name,
                 "a name not already in the list");
        }
    }
}

}  // namespace

Config from_json(const nlohmann::json& merged) {
    ObjectReader top(merged, "");
    Config c;
    for_each_section([&](const auto& section) {
        c.*section.member = read_fields(top.get(section.name), std::string(section.name), section.fields);
    });
    const auto& list = top.get(kContainersKey);
    if (!list.is_array()) {
        fail(std::string(kContainersKey), list,
             "an array of {name, display_name?, profile?, cpu_cores?, gc_window_seconds?}");
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
        c.containers.push_back(
            read_fields(list[i], fmt::format("{}[{}]", kContainersKey, i), kContainerFields));
    }
    top.finish();
    check_across_keys(c);
    return c;
}

}  // namespace perfrunner::config::detail
