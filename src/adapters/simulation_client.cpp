#include "perfrunner/adapters/simulation_client.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <thread>

#include <fmt/format.h>

#include "perfrunner/adapters/json_input.hpp"
#include "perfrunner/config/config.hpp"
#include "perfrunner/config/secrets.hpp"

namespace perfrunner::adapters {
namespace {

// Per-key limits of the server (simulation-api.md §5), requests per minute per endpoint group.
int group_limit(const std::string& group) {
    static const std::map<std::string, int> limits = {{"start", 10},        {"stop", 10},    {"pause", 10},
                                                      {"resume", 10},       {"reset", 10},   {"speed", 10},
                                                      {"status", 100},      {"drivers", 30}, {"riders", 30},
                                                      {"spawn-status", 60}, {"metrics", 120}};
    auto it = limits.find(group);
    return it == limits.end() ? 0 : it->second;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

[[noreturn]] void field_error(const std::string& where, const std::string& field,
                              const std::string& expected) {
    throw RuntimeFailure(
        fmt::format("{}: response lacks {} field '{}' (is this the simulation API of platform "
                    "commit 8ff066d?)",
                    where, expected, field));
}

const nlohmann::json& required(const nlohmann::json& body, const std::string& where,
                               const std::string& field) {
    if (!body.is_object()) {
        throw RuntimeFailure(fmt::format("{}: response is not a JSON object", where));
    }
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) {
        field_error(where, field, "the required");
    }
    return *it;
}

// Counts (agents, trips) beyond this are no counts but a corrupt or hostile answer; the bound also keeps the
// conversion to long defined (1e58 or 2^64-1 would overflow it).
constexpr double kMaxCount = 1e15;

long required_long(const nlohmann::json& body, const std::string& where, const std::string& field) {
    const auto& v = required(body, where, field);
    if (v.is_number()) {
        const double d = v.get<double>();
        if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) <= kMaxCount) {
            return v.is_number_float() ? static_cast<long>(d) : v.get<long>();
        }
    }
    field_error(where, field, "an integer");
}

double number_or(const nlohmann::json& body, const std::string& field, double fallback) {
    auto it = body.find(field);
    return it != body.end() && it->is_number() ? it->get<double>() : fallback;
}

}  // namespace

ports::SimulationStatus parse_status(const nlohmann::json& body, const std::string& where) {
    ports::SimulationStatus s;
    const auto& state = required(body, where, "state");
    if (!state.is_string()) {
        field_error(where, "state", "a string");
    }
    s.state = lower(state.get<std::string>());
    const auto& speed = required(body, where, "speed_multiplier");
    if (!speed.is_number()) {
        field_error(where, "speed_multiplier", "a numeric");
    }
    s.speed_multiplier = speed.get<double>();  // int at 8ff066d, float in later versions
    if (auto it = body.find("current_time"); it != body.end() && it->is_string()) {
        s.current_time = it->get<std::string>();
    }
    s.drivers_total = required_long(body, where, "drivers_total");
    s.riders_total = required_long(body, where, "riders_total");
    s.active_trips_count = required_long(body, where, "active_trips_count");
    s.uptime_seconds = number_or(body, "uptime_seconds", 0.0);
    return s;
}

ports::SpawnStatus parse_spawn_status(const nlohmann::json& body, const std::string& where) {
    ports::SpawnStatus s;
    s.drivers_queued = required_long(body, where, "drivers_queued");
    s.riders_queued = required_long(body, where, "riders_queued");
    return s;
}

SpawnResponse parse_spawn_response(const nlohmann::json& body, const std::string& where) {
    SpawnResponse r;
    r.queued = required_long(body, where, "queued");
    r.spawn_rate = number_or(body, "spawn_rate", 0.0);
    r.estimated_completion_seconds = number_or(body, "estimated_completion_seconds", 0.0);
    return r;
}

std::optional<double> parse_events_per_second(const nlohmann::json& body) {
    if (!body.is_object()) {
        return std::nullopt;
    }
    const auto events = body.find("events");
    if (events == body.end() || !events->is_object()) {
        return std::nullopt;
    }
    const auto total = events->find("total_per_sec");
    if (total == events->end() || !total->is_number()) {
        return std::nullopt;
    }
    const double v = total->get<double>();
    if (!std::isfinite(v) || v < 0) {
        return std::nullopt;
    }
    return v;
}

