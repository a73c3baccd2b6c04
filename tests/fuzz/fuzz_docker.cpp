// libFuzzer target: what docker and compose print (compose ps, docker ps, docker inspect, docker events: the
// per-tick `docker events` output and each line of the long-lived event stream), as the docker adapter
// parses it.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "perfrunner/adapters/docker_json.hpp"
#include "perfrunner/error.hpp"

namespace {

template <class Fn>
void guarded(Fn&& fn) {
    try {
        fn();
    } catch (const perfrunner::Error&) {
    } catch (const nlohmann::json::exception&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace adapters = perfrunner::adapters;
    const std::string text(reinterpret_cast<const char*>(data), size);
    guarded([&] { (void)adapters::parse_compose_ps(text); });
    guarded([&] { (void)adapters::parse_ps_names(text); });
    guarded([&] { (void)adapters::parse_inspect(text); });
    guarded([&] { (void)adapters::parse_oom_events(text); });
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        guarded([&] { (void)adapters::parse_docker_event(line); });
    }
    return 0;
}
