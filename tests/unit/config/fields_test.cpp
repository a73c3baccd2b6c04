// The key tables, tested by walking them: every key round-trips through parse -> print -> parse, and every
// bound of every number is enforced with one line naming the key path, the value and the expectation.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "perfrunner/config/config.hpp"
#include "perfrunner/config/fields.hpp"
#include "perfrunner/error.hpp"

using namespace perfrunner::config;
using ::testing::HasSubstr;

namespace {

namespace fs = std::filesystem;

// One key of the tables, addressed the way --set addresses it.
struct KeyCase {
    std::string path;  // "api.timeout", "thresholds.container_overrides.c.cpu_warning_percent", "containers"
    const FieldSpec* spec;
    bool in_container_list = false;  // the value goes into containers[0] rather than at `path`
};

std::vector<KeyCase> every_key() {
    std::vector<KeyCase> out;
    for_each_section([&out](const auto& section) {
        for (const auto& field : section.fields) {
            out.push_back({std::string(section.name) + "." + std::string(field.spec.key), &field.spec});
        }
    });
    for (const auto& field : kOverrideFields) {
        out.push_back({"thresholds.container_overrides.c." + std::string(field.spec.key), &field.spec});
    }
    for (const auto& field : kContainerFields) {
        out.push_back({"containers[0]." + std::string(field.spec.key), &field.spec, true});
    }
    return out;
}

// A valid value of the key other than its default (`current`), or null when there is none to pick.
nlohmann::json other_valid_value(const FieldSpec& spec, const nlohmann::json& current) {
    const Bounds& b = spec.bounds;
    switch (spec.type) {
        case ValueType::boolean:
            return !current.get<bool>();
        case ValueType::strings:
            return nlohmann::json::array({"round", "trip"});
        case ValueType::per_container: {
            nlohmann::json thresholds = nlohmann::json::object();
            for (const auto& f : kOverrideFields) {
                thresholds[f.spec.key] = other_valid_value(f.spec, nullptr);
            }
            return {{"rideshare-x", thresholds}};
        }
        case ValueType::text:
            if (spec.text == TextRule::url) {
                return "http://round.trip:1/base";
            }
            if (spec.text == TextRule::choice) {
                for (const auto c : spec.choices) {
                    if (current != c) {
                        return std::string(c);
                    }
                }
                return nullptr;
            }
            return "round trip value";
        case ValueType::integer: {
            const double v = current.is_number() && current.get<double>() == b.max
                                 ? std::floor((b.min + b.max) / 2)
                                 : b.max;
            return static_cast<int>(v);
        }
        case ValueType::number:
        case ValueType::optional_number:
            if (std::isinf(b.max)) {
                return current.is_number() ? current.get<double>() * 2 + 1 : 7.5;
            }
            if (!b.max_open && !(current.is_number() && current.get<double>() == b.max)) {
                return b.max;
            }
            return (b.min + b.max) / 2;
    }
    return nullptr;
}

Config load_with(const std::vector<std::string>& sets,
                 const std::optional<std::string>& file = std::nullopt) {
    LoadOptions o;
    o.read_environment = false;
    o.set_overrides = sets;
    o.config_file = file;
    return load(o);
}

std::string error_of(const std::vector<std::string>& sets) {
    try {
        load_with(sets);
    } catch (const perfrunner::ConfigError& e) {
        EXPECT_EQ(e.code(), perfrunner::ExitCode::usage_error);
        return e.what();
    }
    return "(no error)";
}

// The --set that puts `value` at the key: containers[0] gets a whole one-entry list.
std::string set_of(const KeyCase& k, const nlohmann::json& value) {
    if (!k.in_container_list) {
        return k.path + "=" + value.dump();
    }
    nlohmann::json entry = {{"name", "rideshare-x"}};
    entry[k.spec->key] = value;
    return "containers=" + nlohmann::json::array({entry}).dump();
}

nlohmann::json value_at(const nlohmann::json& printed, const KeyCase& k) {
    if (k.in_container_list) {
        return printed["containers"][0].value(k.spec->key, nlohmann::json());
    }
    nlohmann::json::json_pointer pointer;
    std::string rest = k.path;
    for (auto dot = rest.find('.'); dot != std::string::npos; dot = rest.find('.')) {
        pointer /= rest.substr(0, dot);
        rest = rest.substr(dot + 1);
    }
    pointer /= rest;
    return printed.contains(pointer) ? printed[pointer] : nlohmann::json();
}

struct TempFile {
    fs::path path;
    explicit TempFile(const std::string& text)
        : path(fs::temp_directory_path() / ("perfrunner-fields-" + std::to_string(::getpid()) + ".json")) {
        std::ofstream(path) << text;
    }
    ~TempFile() { fs::remove(path); }
};

}  // namespace

