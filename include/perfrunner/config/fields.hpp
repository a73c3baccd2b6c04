#pragma once
// The one table of config keys. For every section: each key's name (the reference framework's spelling), the
// Config member it fills, its type and allowed values, whether it is secret, the environment variable that
// may set it, and one line of documentation. Parsing (config file, environment, --set), printing (`perfrunner
// config`, results.json), validation and the key reference (`perfrunner config --keys`, README.md) all walk
// these tables, so a key is spelled once (src/config/fields.cpp). The defaults stay in
// config/perfrunner.json.
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "perfrunner/config/config.hpp"

namespace perfrunner::config {

// The allowed interval of a number: [min, max], either end may be open. Integers use closed ends.
struct Bounds {
    double min = 0;
    double max = std::numeric_limits<double>::infinity();
    bool min_open = false;
    bool max_open = false;

    bool contains(double value) const;
};

enum class ValueType {
    number,           // double
    optional_number,  // std::optional<double>: absent or null = not set
    integer,          // int
    boolean,          // bool
    text,             // std::string
    strings,          // std::vector<std::string>
    per_container,    // std::map<container, ThresholdOverride>
};

enum class TextRule {
    any,
    non_empty,
    url,     // http:// or https://; trailing slashes dropped
    choice,  // one of FieldSpec::choices
};

inline constexpr std::string_view kUnitSeconds = "seconds";
inline constexpr std::string_view kUnitMinutes = "minutes";
inline constexpr std::string_view kUnitPercent = "%";

// Everything about a key except which member it fills.
struct FieldSpec {
    std::string_view key;
    ValueType type = ValueType::number;
    std::string_view doc;
    std::string_view unit;  // "seconds", "minutes", "%", ... ("" = none)
    Bounds bounds{};        // number, optional_number, integer
    TextRule text = TextRule::any;
    std::span<const std::string_view> choices{};  // TextRule::choice
    bool secret = false;                          // printed as "***"; never in an error, a log or a result
    std::string_view env{};                       // environment variable that overrides the key ("" = none)
    std::optional<std::string_view> fallback{};   // value when absent (list items only); nullopt = required
};

using OverrideMap = std::map<std::string, ThresholdOverride>;

template <class S>
using MemberOf = std::variant<double S::*, std::optional<double> S::*, int S::*, bool S::*, std::string S::*,
                              std::vector<std::string> S::*, OverrideMap S::*>;

template <class S>
struct Field {
    FieldSpec spec;
    MemberOf<S> member;
};

template <class S>
struct Section {
    std::string_view name;
    S Config::*member;
    std::span<const Field<S>> fields;
};

extern const Section<ApiConfig> kApiSection;
extern const Section<DockerConfig> kDockerSection;
extern const Section<MetricsConfig> kMetricsSection;
extern const Section<SamplingConfig> kSamplingSection;
extern const Section<ScenariosConfig> kScenariosSection;
extern const Section<ThresholdsConfig> kThresholdsSection;
extern const Section<AnalysisConfig> kAnalysisSection;
extern const Section<CompareConfig> kCompareSection;
extern const Section<OutputConfig> kOutputSection;

// thresholds.container_overrides.<container>.<key>
extern const std::span<const Field<ThresholdOverride>> kOverrideFields;
// containers[i].<key>: the catalogue, a list that replaces the default one as a whole.
inline constexpr std::string_view kContainersKey = "containers";
extern const std::span<const Field<ContainerSpec>> kContainerFields;

// Calls f(section) for every object section, in the order of config/perfrunner.json.
template <class F>
void for_each_section(F&& f) {
    f(kApiSection);
    f(kDockerSection);
    f(kMetricsSection);
    f(kSamplingSection);
    f(kScenariosSection);
    f(kThresholdsSection);
    f(kAnalysisSection);
    f(kCompareSection);
    f(kOutputSection);
}

// The spec of a dotted key path ("api.timeout", "thresholds.container_overrides.<c>.cpu_warning_percent"), or
// nullptr when the path names no single key (unknown, a section, or inside `containers`).
const FieldSpec* find_field(std::string_view key_path);

// What a value of this key must be, e.g. "a number of seconds in (0, 3600]" or "one of \"auto\", \"never\"".
std::string describe_expected(const FieldSpec& spec);

// Every key as a Markdown table: key, allowed values, default (redacted), meaning. `perfrunner config --keys`
// prints it; README.md carries the same table (a unit test keeps them equal).
std::string key_reference_markdown();

}  // namespace perfrunner::config
