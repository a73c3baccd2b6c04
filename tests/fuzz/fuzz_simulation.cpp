// libFuzzer target: the simulation API's answers (/simulation/status, /agents/spawn-status, spawn responses),
// as SimulationClient parses them: bounded JSON, then the typed mapping.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "perfrunner/adapters/json_input.hpp"
#include "perfrunner/adapters/simulation_client.hpp"
#include "perfrunner/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace adapters = perfrunner::adapters;
    nlohmann::json doc;
    try {
        doc = adapters::parse_json_input(std::string_view(reinterpret_cast<const char*>(data), size));
    } catch (const nlohmann::json::exception&) {
        return 0;
    }
    try {
        (void)adapters::parse_status(doc, "GET /simulation/status");
    } catch (const perfrunner::Error&) {
    }
    try {
        (void)adapters::parse_spawn_status(doc, "GET /agents/spawn-status");
    } catch (const perfrunner::Error&) {
    }
    try {
        (void)adapters::parse_spawn_response(doc, "POST /agents/drivers");
    } catch (const perfrunner::Error&) {
    }
    return 0;
}
