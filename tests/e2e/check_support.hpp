#pragma once
// Helpers of the collector and `perfrunner check` end-to-end tests: is the real stack up, its API key, and
// throw-away containers removed whatever happens.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "perfrunner/adapters/http_client.hpp"
#include "perfrunner/adapters/process.hpp"

namespace perfrunner::e2e_check {

inline const std::string kCadvisorUrl = "http://127.0.0.1:18089";
inline const std::string kSimulationUrl = "http://127.0.0.1:18000";
inline const std::string kBusybox = "perfrunner/busybox:local";

inline std::string source_dir() {
    return PERFRUNNER_SOURCE_DIR;
}
inline std::string compose_file() {
    return source_dir() + "/tests/stack/compose.yml";
}

inline bool require_stack() {
    const char* v = std::getenv("PERFRUNNER_REQUIRE_STACK");
    return v != nullptr && std::string(v) == "1";
}

inline adapters::ProcessResult run(const std::vector<std::string>& argv, double timeout = 60.0) {
    adapters::ProcessOptions o;
    o.timeout_seconds = timeout;
    return adapters::run_process(argv, o);
}

inline bool url_answers(const std::string& url) {
    try {
        adapters::HttpClientOptions o;
        o.timeout_seconds = 3.0;
        o.connect_timeout_seconds = 2.0;
        o.max_retries = 0;
        adapters::HttpClient client(o);
        adapters::HttpRequest r;
        r.url = url;
        return client.send(r).status == 200;
    } catch (const std::exception&) {
        return false;
    }
}

// Empty when docker, cAdvisor and the simulation answer; else why not.
inline std::string stack_unavailable_reason() {
    try {
        if (!run({"docker", "info", "--format", "{{.ServerVersion}}"}, 20.0).ok())
            return "docker engine not reachable";
    } catch (const std::exception& e) {
        return std::string("docker CLI not usable: ") + e.what();
    }
    if (!url_answers(kCadvisorUrl + "/healthz")) return "cAdvisor not answering on " + kCadvisorUrl;
    if (!url_answers(kSimulationUrl + "/health")) return "simulation not answering on " + kSimulationUrl;
    return {};
}

// The key the running stack was started with: the compose file's value (API_KEY default or environment).
inline std::string stack_api_key() {
    const auto r =
        run({"docker", "compose", "-f", compose_file(), "--profile", "core", "config", "--format", "json"});
    if (!r.ok()) return {};
    const auto doc = nlohmann::json::parse(r.out);
    return doc.at("services").at("simulation").at("environment").value("API_KEY", std::string());
}

// Removes a test container when the test ends (also on failure).
class ScopedContainer {
  public:
    explicit ScopedContainer(std::string name) : name_(std::move(name)) { remove(); }
    ~ScopedContainer() { remove(); }
    ScopedContainer(const ScopedContainer&) = delete;
    ScopedContainer& operator=(const ScopedContainer&) = delete;
    const std::string& name() const { return name_; }

  private:
    void remove() {
        try {
            run({"docker", "rm", "-f", name_}, 30.0);
        } catch (const std::exception&) {
        }
    }
    std::string name_;
};

}  // namespace perfrunner::e2e_check

// Skip (or fail with PERFRUNNER_REQUIRE_STACK=1) when the real stack is not reachable.
#define PERFRUNNER_REQUIRE_REAL_STACK()                                                                      \
    do {                                                                                                     \
        const std::string why_ = ::perfrunner::e2e_check::stack_unavailable_reason();                        \
        if (!why_.empty()) {                                                                                 \
            if (::perfrunner::e2e_check::require_stack()) FAIL() << why_ << " (PERFRUNNER_REQUIRE_STACK=1)"; \
            GTEST_SKIP() << why_ << ": start it with tests/stack/dockerd.sh start && tests/stack/up.sh";     \
        }                                                                                                    \
    } while (0)
