#include "json_writer.hpp"

#include "json_number.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

#include "perfrunner/error.hpp"
#include "perfrunner/model/utf8.hpp"

namespace perfrunner::model::detail {
namespace {

std::string child_context(std::string_view context, const KeyOrder* order, std::string_view key) {
    if (order != nullptr && !order->children.empty()) {
        return std::string(order->children);
    }
    std::string out(context);
    out += '.';
    out += key;
    return out;
}

}  // namespace

const KeyOrder* JsonWriter::order_of(std::string_view context) const {
    if (orders_ == nullptr) {
        return nullptr;
    }
    auto it = orders_->find(context);
    return it == orders_->end() ? nullptr : &it->second;
}

void JsonWriter::newline_indent(std::size_t depth) {
    // One append of a ready-made "\n" + spaces for the depths results.json has (a sample's figure is at 7).
    static constexpr std::string_view kIndents =
        "\n                                                                ";
    const std::size_t width = 1 + depth * 2;
    if (width <= kIndents.size()) {
        out_.append(kIndents.substr(0, width));
        return;
    }
    out_.push_back('\n');
    out_.append(depth * 2, ' ');
}

void JsonWriter::before_value() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!stack_.empty()) {
        if (!stack_.back().empty) {
            out_.push_back(',');
        }
        stack_.back().empty = false;
        newline_indent(stack_.size());
    }
}

void JsonWriter::open(char ch, bool /*is_object*/) {
    before_value();
    out_.push_back(ch);
    stack_.push_back(Level{});
}

void JsonWriter::close(char ch) {
    const bool empty = stack_.back().empty;
    stack_.pop_back();
    if (!empty) {
        newline_indent(stack_.size());
    }
    out_.push_back(ch);
    maybe_flush();
}

void JsonWriter::key(std::string_view name) {
    before_value();
    quoted(name);
    out_.append(": ");
    after_key_ = true;
}

void JsonWriter::plain_key(std::string_view name) {
    before_value();
    out_.push_back('"');
    out_.append(name);
    out_.append("\": ");
    after_key_ = true;
}

void JsonWriter::quoted_key(std::string_view quoted_name) {
    before_value();
    out_.append(quoted_name);
    out_.append(": ");
    after_key_ = true;
}

std::string JsonWriter::quote(std::string_view s) {
    JsonWriter w;
    w.quoted(s);
    return w.take();
}

void JsonWriter::string(std::string_view s) {
    before_value();
    quoted(s);
}

void JsonWriter::quoted(std::string_view s) {
    out_.push_back('"');
    // Plain runs (nearly every string) are appended in one piece; only escapes go character by character.
    std::size_t run_start = 0;
    // Text from outside may hold any bytes: ill-formed UTF-8 is written as U+FFFD, so the file always
    // parses (Python and perfrunner refuse invalid UTF-8).
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (static_cast<unsigned char>(c) >= 0x80) {
            const std::size_t n = utf8_sequence_length(s, i);
            if (n > 0) {
                i += n - 1;
                continue;
            }
            out_.append(s.substr(run_start, i - run_start));
            run_start = i + 1;
            out_.append("\xEF\xBF\xBD");
            continue;
        }
        if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) {
            continue;
        }
        out_.append(s.substr(run_start, i - run_start));
        run_start = i + 1;
        switch (c) {
            case '"':
                out_.append("\\\"");
                break;
            case '\\':
                out_.append("\\\\");
                break;
            case '\n':
                out_.append("\\n");
                break;
            case '\r':
                out_.append("\\r");
                break;
            case '\t':
                out_.append("\\t");
                break;
            case '\b':
                out_.append("\\b");
                break;
            case '\f':
                out_.append("\\f");
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    fmt::format_to(std::back_inserter(out_), "\\u{:04x}", static_cast<unsigned>(c));
                }
        }
    }
    out_.append(s.substr(run_start));
    out_.push_back('"');
}

void JsonWriter::number(double v) {
    before_value();
    if (!std::isfinite(v)) {
        out_.append("null");
        return;
    }
    char buf[kNumberTextMax];
    out_.append(buf, static_cast<std::size_t>(number_text(v, buf) - buf));
}

void JsonWriter::integer(std::int64_t v) {
    before_value();
    char buf[32];
    auto res = std::to_chars(buf, buf + sizeof(buf), v);
    out_.append(buf, static_cast<std::size_t>(res.ptr - buf));
}

void JsonWriter::boolean(bool v) {
    before_value();
    out_.append(v ? "true" : "false");
}

void JsonWriter::null() {
    before_value();
    out_.append("null");
}

template <class Json>
void JsonWriter::scalar(const Json& value) {
    switch (value.type()) {
        case Json::value_t::string:
            string(value.template get_ref<const std::string&>());
            break;
        case Json::value_t::boolean:
            boolean(value.template get<bool>());
            break;
        case Json::value_t::number_integer:
            integer(value.template get<std::int64_t>());
            break;
        case Json::value_t::number_unsigned:
            before_value();
            fmt::format_to(std::back_inserter(out_), "{}", value.template get<std::uint64_t>());
            break;
        case Json::value_t::number_float:
            number(value.template get<double>());
            break;
        default:
            null();
            break;
    }
}

void JsonWriter::json(const nlohmann::json& value, std::string_view context) {
    switch (value.type()) {
        case nlohmann::json::value_t::object: {
            const KeyOrder* order = order_of(context);
            begin_object();
            if (order != nullptr) {
                for (auto k : order->keys) {
                    auto m = value.find(std::string(k));
                    if (m == value.end()) {
                        continue;
                    }
                    key(k);
                    json(*m, child_context(context, order, k));
                }
            }
            for (const auto& [k, v] : value.items()) {
                if (order != nullptr &&
                    std::find(order->keys.begin(), order->keys.end(), k) != order->keys.end()) {
                    continue;
                }
                key(k);
                json(v, child_context(context, order, k));
            }
            end_object();
            break;
        }
        case nlohmann::json::value_t::array: {
            const KeyOrder* order = order_of(context);
            std::string element = order != nullptr && !order->children.empty() ? std::string(order->children)
                                                                               : std::string(context) + "[]";
            begin_array();
            for (const auto& v : value) {
                json(v, element);
            }
            end_array();
            break;
        }
        default:
            scalar(value);
            break;
    }
}

void JsonWriter::json(const nlohmann::ordered_json& value) {
    switch (value.type()) {
        case nlohmann::ordered_json::value_t::object:
            begin_object();
            for (const auto& [k, v] : value.items()) {
                key(k);
                json(v);
            }
            end_object();
            break;
        case nlohmann::ordered_json::value_t::array:
            begin_array();
            for (const auto& v : value) {
                json(v);
            }
            end_array();
            break;
        default:
            scalar(value);
            break;
    }
}

void JsonWriter::members_text(std::string_view members, std::string_view context) {
    if (members.empty()) {
        return;
    }
    std::string text = "{";
    text.append(members);
    text.push_back('}');
    auto parsed = nlohmann::json::parse(text, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
        return;
    }
    for (const auto& [k, v] : parsed.items()) {
        key(k);
        json(v, std::string(context) + "." + k);
    }
}

std::string JsonWriter::take() {
    std::string out;
    out.swap(out_);
    return out;
}

void JsonWriter::flush() {
    if (sink_ == nullptr || out_.empty()) {
        return;
    }
    if (std::fwrite(out_.data(), 1, out_.size(), sink_) != out_.size()) {
        throw RuntimeFailure(
            fmt::format("cannot write results: {} (check free disk space)", std::strerror(errno)));
    }
    out_.clear();
}

}  // namespace perfrunner::model::detail
