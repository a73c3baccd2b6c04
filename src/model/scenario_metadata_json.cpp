// Scenario metadata <-> JSON: the reader and the writer visit each struct's field list
// (scenario_metadata_fields.hpp), so every key is spelled in one place.
#include "perfrunner/model/scenario_metadata_json.hpp"

#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <type_traits>

#include <fmt/format.h>

#include "perfrunner/error.hpp"
#include "perfrunner/model/scenario_names.hpp"
#include "scenario_metadata_fields.hpp"

namespace perfrunner::model {
namespace {

using namespace metadata_fields;

template <class T>
constexpr bool kIsOptional = false;
template <class T>
constexpr bool kIsOptional<std::optional<T>> = true;

template <class T>
constexpr bool kIsVector = false;
template <class T>
constexpr bool kIsVector<std::vector<T>> = true;

// ------------------------------------------------------------------------------------------------- reading
// A JSON value and where it sits in its file, for the one-line error.
class Node {
  public:
    Node(const ojson& value, std::string path, std::string_view source)
        : value_(value), path_(std::move(path)), source_(source) {}

    const ojson& value() const { return value_; }
    Node member(const std::string& key, const ojson& v) const { return {v, path_ + "." + key, source_}; }
    Node element(std::size_t i, const ojson& v) const {
        return {v, fmt::format("{}[{}]", path_, i), source_};
    }

    [[noreturn]] void fail(std::string_view expected) const {
        std::string got;
        if (value_.is_object()) {
            got = "an object";
        } else if (value_.is_array()) {
            got = "an array";
        } else {
            got = value_.dump();
            if (got.size() > 60) {
                got.resize(60);
                got += "...";
            }
        }
        throw InputError(fmt::format("{}: {}: expected {}, got {}", source_, path_, expected, got));
    }

