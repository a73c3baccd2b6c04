#pragma once
// What docker and compose print as JSON, turned into structs. No process runs here (docker_cli.hpp runs
// them); malformed output throws nlohmann::json::exception unless a function says otherwise.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "perfrunner/ports/stack_controller.hpp"

namespace perfrunner::adapters {

// One container of the stack as `compose ps` / `docker ps` list it.
struct StackContainer {
    std::string name;
    std::string service;
    std::string state;   // running, exited, ...
    std::string health;  // healthy, unhealthy, starting, "" (no healthcheck)
};

// `compose ps --format json` output: one JSON array (compose >= 2.21) or JSON lines (older v2).
std::vector<StackContainer> parse_compose_ps(const std::string& output);

// `docker ps --format '{{json .}}'` lines: the container names.
std::vector<std::string> parse_ps_names(const std::string& output);

// `docker inspect` JSON array to states (name without the leading "/").
std::vector<ports::ContainerState> parse_inspect(const std::string& output);

// One `oom` event of `docker events --format '{{json .}}'`: a process of the container was OOM-killed.
struct DockerOomEvent {
    std::string container_id;
    std::string container_name;  // Actor.Attributes.name; "" when docker did not say
    std::int64_t time_nano = 0;  // timeNano, else time in seconds * 1e9
};

// The oom events among `docker events` lines; lines that are not JSON are skipped (an event stream must not
// fail a run over one bad line).
std::vector<DockerOomEvent> parse_oom_events(const std::string& output);

// One container event of the long-lived `docker events --format '{{json .}}'` stream
// (docker_event_stream.hpp).
struct DockerEvent {
    std::string action;  // oom, die, kill, restart, start, ...
    std::string container_id;
    std::string container_name;    // Actor.Attributes.name; "" when docker did not say
    std::int64_t time_nano = 0;    // timeNano, else time in seconds * 1e9
    std::optional<int> exit_code;  // `die`: Actor.Attributes.exitCode
    std::string signal;            // `kill`: Actor.Attributes.signal
};

// One line of that stream; nullopt for a line that is not a JSON object (a stream must not fail a run over
// one bad line).
std::optional<DockerEvent> parse_docker_event(const std::string& line);

}  // namespace perfrunner::adapters
