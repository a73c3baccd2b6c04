#include "stack_env.hpp"

#include <curl/curl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

namespace stack {

namespace {
std::string env_or(const char* n, const std::string& def) {
    const char* v = std::getenv(n);
    return (v != nullptr && *v != '\0') ? std::string(v) : def;
}
struct CurlGlobal {
    CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
    ~CurlGlobal() { curl_global_cleanup(); }
};
CurlGlobal& curl_global() {
    static CurlGlobal g;
    return g;
}
size_t write_cb(char* p, size_t s, size_t n, void* ud) {
    static_cast<std::string*>(ud)->append(p, s * n);
    return s * n;
}
size_t header_cb(char* p, size_t s, size_t n, void* ud) {
    auto* m = static_cast<std::map<std::string, std::string>*>(ud);
    std::string line(p, s * n);
    auto c = line.find(':');
    if (c != std::string::npos) {
        std::string k = line.substr(0, c), v = line.substr(c + 1);
        std::transform(k.begin(), k.end(), k.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        auto a = v.find_first_not_of(" \t"), b = v.find_last_not_of(" \t\r\n");
        (*m)[k] = a == std::string::npos ? "" : v.substr(a, b - a + 1);
    }
    return s * n;
}
}  // namespace

std::string sim_url() {
    return env_or("PERFRUNNER_SIM_URL", "http://127.0.0.1:18000");
}
std::string api_key() {
    return env_or("API_KEY", "dev-api-key-change-in-production");
}
std::string cadvisor_url() {
    return env_or("PERFRUNNER_CADVISOR_URL", "http://127.0.0.1:18089");
}
std::string kafka_url() {
    return "http://127.0.0.1:18092";
}
std::string prometheus_url() {
    return env_or("PERFRUNNER_PROMETHEUS_URL", "http://127.0.0.1:19090");
}
bool require_stack() {
    return env_or("PERFRUNNER_REQUIRE_STACK", "0") == "1";
}

json Response::json_body() const {
    try {
        return json::parse(body);
    } catch (...) {
        return nullptr;
    }
}
std::string Response::header(const std::string& n) const {
    auto it = headers.find(n);
    return it == headers.end() ? "" : it->second;
}

Response http(const std::string& method, const std::string& url, const std::vector<std::string>& headers,
              const std::optional<std::string>& body, long timeout_ms) {
    curl_global();
    Response r;
    CURL* c = curl_easy_init();
    curl_slist* hl = nullptr;
    for (auto& h : headers) hl = curl_slist_append(hl, h.c_str());
    if (body) hl = curl_slist_append(hl, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body->c_str());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
    } else if (method == "GET") {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &r.headers);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, std::min(timeout_ms, 2000L));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    } else {
        r.error = curl_easy_strerror(rc);
    }
    curl_slist_free_all(hl);
    curl_easy_cleanup(c);
    return r;
}

Response Api::call(const std::string& method, const std::string& path, const std::optional<std::string>& body,
                   const std::vector<std::string>& headers) const {
    return http(method, base + path, headers, body, 30000);
}
Response Api::get(const std::string& path, bool with_key) const {
    return call("GET", path, std::nullopt,
                with_key ? std::vector<std::string>{"X-API-Key: " + key} : std::vector<std::string>{});
}
Response Api::post(const std::string& path, const std::string& body, bool with_key) const {
    return call("POST", path, body,
                with_key ? std::vector<std::string>{"X-API-Key: " + key} : std::vector<std::string>{});
}
Response Api::put(const std::string& path, const std::string& body, bool with_key) const {
    return call("PUT", path, body,
                with_key ? std::vector<std::string>{"X-API-Key: " + key} : std::vector<std::string>{});
}
json Api::status() const {
    auto r = get("/simulation/status");
    json j = r.status == 200 ? r.json_body() : json(nullptr);
    return j.is_object() ? j : json::object();  // callers use value() with defaults
}
bool Api::wait_state(const std::string& state, double timeout_s) const {
    const double t0 = now_s();
    while (now_s() - t0 < timeout_s) {
        auto s = status();
        if (s.is_object() && s.value("state", "") == state) return true;
        sleep_s(0.2);
    }
    return false;
}
bool Api::spawn_and_wait(int drivers, int riders, double timeout_s) const {
    for (int left = drivers; left > 0; left -= 100) {
        if (post("/agents/drivers?mode=immediate", json{{"count", std::min(left, 100)}}.dump()).status != 200)
            return false;
    }
    for (int left = riders; left > 0; left -= 2000) {
        if (post("/agents/riders?mode=immediate", json{{"count", std::min(left, 2000)}}.dump()).status != 200)
            return false;
    }
    const double t0 = now_s();
    while (now_s() - t0 < timeout_s) {
        auto r = get("/agents/spawn-status").json_body();
        if (r.is_object() && r.value("drivers_queued", -1) == 0 && r.value("riders_queued", -1) == 0)
            return true;
        sleep_s(0.25);
    }
    return false;
}
Api stack_api() {
    return Api{sim_url(), api_key()};
}

