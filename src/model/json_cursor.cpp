#include "json_cursor.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

#include <fmt/format.h>

#include "perfrunner/error.hpp"

namespace perfrunner::model::detail {

std::string JsonCursor::path_text() const {
    std::string out;
    for (std::size_t i = 0; i < depth_; ++i) {
        const Segment& s = path_[i];
        if (s.index == kKeySegment) {
            if (!out.empty()) {
                out.push_back('.');
            }
            out.append(s.key);
        } else {
            fmt::format_to(std::back_inserter(out), "[{}]", s.index);
        }
    }
    return out.empty() ? std::string("(top level)") : out;
}

void JsonCursor::fail(std::string_view what) const {
    throw InputError(fmt::format("{}: {}: {}", source_, path_text(), what));
}

void JsonCursor::too_deep() const {
    fail(fmt::format("nested more than {} levels deep (not a results file)", kMaxDepth));
}

void JsonCursor::malformed(simdjson::error_code e) const {
    fail(fmt::format("malformed JSON ({}); the file is truncated or not a {}", simdjson::error_message(e),
                     document_kind_));
}

// "got ..." part of a type error: the offending token, cut short.
std::string JsonCursor::got(od::value& v) const {
    od::json_type t;
    if (v.type().get(t) == simdjson::SUCCESS) {
        if (t == od::json_type::object) {
            return "an object";
        }
        if (t == od::json_type::array) {
            return "an array";
        }
    }
    std::string_view raw = v.raw_json_token();
    while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' ||
                            raw.back() == '\t' || raw.back() == ',')) {
        raw.remove_suffix(1);
    }
    std::string text(raw.substr(0, 60));
    if (raw.size() > 60) {
        text += "...";
    }
    return text;
}

void JsonCursor::wrong_type(od::value& v, std::string_view expected) const {
    fail(fmt::format("expected {}, got {}", expected, got(v)));
}

od::json_type JsonCursor::type_of(od::value& v, std::string_view expected) const {
    od::json_type t;
    if (v.type().get(t) != simdjson::SUCCESS) {
        wrong_type(v, expected);
    }
    return t;
}

bool JsonCursor::is_null(od::value& v) const {
    bool n = false;
    check(v.is_null().get(n));
    return n;
}

double JsonCursor::number(od::value& v, double limit) const {
    // No type check first: get_double refuses anything but a number, and a file holds millions of them.
    double d = 0;
    if (v.get_double().get(d) != simdjson::SUCCESS) {
        wrong_type(v, "a number");
    }
    if (!std::isfinite(d) || std::fabs(d) > limit) {
        fail(fmt::format("implausible number {} (expected |x| <= {:g})", got(v), limit));
    }
    return d;
}

std::optional<double> JsonCursor::optional_number(od::value& v) const {
    if (type_of(v, "a number or null") == od::json_type::null) {
        return std::nullopt;
    }
    return number(v);
}

double JsonCursor::number_or_zero(od::value& v) const {
    od::json_type t;
    if (v.type().get(t) == simdjson::SUCCESS && t == od::json_type::null) {
        return 0.0;
    }
    return number(v);
}

long JsonCursor::integer(od::value& v) const {
    const double d = number(v, 9.0e15);
    return static_cast<long>(std::llround(d));
}

std::optional<long> JsonCursor::optional_integer(od::value& v) const {
    if (type_of(v, "a number or null") == od::json_type::null) {
        return std::nullopt;
    }
    return integer(v);
}

int JsonCursor::int_value(od::value& v) const {
    const double d = number(v, static_cast<double>(std::numeric_limits<int>::max()));
    return static_cast<int>(std::lround(d));
}

std::optional<int> JsonCursor::optional_int(od::value& v) const {
    if (type_of(v, "a number or null") == od::json_type::null) {
        return std::nullopt;
    }
    return int_value(v);
}

std::string_view JsonCursor::string_view(od::value& v) const {
    if (type_of(v) != od::json_type::string) {
        wrong_type(v, "a string");
    }
    std::string_view s;
    if (v.get_string().get(s) != simdjson::SUCCESS) {
        wrong_type(v, "a string");
    }
    return s;
}

std::optional<std::string> JsonCursor::optional_string(od::value& v) const {
    if (type_of(v) == od::json_type::null) {
        return std::nullopt;
    }
    return string(v);
}

