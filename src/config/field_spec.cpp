// What a key's spec means: its bounds, its expectation in words, and finding a key by its dotted path.
#include <cmath>

#include <fmt/format.h>

#include "perfrunner/config/fields.hpp"

namespace perfrunner::config {

bool Bounds::contains(double value) const {
    if (!std::isfinite(value)) {
        return false;
    }
    const bool above_min = min_open ? value > min : value >= min;
    const bool below_max = max_open ? value < max : value <= max;
    return above_min && below_max;
}

namespace {

template <class S>
const FieldSpec* find_in(std::span<const Field<S>> fields, std::string_view key) {
    for (const auto& f : fields) {
        if (f.spec.key == key) {
            return &f.spec;
        }
    }
    return nullptr;
}

std::string format_number(double value) {
    return fmt::format("{}", value);
}

}  // namespace

const FieldSpec* find_field(std::string_view key_path) {
    const std::size_t dot = key_path.find('.');
    if (dot == std::string_view::npos) {
        return nullptr;
    }
    const std::string_view section = key_path.substr(0, dot);
    const std::string_view rest = key_path.substr(dot + 1);
    const FieldSpec* found = nullptr;
    for_each_section([&](const auto& s) {
        if (s.name == section) {
            found = find_in(s.fields, rest);
        }
    });
    if (found == nullptr && section == kThresholdsSection.name) {
        // thresholds.container_overrides.<container>.<key>; container names may hold dots.
        constexpr std::string_view kOverrides = "container_overrides.";
        const std::size_t last = rest.rfind('.');
        if (rest.substr(0, kOverrides.size()) == kOverrides && last != std::string_view::npos &&
            last >= kOverrides.size()) {
            found = find_in(kOverrideFields, rest.substr(last + 1));
        }
    }
    return found;
}

std::string describe_expected(const FieldSpec& spec) {
    switch (spec.type) {
        case ValueType::boolean:
            return "true or false";
        case ValueType::strings:
            return "an array of strings";
        case ValueType::per_container:
            return "an object of container -> thresholds";
        case ValueType::text: {
            if (spec.text == TextRule::url) {
                return "an http:// or https:// URL";
            }
            if (spec.text == TextRule::non_empty) {
                return "a non-empty string";
            }
            if (spec.text == TextRule::choice) {
                std::string list;
                for (const auto c : spec.choices) {
                    list += fmt::format("{}\"{}\"", list.empty() ? "" : ", ", c);
                }
                return "one of " + list;
            }
            return "a string";
        }
        case ValueType::number:
        case ValueType::optional_number:
        case ValueType::integer:
            break;
    }
    const Bounds& b = spec.bounds;
    std::string noun = spec.type == ValueType::integer ? "an integer" : "a number";
    if (spec.unit == kUnitPercent) {
        noun = "a percentage";
    } else if (spec.unit == kUnitSeconds || spec.unit == kUnitMinutes) {
        noun = fmt::format("{} of {}", noun, spec.unit);
    }
    std::string range;
    if (std::isinf(b.max)) {
        range = fmt::format("{} {}", b.min_open ? ">" : ">=", format_number(b.min));
    } else {
        range = fmt::format("in {}{}, {}{}", b.min_open ? "(" : "[", format_number(b.min),
                            format_number(b.max), b.max_open ? ")" : "]");
    }
    std::string out = noun + " " + range;
    if (!spec.unit.empty() && spec.unit != kUnitPercent && spec.unit != kUnitSeconds &&
        spec.unit != kUnitMinutes) {
        out += fmt::format(" ({})", spec.unit);
    }
    if (spec.type == ValueType::optional_number) {
        out += " or null";
    }
    return out;
}

}  // namespace perfrunner::config
