#include "perfrunner/adapters/left_running.hpp"

#include <fmt/format.h>

#include "perfrunner/adapters/process.hpp"

namespace perfrunner::adapters {
namespace {

std::string still_there(DockerCli& docker) {
    std::string names;
    try {
        for (const auto& c : docker.stack_containers()) {
            if (c.state == "running" || c.state == "restarting" || c.state == "created") {
                names += (names.empty() ? "" : ", ") + c.name + " (" + c.state + ")";
            }
        }
    } catch (const std::exception& e) {
        return std::string("unknown: ") + e.what();
    }
    return names.empty() ? "no container" : names;
}

// The `down -v` a user types on that host: the compose arguments perfrunner's own teardown uses (compose
// command, file, project and profiles: without its profiles `down` leaves a profile's services running).
std::string remove_command(DockerCli& docker, bool name_the_engine) {
    const auto& o = docker.options();
    std::string command;
    try {
        command = format_command(docker.down_argv());
    } catch (const std::exception&) {
        command = "docker compose -f " + o.compose_file + " down -v";  // no compose answered: the usual one
    }
    return name_the_engine && !o.docker_host.empty() ? "DOCKER_HOST=" + o.docker_host + " " + command
                                                     : command;
}

}  // namespace

std::vector<LeftOnHost> left_running(MultiHostStack& stack) {
    std::vector<LeftOnHost> out;
    out.reserve(stack.hosts().size());
    const bool several = stack.hosts().size() > 1;
    for (auto& h : stack.hosts()) {
        out.push_back({h.host, still_there(*h.docker), remove_command(*h.docker, several)});
    }
    return out;
}

std::vector<std::string> left_running_lines(const std::vector<LeftOnHost>& left) {
    std::vector<std::string> lines;
    lines.reserve(left.size());
    for (const auto& l : left) {
        lines.push_back(fmt::format("the stack is left running{}: {}; remove it with `{}`",
                                    l.host.empty() ? "" : " on " + l.host, l.containers, l.remove_command));
    }
    return lines;
}

}  // namespace perfrunner::adapters
