#pragma once
// Internal to the model layer: a small pretty-printing JSON writer in the layout of Python's
// json.dump(indent=2) (the reference framework's format), fast enough for a million samples.
// Output goes to a string, or is streamed to a FILE in 1 MiB chunks when one is given.
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace perfrunner::model::detail {

// The order in which the known keys of an object are written (the rest follow in nlohmann's alphabetical
// order). `children` names the context of every member value, for maps keyed by container or phase; without
// it a member's context is "<context>.<key>" and an array element's is "<context>[]".
struct KeyOrder {
    std::vector<std::string_view> keys;
    std::string_view children;
};
using KeyOrders = std::map<std::string_view, KeyOrder, std::less<>>;  // by context path

class JsonWriter {
  public:
    // `orders` (optional, must outlive the writer) gives the key order of generic objects by context.
    explicit JsonWriter(const KeyOrders* orders = nullptr, std::FILE* sink = nullptr)
        : orders_(orders), sink_(sink) {}

    void begin_object() { open('{', true); }
    void end_object() { close('}'); }
    void begin_array() { open('[', false); }
    void end_array() { close(']'); }

    void key(std::string_view name);
    // A key of our own (a literal: ASCII with nothing to escape), written without the escaping scan.
    void plain_key(std::string_view name);
    // A key already quoted and escaped by quote() (a container's label, quoted once per file, not per
    // sample).
    void quoted_key(std::string_view quoted_name);
    static std::string quote(std::string_view s);  // `s` as a JSON string, quotes included

    void string(std::string_view s);
    void number(double v);  // always with a decimal point or exponent ("2.0"); NaN/Inf -> null
    void integer(std::int64_t v);
    void boolean(bool v);
    void null();

    // Generic JSON (metadata, params, config, analysis). `context` selects the key order of known objects
    // from `orders`; other objects keep nlohmann's (alphabetical) order.
    void json(const nlohmann::json& value, std::string_view context);
    // Generic JSON whose members are written in the order they are held (scenario metadata).
    void json(const nlohmann::ordered_json& value);

    // Members of `"k":v,"k2":v2` text (ContainerSample/Sample::extra_json), written inside the current
    // object.
    void members_text(std::string_view members, std::string_view context);

    void raw(std::string_view text) { out_.append(text); }  // verbatim, e.g. the final newline
    std::string take();                                     // the text written so far (string mode)
    void flush();  // streams the buffer to the FILE (file mode); throws RuntimeFailure on write errors

  private:
    void before_value();
    void quoted(std::string_view s);
    void open(char ch, bool is_object);
    void close(char ch);
    void newline_indent(std::size_t depth);
    void maybe_flush() {
        if (sink_ != nullptr && out_.size() >= (1u << 20)) {
            flush();
        }
    }
    const KeyOrder* order_of(std::string_view context) const;
    template <class Json>
    void scalar(const Json& value);  // strings, numbers, booleans, null

    struct Level {
        bool empty = true;
    };
    const KeyOrders* orders_;
    std::FILE* sink_;
    std::string out_;
    std::vector<Level> stack_;
    bool after_key_ = false;
};

}  // namespace perfrunner::model::detail
