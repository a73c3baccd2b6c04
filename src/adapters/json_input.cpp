#include "perfrunner/adapters/json_input.hpp"

namespace perfrunner::adapters {

// Id 0 is not used by nlohmann's own exceptions.
JsonTooDeep::JsonTooDeep() : nlohmann::json::exception(0, "JSON nested more than 64 levels deep") {}

nlohmann::json parse_json_input(std::string_view text) {
    const auto limit_depth = [](int depth, nlohmann::json::parse_event_t event, nlohmann::json& /*parsed*/) {
        if (depth >= kMaxJsonDepth && (event == nlohmann::json::parse_event_t::object_start ||
                                       event == nlohmann::json::parse_event_t::array_start)) {
            throw JsonTooDeep();
        }
        return true;
    };
    return nlohmann::json::parse(text.begin(), text.end(), limit_depth);
}

}  // namespace perfrunner::adapters
