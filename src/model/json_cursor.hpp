#pragma once
// Internal to the model layer: typed reads over simdjson On-Demand values that keep track of the JSON path
// being read, so every problem becomes one InputError line naming the source and the path, e.g.
//   results.json: scenarios[1].samples[3].containers.web.cpu_percent: expected a number, got "abc"
// One pass, no DOM: path segments point into the parsed buffer, so reading allocates nothing per value.
#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include <simdjson.h>
#include <nlohmann/json.hpp>

namespace perfrunner::model::detail {

namespace od = simdjson::ondemand;

// Numbers beyond this are not measurements (e.g. 1e308): the file is corrupt or hostile.
constexpr double kMaxPlausible = 1e12;
// results.json is about 8 levels deep; anything much deeper is hostile.
constexpr std::size_t kMaxDepth = 64;

class JsonCursor {
  public:
    // `source` names the input in every error (a file path); `document_kind` says what it should have been.
    JsonCursor(std::string_view source, std::string_view document_kind)
        : source_(source), document_kind_(document_kind) {}

    [[noreturn]] void fail(std::string_view what) const;
    [[noreturn]] void malformed(simdjson::error_code e) const;
    void check(simdjson::error_code e) const {
        if (e != simdjson::SUCCESS) {
            malformed(e);
        }
    }
    [[noreturn]] void wrong_type(od::value& v, std::string_view expected) const;

    // `expected` names what the caller wants, for tokens that are no JSON value at all (NaN, Infinity, junk).
    od::json_type type_of(od::value& v, std::string_view expected = "a JSON value") const;
    bool is_null(od::value& v) const;

    double number(od::value& v, double limit = kMaxPlausible) const;
    std::optional<double> optional_number(od::value& v) const;
    double number_or_zero(od::value& v) const;  // null reads as 0.0
    long integer(od::value& v) const;
    std::optional<long> optional_integer(od::value& v) const;
    // An integer that must fit an int (core counts, exit codes): range-checked, never cast blindly.
    int int_value(od::value& v) const;
    std::optional<int> optional_int(od::value& v) const;
    std::string string(od::value& v) const { return std::string(string_view(v)); }
    std::string_view string_view(od::value& v) const;
    std::optional<std::string> optional_string(od::value& v) const;
    bool boolean(od::value& v) const;
    od::object object(od::value& v, std::string_view expected = "an object") const;
    od::array array(od::value& v, std::string_view expected = "an array") const;

    // Any JSON value as nlohmann::json: ints stay ints.
    nlohmann::json generic(od::value& v);
    // The same with the members in the order read (scenario metadata keeps it).
    nlohmann::ordered_json ordered(od::value& v);
    // An object as nlohmann::json; null reads as an empty object.
    nlohmann::json object_or_empty(od::value& v);
    // `"key":value` appended to a text of compact members (unknown members kept verbatim).
    void append_member(std::string& members, std::string_view key, od::value& v);

    // The top-level value must be an object (`expected` names it, e.g. "a results object").
    od::object document_object(od::document& doc, std::string_view expected) const;
    // Fails when anything but whitespace follows the document.
    void expect_end(od::document& doc) const;

    // Where the cursor is, for mappings that report their own errors: the source and the JSON path.
    std::string_view source() const { return source_; }
    std::string path() const { return path_text(); }

    // Iterates an object's members: fn(key (unescaped), value), with the key on the path. A key the object
    // already had is refused (InputError): which of two values counts would be a guess, and a rewrite would
    // keep both.
    template <typename Fn>
    void for_each_member(od::object object, Fn&& fn) {
        const std::size_t first_key = keys_.size();
        std::unordered_set<std::string_view> many_keys;  // only for objects with very many members
        for_each_member_unchecked(std::move(object), [&](std::string_view key, od::value& value) {
            // Objects of results.json have a few dozen members: a linear search over them is cheapest (and
            // inline: it runs for every member read). Past kLinearKeys (only a hostile or foreign file) a
            // hash set keeps the check linear in the input size.
            if (keys_.size() - first_key < kLinearKeys) {
                if (std::find(keys_.begin() + static_cast<std::ptrdiff_t>(first_key), keys_.end(), key) !=
                    keys_.end()) {
                    duplicate();
                }
                keys_.push_back(key);
            } else {
                note_many_keys(first_key, key, many_keys);
            }
            fn(key, value);
        });
        keys_.resize(first_key);
    }

    // The same, with repeated keys left to the caller to refuse: one that maps each key to an id (container
    // names) checks a seen-mark per id, where comparing every key with the ones before is quadratic.
    template <typename Fn>
    void for_each_member_unchecked(od::object object, Fn&& fn) {
        for (auto field_result : object) {
            od::field field;
            check(std::move(field_result).get(field));
            const std::string_view key = key_of(field);
            push(Segment{key, kKeySegment});
            od::value value = field.value();
            fn(key, value);
            --depth_;
        }
    }

    // Iterates an array's elements: fn(value), with the index on the path.
    template <typename Fn>
    void for_each_element(od::array array, Fn&& fn) {
        std::size_t i = 0;
        for (auto element_result : array) {
            od::value value;
            check(element_result.get(value));
            push(Segment{{}, i});
            fn(value);
            --depth_;
            ++i;
        }
    }

  private:
    template <class Json>
    Json generic_as(od::value& v);

    // A member's key, or an element's index (`index` != kKeySegment). Trivial to copy: a path segment is
    // pushed and popped for every value read.
    static constexpr std::size_t kKeySegment = static_cast<std::size_t>(-1);
    struct Segment {
        std::string_view key;
        std::size_t index = kKeySegment;
    };

    std::string path_text() const;
    std::string got(od::value& v) const;
    std::string_view key_of(od::field& field) const;
    static constexpr std::size_t kLinearKeys = 64;
    [[noreturn]] void duplicate() const;
    // Records `key` among the keys of the object whose first key is keys_[first], once it has kLinearKeys or
    // more (`many` takes over from the linear search); fails on a repeat.
    void note_many_keys(std::size_t first, std::string_view key, std::unordered_set<std::string_view>& many);
    [[noreturn]] void too_deep() const;
    void push(Segment segment) {
        if (depth_ == path_.size()) {
            too_deep();
        }
        path_[depth_++] = segment;
    }

    std::string_view source_;
    std::string_view document_kind_;

    // The path being read: path_[0, depth_). A fixed array, as generic values fail past kMaxDepth levels
    // and the schema's own reads go about 8 deep; a vector's push_back was a call for every value read.
    std::array<Segment, kMaxDepth + 2> path_{};
    std::size_t depth_ = 0;
    // The keys of every object being read, innermost last (views into the parsed buffer, like the path).
    std::vector<std::string_view> keys_;
};

}  // namespace perfrunner::model::detail
