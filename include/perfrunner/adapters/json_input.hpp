#pragma once
// JSON from outside (HTTP bodies, docker and compose output) is parsed with its nesting bounded: a hostile or
// broken answer nested thousands of levels deep is refused while it is read, before anything recursive
// (walking, printing, comparing) could exhaust the stack.
#include <string_view>

#include <nlohmann/json.hpp>

namespace perfrunner::adapters {

// No answer of cAdvisor, the simulation API, Prometheus or docker is nested more than ~10 levels.
inline constexpr int kMaxJsonDepth = 64;

// Thrown for input nested deeper than kMaxJsonDepth; a nlohmann::json::exception, so that callers handle it
// like any other parse error.
class JsonTooDeep : public nlohmann::json::exception {
  public:
    JsonTooDeep();
};

// nlohmann::json::parse(text) with the nesting bounded. Throws nlohmann::json::exception.
nlohmann::json parse_json_input(std::string_view text);

}  // namespace perfrunner::adapters
