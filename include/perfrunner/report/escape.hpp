#pragma once
// Escaping for every place data-derived text reaches HTML, XML, Markdown or an inline <script>.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace perfrunner::report {

// & < > " ' as entities: safe in HTML/XML text and in double- or single-quoted attributes.
std::string html_escape(std::string_view text);

// JSON for a <script type="application/json"> block: '<', '>' and '&' become \u003c, \u003e, \u0026, so no
// value can close the script element. Invalid UTF-8 is replaced, never thrown on.
std::string json_for_script(const nlohmann::json& value);
std::string json_for_script(const nlohmann::ordered_json& value);

// One Markdown table cell or inline text: '|', '\', '[', ']' and '`' escaped (no link, image or code span
// can come from data), bare URLs broken ("http\://", "www\."), '<' '>' '&' as entities (Markdown renderers
// pass raw HTML through), line breaks as spaces.
std::string markdown_escape(std::string_view text);

}  // namespace perfrunner::report