bool http_ok(const std::string& url, long timeout_ms) {
    return http("GET", url, {}, std::nullopt, timeout_ms).status == 200;
}
bool stack_reachable() {
    return http_ok(sim_url() + "/health");
}
bool cadvisor_reachable() {
    return http_ok(cadvisor_url() + "/healthz");
}
bool prometheus_reachable() {
    return http_ok(prometheus_url() + "/-/ready");
}

Cmd sh(const std::string& cmd) {
    Cmd r;
    FILE* p = popen((cmd + " 2>&1").c_str(), "r");
    if (p == nullptr) return r;
    std::array<char, 4096> buf{};
    size_t n = 0;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
    int st = pclose(p);
    r.rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}
bool docker_available() {
    return sh("timeout 10 docker info >/dev/null").rc == 0;
}

LocalStandin::LocalStandin(int port, const std::vector<std::pair<std::string, std::string>>& env,
                           bool with_api_key)
    : port_(port) {
    std::vector<std::string> envs;
    for (char** e = environ; *e != nullptr; ++e) {
        std::string s(*e);
        if (s.rfind("API_KEY=", 0) == 0 || s.rfind("PORT=", 0) == 0 || s.rfind("SIM_", 0) == 0) continue;
        envs.push_back(s);
    }
    envs.push_back("PORT=" + std::to_string(port));
    envs.push_back("SIM_QUIET=1");
    if (with_api_key) envs.push_back("API_KEY=" + api_key());
    for (auto& [k, v] : env) envs.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& s : envs) envp.push_back(s.data());
    envp.push_back(nullptr);
    const char* bin = STANDIN_SIMULATION_BIN;
    pid_ = fork();
    if (pid_ == 0) {
        char* argv[] = {const_cast<char*>(bin), nullptr};
        execve(bin, argv, envp.data());
        _exit(127);
    }
    const double t0 = now_s();
    while (now_s() - t0 < 10) {
        if (http_ok("http://127.0.0.1:" + std::to_string(port) + "/health", 500)) {
            ready_ = true;
            break;
        }
        int st = 0;
        if (waitpid(pid_, &st, WNOHANG) == pid_) {
            pid_ = -1;
            break;
        }
        sleep_s(0.05);
    }
}
LocalStandin::~LocalStandin() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {
        int st = 0;
        if (waitpid(pid_, &st, WNOHANG) == pid_) return;
        sleep_s(0.05);
    }
    kill(pid_, SIGKILL);
    int st = 0;
    waitpid(pid_, &st, 0);
}
Api LocalStandin::api() const {
    return Api{"http://127.0.0.1:" + std::to_string(port_), api_key()};
}
long LocalStandin::rss_kb() const {
    std::ifstream f("/proc/" + std::to_string(pid_) + "/status");
    std::string line;
    while (std::getline(f, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
    }
    return -1;
}
double LocalStandin::cpu_seconds() const {
    std::ifstream f("/proc/" + std::to_string(pid_) + "/stat");
    std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    auto p = s.rfind(')');
    if (p == std::string::npos) return -1;
    std::istringstream is(s.substr(p + 2));
    std::string tok;
    double ut = 0, st = 0;
    for (int i = 3; i <= 15 && (is >> tok); ++i) {
        if (i == 14) ut = std::stod(tok);
        if (i == 15) st = std::stod(tok);
    }
    return (ut + st) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

int64_t parse_rfc3339_ns(const std::string& s) {
    int Y, M, D, h, m, sec;
    if (s.size() < 20 || std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &Y, &M, &D, &h, &m, &sec) != 6)
        return -1;
    size_t i = 19;
    int64_t frac = 0;
    int digits = 0;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
            if (digits < 9) {
                frac = frac * 10 + (s[i] - '0');
                ++digits;
            }
            ++i;
        }
    }
    while (digits < 9) {
        frac *= 10;
        ++digits;
    }
    int64_t off = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        int oh = 0, om = 0;
        if (std::sscanf(s.c_str() + i + 1, "%2d:%2d", &oh, &om) != 2) return -1;
        off = (s[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    } else if (i >= s.size() || s[i] != 'Z') {
        return -1;
    }
    std::tm tm{};
    tm.tm_year = Y - 1900;
    tm.tm_mon = M - 1;
    tm.tm_mday = D;
    tm.tm_hour = h;
    tm.tm_min = m;
    tm.tm_sec = sec;
    return (static_cast<int64_t>(timegm(&tm)) - off) * 1000000000LL + frac;
}

