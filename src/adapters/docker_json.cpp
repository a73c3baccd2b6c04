#include "perfrunner/adapters/docker_json.hpp"

#include <charconv>
#include <cstdint>
#include <sstream>

#include <nlohmann/json.hpp>
#include "perfrunner/adapters/json_input.hpp"

namespace perfrunner::adapters {
namespace {

std::string str(const nlohmann::json& j, const char* key) {
    if (!j.is_object()) {
        return {};
    }
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::int64_t integer(const nlohmann::json& j, const char* key) {
    if (!j.is_object()) {
        return 0;
    }
    auto it = j.find(key);
    if (it == j.end() || !it->is_number()) {
        return 0;
    }
    if (it->is_number_float()) {
        // A float outside int64's range would be undefined to convert: no number rather than a wrong one.
        const double v = it->get<double>();
        return v > -9.2e18 && v < 9.2e18 ? static_cast<std::int64_t>(v) : 0;
    }
    if (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
        return 0;
    }
    return it->get<std::int64_t>();
}

// The object under `key`, or an empty object when there is none.
const nlohmann::json& object_at(const nlohmann::json& j, const char* key) {
    static const nlohmann::json kEmpty = nlohmann::json::object();
    if (!j.is_object()) {
        return kEmpty;
    }
    auto it = j.find(key);
    return it != j.end() && it->is_object() ? *it : kEmpty;
}

// timeNano, else time (seconds) * 1e9; 0 when neither is there or the seconds would overflow.
std::int64_t time_nano(const nlohmann::json& event) {
    const std::int64_t nano = integer(event, "timeNano");
    if (nano != 0) {
        return nano;
    }
    const std::int64_t secs = integer(event, "time");
    constexpr std::int64_t kMaxSeconds = 9'000'000'000LL;  // * 1e9 stays below 2^63
    return secs > -kMaxSeconds && secs < kMaxSeconds ? secs * 1'000'000'000LL : 0;
}

bool blank(const std::string& line) {
    return line.find_first_not_of(" \t\r\n") == std::string::npos;
}

// Calls fn(json) for every non-blank line of `{{json .}}` output; a line that is no JSON throws.
template <typename Fn>
void for_each_json_line(const std::string& output, Fn&& fn) {
    std::istringstream lines(output);
    std::string line;
    while (std::getline(lines, line)) {
        if (!blank(line)) {
            fn(parse_json_input(line));
        }
    }
}

}  // namespace

std::vector<StackContainer> parse_compose_ps(const std::string& output) {
    std::vector<StackContainer> out;
    auto add = [&](const nlohmann::json& j) {
        if (!j.is_object()) {
            return;
        }
        StackContainer c;
        c.name = str(j, "Name");
        if (c.name.empty()) {
            c.name = str(j, "Names");
        }
        c.service = str(j, "Service");
        c.state = str(j, "State");
        c.health = str(j, "Health");
        if (!c.name.empty()) {
            out.push_back(std::move(c));
        }
    };
    const auto first = output.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        return out;
    }
    if (output[first] == '[') {
        for (const auto& j : parse_json_input(output)) {
            add(j);
        }
        return out;
    }
    for_each_json_line(output, add);
    return out;
}

std::vector<std::string> parse_ps_names(const std::string& output) {
    std::vector<std::string> names;
    for_each_json_line(output, [&](const nlohmann::json& j) { names.push_back(str(j, "Names")); });
    return names;
}

std::vector<ports::ContainerState> parse_inspect(const std::string& output) {
    std::vector<ports::ContainerState> out;
    if (blank(output)) {
        return out;
    }
    const auto doc = parse_json_input(output);
    if (!doc.is_array()) {
        return out;
    }
    for (const auto& j : doc) {
        ports::ContainerState s;
        s.name = str(j, "Name");
        if (!s.name.empty() && s.name[0] == '/') {
            s.name.erase(0, 1);
        }
        s.restart_count = static_cast<long>(integer(j, "RestartCount"));
        const auto& state = object_at(j, "State");
        s.running = state.value("Running", false);
        s.oom_killed = state.value("OOMKilled", false);
        s.exit_code = static_cast<int>(integer(state, "ExitCode"));
        s.started_at = str(state, "StartedAt");
        s.health = str(object_at(state, "Health"), "Status");
        out.push_back(std::move(s));
    }
    return out;
}

std::optional<DockerEvent> parse_docker_event(const std::string& line) {
    if (blank(line)) {
        return std::nullopt;
    }
    nlohmann::json j;
    try {
        j = parse_json_input(line);
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
    if (!j.is_object()) {
        return std::nullopt;
    }
    const auto& actor = object_at(j, "Actor");
    const auto& attributes = object_at(actor, "Attributes");
    DockerEvent e;
    e.action = str(j, "Action");
    if (e.action.empty()) {
        e.action = str(j, "status");
    }
    e.container_id = str(actor, "ID");
    if (e.container_id.empty()) {
        e.container_id = str(j, "id");
    }
    e.container_name = str(attributes, "name");
    e.time_nano = time_nano(j);
    // Attribute values are strings ("137").
    const std::string code = str(attributes, "exitCode");
    int value = 0;
    const auto* end = code.data() + code.size();
    if (!code.empty() && std::from_chars(code.data(), end, value).ptr == end) {
        e.exit_code = value;
    }
    e.signal = str(attributes, "signal");
    return e;
}

std::vector<DockerOomEvent> parse_oom_events(const std::string& output) {
    std::vector<DockerOomEvent> events;
    std::istringstream lines(output);
    std::string line;
    while (std::getline(lines, line)) {
        if (blank(line)) {
            continue;
        }
        nlohmann::json j;
        try {
            j = parse_json_input(line);
        } catch (const nlohmann::json::exception&) {
            continue;  // not an event line
        }
        if (!j.is_object()) {
            continue;
        }
        const auto& actor = object_at(j, "Actor");
        DockerOomEvent e;
        e.container_id = str(actor, "ID");
        e.container_name = str(object_at(actor, "Attributes"), "name");
        e.time_nano = time_nano(j);
        events.push_back(std::move(e));
    }
    return events;
}

}  // namespace perfrunner::adapters
