// Helpers of the stack tests: libcurl HTTP client, shell commands, local stand-in processes, cAdvisor
// sampling.
#pragma once

#include <sys/types.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stack {

using nlohmann::json;

// ---- configuration (all URLs are 127.0.0.1 literals: network rule)
std::string sim_url();         // PERFRUNNER_SIM_URL or http://127.0.0.1:18000
std::string api_key();         // API_KEY or dev-api-key-change-in-production
std::string cadvisor_url();    // http://127.0.0.1:18089
std::string kafka_url();       // http://127.0.0.1:18092
std::string prometheus_url();  // PERFRUNNER_PROMETHEUS_URL or http://127.0.0.1:19090
bool require_stack();          // PERFRUNNER_REQUIRE_STACK=1

// ---- HTTP (libcurl)
struct Response {
    long status = 0;  // 0 = transport error
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string error;
    json json_body() const;  // parse or null
    std::string header(const std::string& lower_name) const;
};
Response http(const std::string& method, const std::string& url, const std::vector<std::string>& headers = {},
              const std::optional<std::string>& body = std::nullopt, long timeout_ms = 10000);

// API client bound to a base URL + key
struct Api {
    std::string base;
    std::string key;
    Response get(const std::string& path, bool with_key = true) const;
    Response post(const std::string& path, const std::string& body = "{}", bool with_key = true) const;
    Response put(const std::string& path, const std::string& body, bool with_key = true) const;
    Response call(const std::string& method, const std::string& path, const std::optional<std::string>& body,
                  const std::vector<std::string>& headers) const;
    json status() const;  // GET /simulation/status as a json object ({} on error)
    bool wait_state(const std::string& state, double timeout_s) const;
    // spawn n drivers and n riders (chunked), wait until the queues are empty; false on timeout
    bool spawn_and_wait(int drivers, int riders, double timeout_s) const;
};
Api stack_api();

bool http_ok(const std::string& url, long timeout_ms = 2000);
bool stack_reachable();       // stack simulation /health answers
bool cadvisor_reachable();    // /healthz answers
bool prometheus_reachable();  // /-/ready answers

// ---- shell
struct Cmd {
    int rc = -1;
    std::string out;
};
Cmd sh(const std::string& cmd);
bool docker_available();

// ---- local stand-in process on 127.0.0.1:<port> (no docker)
class LocalStandin {
  public:
    LocalStandin(int port, const std::vector<std::pair<std::string, std::string>>& env,
                 bool with_api_key = true);
    ~LocalStandin();
    LocalStandin(const LocalStandin&) = delete;
    LocalStandin& operator=(const LocalStandin&) = delete;
    bool ready() const { return ready_; }
    pid_t pid() const { return pid_; }
    Api api() const;
    long rss_kb() const;         // VmRSS from /proc/<pid>/status
    double cpu_seconds() const;  // utime+stime from /proc/<pid>/stat
  private:
    int port_;
    pid_t pid_ = -1;
    bool ready_ = false;
};

// ---- cAdvisor
struct CStat {
    int64_t ts_ns = 0;
    uint64_t cpu_total = 0;
    uint64_t working_set = 0;
    std::string id;
};
int64_t parse_rfc3339_ns(const std::string& s);  // -1 on error
std::optional<CStat> cadvisor_newest(const std::string& container);
struct Load {
    double cpu_percent = -1;  // % of one core
    double working_set_mb = -1;
};
// CPU from cumulative ns / cAdvisor timestamps across ~seconds; working set of the newest stat
Load measure(const std::string& container, double seconds);

// ---- misc
void sleep_s(double s);
double now_s();
bool listening_only_on_loopback(int port, bool& listening);  // reads /proc/net/tcp{,6}

}  // namespace stack

// Skip (or fail with PERFRUNNER_REQUIRE_STACK=1) when the docker stack is not reachable.
#define STACK_REQUIRE_OR_SKIP(cond, what)                                                                \
    do {                                                                                                 \
        if (!(cond)) {                                                                                   \
            if (::stack::require_stack()) FAIL() << what << " (PERFRUNNER_REQUIRE_STACK=1)";             \
            GTEST_SKIP() << what << ": start it with tests/stack/dockerd.sh start && tests/stack/up.sh"; \
        }                                                                                                \
    } while (0)