TEST(KeyTable, EveryKeyIsFoundByItsPathAndSpelledOnce) {
    std::set<std::string> paths;
    for (const auto& k : every_key()) {
        EXPECT_TRUE(paths.insert(k.path).second) << k.path << " twice";
        EXPECT_FALSE(k.spec->doc.empty()) << k.path << " has no documentation";
        if (!k.in_container_list) {
            EXPECT_EQ(find_field(k.path), k.spec) << k.path;
        }
    }
    EXPECT_EQ(find_field("api"), nullptr);
    EXPECT_EQ(find_field("api.nonsense"), nullptr);
    EXPECT_EQ(find_field("thresholds.container_overrides.a.b.cpu_warning_percent"),
              find_field("thresholds.container_overrides.c.cpu_warning_percent"));  // dotted container name
}

TEST(KeyTable, EveryKeyOfTheDefaultsFileIsInTheTableAndBack) {
    // The embedded defaults and the table name the same keys: nothing is printed that was not read.
    const auto printed = to_json(defaults(), /*redact=*/false);
    for (const auto& k : every_key()) {
        if (k.spec->type != ValueType::optional_number &&
            !k.path.starts_with("thresholds.container_overrides.c")) {
            EXPECT_FALSE(value_at(printed, k).is_null()) << k.path << " is not in config/perfrunner.json";
        }
    }
}

TEST(KeyTable, EveryKeyRoundTripsThroughParsePrintParse) {
    const auto defaults_json = to_json(defaults(), /*redact=*/false);
    for (const auto& k : every_key()) {
        const nlohmann::json value = other_valid_value(*k.spec, value_at(defaults_json, k));
        ASSERT_FALSE(value.is_null()) << k.path;
        SCOPED_TRACE(k.path + " = " + value.dump());
        // parse: the value set on the command line is the value read
        const Config parsed =
            load_with({"scenarios.stress_k=1", "scenarios.stress_m=10000", set_of(k, value)});
        const auto printed = to_json(parsed, /*redact=*/false);
        EXPECT_EQ(value_at(printed, k), value);
        // print -> parse: the printed config is a config file that reads back the same
        TempFile file(printed.dump(2));
        EXPECT_EQ(to_json(load_with({}, file.path.string()), /*redact=*/false), printed);
    }
}

TEST(KeyTable, SecretKeysArePrintedRedactedAndOnlyThey) {
    const auto printed = to_json(load_with({"api.api_key=s3cret-value"}), /*redact=*/true);
    for (const auto& k : every_key()) {
        if (k.spec->secret) {
            EXPECT_EQ(value_at(printed, k), "***") << k.path;
        }
    }
    EXPECT_EQ(printed.dump().find("s3cret-value"), std::string::npos);
    EXPECT_EQ(printed["api"]["base_url"], "http://127.0.0.1:8000");
}