SimulationClient::SimulationClient(SimulationClientOptions options)
    : options_(std::move(options)),
      http_(HttpClientOptions{.connect_timeout_seconds = options_.connect_timeout_seconds,
                              .timeout_seconds = options_.timeout_seconds,
                              .max_retries = options_.max_retries,
                              .backoff_initial_seconds = 0.5,
                              .default_retry_after_seconds = 60.0,
                              .api_key = options_.api_key,
                              .sleep = options_.sleep,
                              .max_body_bytes = std::size_t{8} << 20U}) {
    while (!options_.base_url.empty() && options_.base_url.back() == '/') {
        options_.base_url.pop_back();
    }
    if (!options_.now) {
        options_.now = [] {
            return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
        };
    }
    if (!options_.sleep) {
        options_.sleep = [](double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); };
    }
}

SimulationClientOptions SimulationClient::options_from(const config::Config& config) {
    SimulationClientOptions o;
    o.base_url = config.api.base_url;
    o.api_key = config.api.api_key;
    if (config.api.timeout > 0) {
        o.timeout_seconds = config.api.timeout;
    }
    if (config.api.health_timeout > 0) {
        o.health_timeout_seconds = config.api.health_timeout;
    }
    if (config.api.connect_timeout > 0) {
        o.connect_timeout_seconds = config.api.connect_timeout;
    }
    o.max_retries = std::max(0, config.api.max_retries);
    return o;
}

SlidingWindowLimiter& SimulationClient::limiter(const std::string& group) {
    auto& slot = limiters_[group];
    if (!slot) {
        // 61-s window: a second of margin for the server's clock and request latency.
        slot = std::make_unique<SlidingWindowLimiter>(group_limit(group), 61.0, options_.now, options_.sleep);
    }
    return *slot;
}

HttpResponse SimulationClient::call(const std::string& method, const std::string& path,
                                    const std::string& group, std::optional<std::string> body,
                                    bool idempotent) {
    if (options_.pace_requests && group_limit(group) > 0) {
        limiter(group).acquire();
    }
    HttpRequest request;
    request.method = method;
    request.url = options_.base_url + path;
    request.body = std::move(body);
    request.idempotent = idempotent;
    return http_.send_ok(request);
}

nlohmann::json SimulationClient::parse_body(const HttpResponse& response, const std::string& method,
                                            const std::string& path) {
    try {
        return parse_json_input(response.body);
    } catch (const nlohmann::json::exception&) {
        throw RuntimeFailure(fmt::format("{} {}{}: HTTP {} but the body is not JSON: {}", method,
                                         config::redact_url_credentials(options_.base_url), path,
                                         response.status, body_excerpt(response.body, options_.api_key)));
    }
}

bool SimulationClient::health() {
    try {
        HttpRequest request;
        request.url = options_.base_url + "/health";
        request.timeout_seconds = options_.health_timeout_seconds;
        request.max_retries = 0;
        return http_.send(request).status == 200;
    } catch (const std::exception&) {
        return false;
    }
}

ports::SimulationStatus SimulationClient::status() {
    const std::string path = "/simulation/status";
    const auto response = call("GET", path, "status", std::nullopt, true);
    auto s = parse_status(parse_body(response, "GET", path),
                          "GET " + config::redact_url_credentials(options_.base_url) + path);
    s.latency_ms = response.elapsed_ms;
    return s;
}

std::optional<double> SimulationClient::events_per_second() {
    // Sampled beside the status call every tick: a short sampling interval must not stall the tick on
    // this optional figure's limit (120/min), so a tick over the limit goes without it.
    if (options_.pace_requests && limiter("metrics").wait_needed() > 0) {
        return std::nullopt;
    }
    return parse_events_per_second(performance_metrics());
}

