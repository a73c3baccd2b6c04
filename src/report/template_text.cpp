#include "perfrunner/report/template_text.hpp"

#include "perfrunner/error.hpp"
#include "perfrunner/resources.hpp"

namespace perfrunner::report {

std::string_view template_text(std::string_view file) {
    const std::string name = "templates/" + std::string(file);
    const auto text = resource(name);
    if (!text) {
        throw RuntimeFailure("template " + name +
                             " is not embedded in this binary (rebuild perfrunner from a "
                             "checkout that has config/" +
                             name + ")");
    }
    return *text;
}

std::string fill_template(std::string_view text, const std::map<std::string, std::string>& values) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto open = text.find("{{", pos);
        if (open == std::string_view::npos) {
            break;
        }
        const auto close = text.find("}}", open + 2);
        if (close == std::string_view::npos) {
            break;
        }
        out.append(text.substr(pos, open - pos));
        const std::string key(text.substr(open + 2, close - open - 2));
        if (const auto it = values.find(key); it != values.end()) {
            out += it->second;
        } else {
            out.append(text.substr(open, close + 2 - open));
        }
        pos = close + 2;
    }
    out.append(text.substr(pos));
    return out;
}

}  // namespace perfrunner::report