  private:
    const ojson& value_;
    std::string path_;
    std::string_view source_;
};

long integer(const Node& n, std::string_view expected, long min, long max) {
    const ojson& v = n.value();
    if (!v.is_number()) {
        n.fail(expected);
    }
    const double d = v.get<double>();  // ints and floats alike (results-schema.md §8 rule 2)
    if (!std::isfinite(d) || d < static_cast<double>(min) || d > static_cast<double>(max)) {
        n.fail(expected);
    }
    return v.is_number_integer() ? v.get<long>() : std::lround(d);
}

constexpr long kMaxCount = 9'000'000'000'000'000L;  // beyond any count a run makes; doubles stay exact below

void read(const Node& n, double& out) {
    if (!n.value().is_number()) {
        n.fail("a number");
    }
    out = n.value().get<double>();
}

void read(const Node& n, long& out) {
    out = integer(n, "an integer", -kMaxCount, kMaxCount);
}

void read(const Node& n, int& out) {
    out = static_cast<int>(
        integer(n, "an integer", std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
}

void read(const Node& n, std::size_t& out) {
    out = static_cast<std::size_t>(integer(n, "an integer >= 0", 0, kMaxCount));
}

void read(const Node& n, bool& out) {
    if (!n.value().is_boolean()) {
        n.fail("true or false");
    }
    out = n.value().get<bool>();
}

void read(const Node& n, std::string& out) {
    if (!n.value().is_string()) {
        n.fail("a string");
    }
    out = n.value().get<std::string>();
}

void read(const Node& n, ojson& out) {  // a recorded analysis part
    if (!n.value().is_object()) {
        n.fail("an object");
    }
    out = n.value();
}

template <class T>
void read(const Node& n, std::optional<T>& out) {
    if (n.value().is_null()) {
        out.reset();
        return;
    }
    T value{};
    read(n, value);
    out = std::move(value);
}

template <class T>
void read(const Node& n, std::vector<T>& out) {
    if (!n.value().is_array()) {
        n.fail("an array");
    }
    out.clear();
    for (std::size_t i = 0; i < n.value().size(); ++i) {
        read(n.element(i, n.value()[i]), out.emplace_back());
    }
}

// Reads the members of one object into a struct's fields; the members no field took are its `rest`.
class FieldReader {
  public:
    explicit FieldReader(const Node& node) : node_(node) {
        if (!node.value().is_object()) {
            node.fail("an object");
        }
    }

    template <class M>
    void operator()(std::string_view key, M& member, WhenEmpty /*written*/ = WhenEmpty::omit) {
        const ojson* v = take(key);
        if (v == nullptr || (v->is_null() && !kIsOptional<M>)) {
            return;  // absent, or null where the schema has a value: the default stays (tolerant reading)
        }
        read(node_.member(std::string(key), *v), member);
    }

    // The fields of `S` sit in this same object; `member` is set when any of them is present.
    template <class S>
    void inlined(std::optional<S>& member) {
        const std::size_t before = taken_.size();
        S sub{};
        fields(*this, sub);
        if (taken_.size() > before) {
            member = std::move(sub);
        }
    }

    // An object keyed by container: every member becomes one item whose `name` is the member's key.
    template <class S>
    void keyed(std::string_view key, std::vector<S>& items, std::string S::*name) {
        const ojson* v = take(key);
        if (v == nullptr || v->is_null()) {
            return;
        }
        const Node n = node_.member(std::string(key), *v);
        if (!v->is_object()) {
            n.fail("an object");
        }
        for (const auto& [member_key, member] : v->items()) {
            S item{};
            read(n.member(member_key, member), item);
            item.*name = member_key;
            items.push_back(std::move(item));
        }
    }

    template <class Order>
    void recorded(std::string_view key, std::optional<ojson>& member, Order /*written*/) {
        (*this)(key, member);
    }

    ojson rest() const {
        ojson out;  // null when every member was taken
        for (const auto& [key, member] : node_.value().items()) {
            if (taken_.count(key) == 0) {
                out[key] = member;
            }
        }
        return out;
    }

  private:
    const ojson* take(std::string_view key) {
        const auto it = node_.value().find(std::string(key));
        if (it == node_.value().end()) {
            return nullptr;
        }
        taken_.emplace(key);
        return &*it;
    }

    const Node& node_;
    std::set<std::string, std::less<>> taken_;
};

template <class S>
void read(const Node& n, S& out) {
    FieldReader reader(n);
    fields(reader, out);
    if constexpr (requires { out.extra; }) {
        out.extra = reader.rest();
    }
}

template <class S>
S read_as(const Node& n) {
    S out{};
    read(n, out);
    return out;
}

// ------------------------------------------------------------------------------------------------- writing
ojson to_ojson(double v) {
    return v;
}
ojson to_ojson(long v) {
    return v;
}
ojson to_ojson(int v) {
    return v;
}
ojson to_ojson(std::size_t v) {
    return v;
}
ojson to_ojson(bool v) {
    return v;
}
ojson to_ojson(const std::string& v) {
    return v;
}

template <class T>
ojson to_ojson(const std::vector<T>& items);
template <class S>
ojson to_ojson(const S& s);

class FieldWriter {
  public:
    template <class M>
    void operator()(std::string_view key, const M& member, WhenEmpty when_empty = WhenEmpty::omit) {
        if constexpr (kIsOptional<M>) {
            if (!member) {
                if (when_empty == WhenEmpty::null) {
                    out_[std::string(key)] = nullptr;
                }
                return;
            }
            out_[std::string(key)] = to_ojson(*member);
        } else if constexpr (kIsVector<M>) {
            if (!member.empty() || when_empty == WhenEmpty::write) {
                out_[std::string(key)] = to_ojson(member);
            }
        } else {
            out_[std::string(key)] = to_ojson(member);
        }
    }

    template <class S>
    void inlined(const std::optional<S>& member) {
        if (member) {
            fields(*this, *member);
        }
    }

    template <class S>
    void keyed(std::string_view key, const std::vector<S>& items, std::string S::*name) {
        ojson out = ojson::object();
        for (const auto& item : items) {
            out[item.*name] = to_ojson(item);
        }
        out_[std::string(key)] = std::move(out);
    }

    template <class Order>
    void recorded(std::string_view key, const std::optional<ojson>& member, Order order) {
        if (member) {
            out_[std::string(key)] = order(*member);
        }
    }

    // The fields written, then the unknown keys that were read.
    ojson finish(const ojson& extra) {
        if (extra.is_object()) {
            for (const auto& [key, member] : extra.items()) {
                if (!out_.contains(key)) {
                    out_[key] = member;
                }
            }
        }
        return std::move(out_);
    }

  private:
    ojson out_ = ojson::object();
};

template <class T>
ojson to_ojson(const std::vector<T>& items) {
    ojson out = ojson::array();
    for (const auto& item : items) {
        out.push_back(to_ojson(item));
    }
    return out;
}

template <class S>
ojson to_ojson(const S& s) {
    FieldWriter writer;
    fields(writer, s);
    if constexpr (requires { s.extra; }) {
        return writer.finish(s.extra);
    } else {
        return writer.finish(ojson());
    }
}

}  // namespace

ScenarioMetadata metadata_from_json(std::string_view scenario_name, const nlohmann::ordered_json& metadata,
                                    std::string_view source, std::string_view path) {
    const Node node(metadata, std::string(path), source);
    if (metadata.is_null() || (metadata.is_object() && metadata.empty())) {
        return std::monostate{};
    }
    if (!metadata.is_object()) {
        node.fail("an object");
    }
    if (scenario_name == scenario_names::kStress) {
        return read_as<StressMetadata>(node);
    }
    if (scenario_name == scenario_names::kDuration) {
        return read_as<DurationMetadata>(node);
    }
    if (scenario_name == scenario_names::kSpeed) {
        return read_as<SpeedMetadata>(node);
    }
    return OtherMetadata{metadata};
}

nlohmann::ordered_json metadata_to_json(const ScenarioMetadata& metadata) {
    return std::visit(
        [](const auto& m) -> ojson {
            using M = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<M, std::monostate>) {
                return ojson::object();
            } else if constexpr (std::is_same_v<M, OtherMetadata>) {
                return m.fields;
            } else {
                return to_ojson(m);
            }
        },
        metadata);
}

void record_duration_analysis(DurationMetadata& metadata, const nlohmann::ordered_json& parts) {
    const auto part = [&](const char* key) -> std::optional<ojson> {
        const auto it = parts.find(key);
        return it == parts.end() ? std::nullopt : std::optional<ojson>(*it);
    };
    metadata.phase_analysis = part("phase_analysis");
    metadata.leak_analysis = part("leak_analysis");
    metadata.cooldown_analysis = part("cooldown_analysis");
}

nlohmann::ordered_json trigger_to_json(const std::optional<Trigger>& trigger) {
    return trigger ? to_ojson(*trigger) : ojson(nullptr);
}

nlohmann::ordered_json peak_values_to_json(const std::vector<PeakValues>& peaks) {
    FieldWriter writer;
    writer.keyed("peak_values", peaks, &PeakValues::container);
    return writer.finish(ojson())["peak_values"];
}

}  // namespace perfrunner::model
