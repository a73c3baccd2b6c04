#include "json_text.hpp"

#include <set>
#include <vector>

#include <fmt/format.h>

#include "perfrunner/error.hpp"

namespace perfrunner::config::detail {
namespace {

// Where the parser is: one frame per open object or array, with the keys seen so far (objects) or the index
// of the current element (arrays). nlohmann's parse callback sees keys and values one at a time, not the
// object being built, so the keys are remembered here.
class Position {
  public:
    explicit Position(std::string base_path) : base_path_(std::move(base_path)) {}

    void open(bool object) {
        element();
        frames_.push_back(Frame{object, {}, {}, 0});
    }
    void close() { frames_.pop_back(); }
    void element() {
        if (!frames_.empty() && !frames_.back().object) {
            ++frames_.back().elements;
        }
    }
    // False when the innermost object already has this key.
    bool key(const std::string& name) {
        Frame& f = frames_.back();
        f.key = name;
        return f.keys.insert(name).second;
    }

    // "a.b[2].c": the base path, then each open object's current key and each open array's current index.
    std::string path() const {
        std::string out = base_path_;
        for (const Frame& f : frames_) {
            if (!f.object) {
                out += fmt::format("[{}]", f.elements - 1);
            } else {
                out += (out.empty() ? "" : ".") + f.key;
            }
        }
        return out;
    }

  private:
    struct Frame {
        bool object = true;
        std::string key;                          // objects: the member being read
        std::set<std::string, std::less<>> keys;  // objects: every key seen
        std::size_t elements = 0;                 // arrays: elements begun so far
    };
    std::string base_path_;
    std::vector<Frame> frames_;
};

}  // namespace

nlohmann::json parse_config_json(std::string_view text, const std::string& what, const std::string& base_path,
                                 bool allow_exceptions) {
    using Event = nlohmann::json::parse_event_t;
    Position position(base_path);
    const auto check = [&what, &position](int depth, Event event, nlohmann::json& parsed) {
        switch (event) {
            case Event::object_start:
            case Event::array_start:
                if (depth >= kMaxDepth) {
                    throw ConfigError(fmt::format(
                        "{}: nested more than {} levels deep (a config has at most 4)", what, kMaxDepth));
                }
                position.open(event == Event::object_start);
                break;
            case Event::object_end:
            case Event::array_end:
                position.close();
                break;
            case Event::key:
                if (!position.key(parsed.get_ref<const std::string&>())) {
                    throw ConfigError(
                        fmt::format("{}: {}: duplicate member (each key may appear once in an object)", what,
                                    position.path()));
                }
                break;
            case Event::value:
                position.element();
                break;
        }
        return true;
    };
    return nlohmann::json::parse(text.begin(), text.end(), check, allow_exceptions, /*ignore_comments=*/true);
}

}  // namespace perfrunner::config::detail