std::optional<CStat> cadvisor_newest(const std::string& container) {
    auto r = http("GET", cadvisor_url() + "/api/v1.3/docker/" + container, {}, std::nullopt, 5000);
    if (r.status != 200) return std::nullopt;
    auto j = r.json_body();
    if (!j.is_object() || j.empty()) return std::nullopt;
    const json& e = j.begin().value();
    if (!e.contains("stats") || e["stats"].empty()) return std::nullopt;
    const json& st = e["stats"].back();
    CStat c;
    c.ts_ns = parse_rfc3339_ns(st.value("timestamp", ""));
    c.cpu_total = st["cpu"]["usage"]["total"].get<uint64_t>();
    c.working_set = st["memory"]["working_set"].get<uint64_t>();
    c.id = e.value("id", "");
    return c;
}

Load measure(const std::string& container, double seconds) {
    Load l;
    auto a = cadvisor_newest(container);
    if (!a) return l;
    sleep_s(seconds);
    std::optional<CStat> b;
    for (int i = 0; i < 20; ++i) {  // make sure cAdvisor took a newer sample
        b = cadvisor_newest(container);
        if (b && b->ts_ns > a->ts_ns && b->id == a->id) break;
        sleep_s(0.3);
    }
    if (!b || b->ts_ns <= a->ts_ns || b->cpu_total < a->cpu_total) return l;
    l.cpu_percent =
        100.0 * static_cast<double>(b->cpu_total - a->cpu_total) / static_cast<double>(b->ts_ns - a->ts_ns);
    l.working_set_mb = static_cast<double>(b->working_set) / 1048576.0;
    return l;
}

void sleep_s(double s) {
    std::this_thread::sleep_for(std::chrono::duration<double>(s));
}
double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

bool listening_only_on_loopback(int port, bool& listening) {
    listening = false;
    bool only_lo = true;
    char want[8];
    std::snprintf(want, sizeof want, "%04X", port);
    for (const char* file : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        std::ifstream f(file);
        std::string line;
        std::getline(f, line);
        while (std::getline(f, line)) {
            std::istringstream is(line);
            std::string sl, local, remote, st;
            is >> sl >> local >> remote >> st;
            if (st != "0A") continue;  // LISTEN
            auto c = local.find(':');
            if (c == std::string::npos || local.substr(c + 1) != want) continue;
            listening = true;
            const std::string addr = local.substr(0, c);
            if (addr != "0100007F" && addr != "00000000000000000000000001000000") only_lo = false;
        }
    }
    return only_lo;
}

}  // namespace stack
