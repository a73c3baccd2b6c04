#include "perfrunner/report/escape.hpp"

namespace perfrunner::report {

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

namespace {

std::string script_safe(const std::string& dumped) {
    std::string out;
    out.reserve(dumped.size() + 64);
    for (char c : dumped) {
        switch (c) {
            case '<':
                out += "\\u003c";
                break;
            case '>':
                out += "\\u003e";
                break;
            case '&':
                out += "\\u0026";
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace

std::string json_for_script(const nlohmann::json& value) {
    return script_safe(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string json_for_script(const nlohmann::ordered_json& value) {
    return script_safe(value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

std::string markdown_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        // Bare URLs become links in GitHub's Markdown ("http://", "www."): an escaped ':' or '.' breaks them.
        if ((c == ':' && text.substr(i, 3) == "://") ||
            (c == '.' && i >= 3 && text.substr(i - 3, 4) == "www.")) {
            out += '\\';
            out += c;
            continue;
        }
        switch (c) {
            case '|':
                out += "\\|";
                break;
            case '[':  // no link or image: `![x](http://...)` in a container name stays text
                out += "\\[";
                break;
            case ']':
                out += "\\]";
                break;
            case '`':
                out += "\\`";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '\r':
                break;
            case '\n':
                out += ' ';
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace perfrunner::report