void SimulationClient::start() {
    call("POST", "/simulation/start", "start", "{}", false);
}
void SimulationClient::pause() {
    call("POST", "/simulation/pause", "pause", "{}", false);
}
void SimulationClient::resume() {
    call("POST", "/simulation/resume", "resume", "{}", false);
}
void SimulationClient::reset() {
    call("POST", "/simulation/reset", "reset", "{}", false);
}

void SimulationClient::stop() {
    try {
        call("POST", "/simulation/stop", "stop", "{}", false);
    } catch (const HttpError& e) {
        if (e.status() != 500) {
            throw;
        }
        std::string state;
        try {
            state = status().state;
        } catch (const std::exception&) {
            throw e;
        }
        if (state == "paused" || state == "draining") {
            throw StopQuirk(
                fmt::format("POST {}/simulation/stop answered 500 while the simulation is {}: the "
                            "server's known quirk (leave {} with reset)",
                            config::redact_url_credentials(options_.base_url), state, state),
                state);
        }
        throw;
    }
}

void SimulationClient::set_speed(int multiplier) {
    if (multiplier < 1) {
        throw UsageError(
            fmt::format("speed multiplier {} is invalid: the API accepts integers >= 1", multiplier));
    }
    call("PUT", "/simulation/speed", "speed", nlohmann::json{{"multiplier", multiplier}}.dump(), true);
}

long SimulationClient::spawn(const std::string& kind, long n, long per_request) {
    long accepted = 0;
    const std::string path = "/agents/" + kind + "?mode=immediate";
    while (accepted < n) {
        const long count = std::min(per_request, n - accepted);
        try {
            const auto response = call("POST", path, kind, nlohmann::json{{"count", count}}.dump(), false);
            const auto parsed =
                parse_spawn_response(parse_body(response, "POST", path),
                                     "POST " + config::redact_url_credentials(options_.base_url) + path);
            accepted += parsed.queued;
            if (parsed.queued <= 0) {
                break;  // the server queued nothing: do not loop forever
            }
        } catch (const RuntimeFailure& e) {
            if (accepted == 0) {
                throw;
            }
            throw SpawnError(
                fmt::format("{} ({} of {} {} were queued before this request)", e.what(), accepted, n, kind),
                accepted);
        }
    }
    return accepted;
}

long SimulationClient::spawn_drivers(long n) {
    return spawn("drivers", n, kMaxDriversPerRequest);
}
long SimulationClient::spawn_riders(long n) {
    return spawn("riders", n, kMaxRidersPerRequest);
}

ports::SpawnStatus SimulationClient::spawn_status() {
    const std::string path = "/agents/spawn-status";
    const auto response = call("GET", path, "spawn-status", std::nullopt, true);
    return parse_spawn_status(parse_body(response, "GET", path),
                              "GET " + config::redact_url_credentials(options_.base_url) + path);
}

ports::SpawnWaitResult SimulationClient::wait_for_spawn(double timeout_seconds) {
    ports::SpawnWaitResult result;
    const double t0 = options_.now();
    for (;;) {
        const double poll_started = options_.now();
        result.last = spawn_status();
        result.waited_seconds = options_.now() - t0;
        if (result.last.drivers_queued == 0 && result.last.riders_queued == 0) {
            result.drained = true;
            return result;
        }
        if (result.waited_seconds >= timeout_seconds) {
            return result;
        }
        // At most one poll per second (spawn-status allows 60/min), never past the timeout.
        const double next = std::min(poll_started + 1.0, t0 + timeout_seconds);
        const double wait = next - options_.now();
        if (wait > 0) {
            options_.sleep(wait);
        }
    }
}

KeyCheck SimulationClient::validate_key() {
    HttpRequest request;
    request.url = options_.base_url + "/auth/validate";
    request.max_retries = 0;
    const auto response = http_.send(request);
    KeyCheck check;
    check.status = response.status;
    check.accepted = response.status == 200;
    check.detail = body_excerpt(response.body, options_.api_key);
    return check;
}

nlohmann::json SimulationClient::performance_metrics() {
    const std::string path = "/metrics/performance";
    return parse_body(call("GET", path, "metrics", std::nullopt, true), "GET", path);
}

}  // namespace perfrunner::adapters
