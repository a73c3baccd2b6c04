#pragma once
// After a failed teardown: exactly what each Docker host still runs of the stack, and the command that
// removes it there (DOCKER_HOST=… in front when the run drives several hosts), so nothing is left unnamed on
// a host other than the first.
#include <string>
#include <vector>

#include "perfrunner/adapters/multi_host_stack.hpp"

namespace perfrunner::adapters {

struct LeftOnHost {
    std::string host;        // docker.hosts name; "" for the one host of a single-host run
    std::string containers;  // "rideshare-kafka (running), …"; "no container"; "unknown: <why>"
    std::string remove_command;
};

std::vector<LeftOnHost> left_running(MultiHostStack& stack);

// One line per host: "the stack is left running[ on HOST]: …; remove it with `…`".
std::vector<std::string> left_running_lines(const std::vector<LeftOnHost>& left);

}  // namespace perfrunner::adapters
