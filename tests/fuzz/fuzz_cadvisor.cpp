// libFuzzer target: cAdvisor API answers (/api/v1.3/docker, /api/v1.3/subcontainers, /api/v1.3/machine and
// /api/v2.0 stats), as the sampler parses them: bounded JSON, then the typed mapping. The mapping refuses a
// wrong shape with std::invalid_argument or a nlohmann type error, which the sampler turns into one error
// sample ("unexpected response shape"): those are outcomes, not crashes. A crash, a sanitizer report, a leak
// or a hang is a finding.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include <nlohmann/json.hpp>

#include "perfrunner/adapters/cadvisor_json.hpp"
#include "perfrunner/adapters/json_input.hpp"
#include "perfrunner/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace cadvisor = perfrunner::adapters::cadvisor;
    nlohmann::json doc;
    try {
        doc = perfrunner::adapters::parse_json_input(
            std::string_view(reinterpret_cast<const char*>(data), size));
    } catch (const nlohmann::json::exception&) {
        return 0;
    }
    try {
        for (const auto& c : cadvisor::parse_containers(doc)) {
            (void)cadvisor::reference_values(c);
            (void)cadvisor::cpuset_count(c.cpu_mask);
        }
    } catch (const perfrunner::Error&) {
    } catch (const nlohmann::json::exception&) {
    } catch (const std::invalid_argument&) {
    }
    try {
        (void)cadvisor::parse_machine(doc);
    } catch (const perfrunner::Error&) {
    } catch (const nlohmann::json::exception&) {
    } catch (const std::invalid_argument&) {
    }
    return 0;
}