bool JsonCursor::boolean(od::value& v) const {
    if (type_of(v) != od::json_type::boolean) {
        wrong_type(v, "true or false");
    }
    bool b = false;
    if (v.get_bool().get(b) != simdjson::SUCCESS) {
        wrong_type(v, "true or false");
    }
    return b;
}

od::object JsonCursor::object(od::value& v, std::string_view expected) const {
    if (type_of(v) != od::json_type::object) {
        wrong_type(v, expected);
    }
    od::object o;
    check(v.get_object().get(o));
    return o;
}

od::array JsonCursor::array(od::value& v, std::string_view expected) const {
    if (type_of(v) != od::json_type::array) {
        wrong_type(v, expected);
    }
    od::array a;
    check(v.get_array().get(a));
    return a;
}

// Keys without escapes (all real ones) are read in place from the input buffer; unescaping every key would
// copy ~100 bytes per container sample into the parser's string buffer. Both views stay valid until the parse
// ends.
std::string_view JsonCursor::key_of(od::field& field) const {
    const char* begin = field.key().raw();
    const char* end = begin;
    while (*end != '"' && *end != '\\') {
        ++end;  // the closing quote exists: stage 1 validated the string
    }
    if (*end == '"') {
        return {begin, static_cast<std::size_t>(end - begin)};
    }
    std::string_view key;
    check(field.unescaped_key().get(key));
    return key;
}

void JsonCursor::duplicate() const {
    fail("duplicate member (each key may appear once in an object)");
}

void JsonCursor::note_many_keys(std::size_t first, std::string_view key,
                                std::unordered_set<std::string_view>& many) {
    if (many.empty()) {
        many.insert(keys_.begin() + static_cast<std::ptrdiff_t>(first), keys_.end());
    }
    if (!many.insert(key).second) {
        duplicate();
    }
}

template <class Json>
Json JsonCursor::generic_as(od::value& v) {
    // Generic values are read recursively: a limit on the depth keeps hostile nesting from exhausting the
    // stack (and every later recursive pass over the value: writing, destroying).
    if (depth_ > kMaxDepth) {
        too_deep();
    }
    switch (type_of(v)) {
        case od::json_type::object: {
            Json out = Json::object();
            for_each_member(object(v), [&](std::string_view key, od::value& member) {
                out[std::string(key)] = generic_as<Json>(member);
            });
            return out;
        }
        case od::json_type::array: {
            Json out = Json::array();
            for_each_element(array(v), [&](od::value& element) { out.push_back(generic_as<Json>(element)); });
            return out;
        }
        case od::json_type::number: {
            od::number n;
            if (v.get_number().get(n) != simdjson::SUCCESS) {
                wrong_type(v, "a number");
            }
            if (n.is_int64()) {
                return n.get_int64();
            }
            if (n.is_uint64()) {
                return n.get_uint64();
            }
            const double d = n.get_double();
            if (!std::isfinite(d)) {
                fail(fmt::format("implausible number {}", got(v)));
            }
            return d;
        }
        case od::json_type::string:
            return string(v);
        case od::json_type::boolean:
            return boolean(v);
        case od::json_type::null:
            check(v.is_null().error());
            return nullptr;
    }
    wrong_type(v, "a JSON value");
}

nlohmann::json JsonCursor::generic(od::value& v) {
    return generic_as<nlohmann::json>(v);
}

nlohmann::ordered_json JsonCursor::ordered(od::value& v) {
    return generic_as<nlohmann::ordered_json>(v);
}

nlohmann::json JsonCursor::object_or_empty(od::value& v) {
    if (type_of(v) == od::json_type::null) {
        return nlohmann::json::object();
    }
    if (type_of(v) != od::json_type::object) {
        wrong_type(v, "an object");
    }
    return generic(v);
}

void JsonCursor::append_member(std::string& members, std::string_view key, od::value& v) {
    if (!members.empty()) {
        members.push_back(',');
    }
    members += nlohmann::json(std::string(key)).dump();
    members.push_back(':');
    members += generic(v).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

od::object JsonCursor::document_object(od::document& doc, std::string_view expected) const {
    od::json_type t;
    check(doc.type().get(t));
    if (t != od::json_type::object) {
        fail(fmt::format("expected {} at the top level", expected));
    }
    od::object top;
    check(doc.get_object().get(top));
    return top;
}

void JsonCursor::expect_end(od::document& doc) const {
    if (const char* rest = nullptr; doc.current_location().get(rest) == simdjson::SUCCESS) {
        fail("unexpected content after the JSON document");
    }
}

}  // namespace perfrunner::model::detail