TEST(KeyTable, EveryBoundIsEnforcedWithTheKeyPathInOneLine) {
    int bounds_checked = 0;
    for (const auto& k : every_key()) {
        const FieldSpec& spec = *k.spec;
        if (spec.type != ValueType::number && spec.type != ValueType::optional_number &&
            spec.type != ValueType::integer) {
            continue;
        }
        const Bounds& b = spec.bounds;
        const bool whole = spec.type == ValueType::integer;
        // Just outside each end is refused ...
        std::vector<double> outside{b.min_open ? b.min : (whole ? b.min - 1 : std::nextafter(b.min, -1e308))};
        if (!std::isinf(b.max)) {
            outside.push_back(b.max_open ? b.max : (whole ? b.max + 1 : std::nextafter(b.max, 1e308)));
        }
        for (const double v : outside) {
            const nlohmann::json value =
                whole ? nlohmann::json(static_cast<long long>(v)) : nlohmann::json(v);
            const std::string message = error_of({set_of(k, value)});
            const std::string path = k.in_container_list ? "containers[0]." + std::string(spec.key) : k.path;
            EXPECT_THAT(message, HasSubstr("config key " + path + " = " + value.dump() + ": expected " +
                                           describe_expected(spec)))
                << message;
            EXPECT_EQ(message.find('\n'), std::string::npos) << message;
            ++bounds_checked;
        }
        // ... and each closed end is accepted.
        for (const double v : {b.min, b.max}) {
            const bool closed = v == b.min ? !b.min_open : !b.max_open && !std::isinf(b.max);
            if (!closed) {
                continue;
            }
            const nlohmann::json value =
                whole ? nlohmann::json(static_cast<long long>(v)) : nlohmann::json(v);
            const auto printed = to_json(
                load_with({"scenarios.stress_k=1", "scenarios.stress_m=10000", set_of(k, value)}), false);
            EXPECT_EQ(value_at(printed, k).get<double>(), v) << k.path;
        }
    }
    EXPECT_GT(bounds_checked, 100);
}

TEST(KeyTable, EveryTimeoutAndDurationHasAnUpperBound) {
    for (const auto& k : every_key()) {
        if (k.spec->unit == kUnitSeconds || k.spec->unit == kUnitMinutes) {
            EXPECT_FALSE(std::isinf(k.spec->bounds.max)) << k.path;
            EXPECT_LE(k.spec->bounds.max * (k.spec->unit == kUnitMinutes ? 60 : 1), 7 * 86400.0) << k.path;
        }
    }
}

// Issue 11, defect 8: these made every docker call time out at once / removed the HTTP timeout.
TEST(KeyTable, HugeTimeoutsAreRefused) {
    EXPECT_THAT(error_of({"docker.command_timeout_seconds=1e10"}),
                HasSubstr("config key docker.command_timeout_seconds = 10000000000.0: expected a number of "
                          "seconds in (0, 86400]"));
    EXPECT_THAT(error_of({"api.timeout=1e300"}),
                HasSubstr("config key api.timeout = 1e+300: expected a number of seconds in (0, 3600]"));
    EXPECT_THAT(error_of({"api.health_timeout=3601"}), HasSubstr("api.health_timeout = 3601"));
    EXPECT_THAT(error_of({"docker.health_timeout_seconds=86401"}),
                HasSubstr("docker.health_timeout_seconds"));
    EXPECT_THAT(error_of({"scenarios.duration_active_minutes=1e9"}),
                HasSubstr("expected a number of minutes in [0, 10080]"));
    EXPECT_THAT(error_of({"sampling.interval_seconds=1e300"}), HasSubstr("sampling.interval_seconds"));
    EXPECT_THAT(error_of({"scenarios.stress_spawn_batch_size=1e12"}),
                HasSubstr("expected an integer in [1, 100000]"));
    EXPECT_EQ(load_with({"docker.command_timeout_seconds=86400"}).docker.command_timeout_seconds, 86400.0);
    EXPECT_EQ(load_with({"api.timeout=3600"}).api.timeout, 3600.0);
}
