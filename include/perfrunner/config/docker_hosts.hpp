#pragma once
// The Docker hosts a run drives (docker.hosts, containers[].host, docker.host_cadvisor_urls), read into typed
// structs and checked against each other. No hosts configured = the one engine of DOCKER_HOST (or the default
// socket), exactly as before docker.hosts existed.
#include <string>
#include <vector>

#include "perfrunner/config/config.hpp"

namespace perfrunner::config {

struct DockerHost {
    std::string name;                     // "" when docker.hosts is empty
    std::string endpoint;                 // unix:///..., ssh://..., tcp://...; "" = docker's default
    std::string cadvisor_url;             // its cAdvisor ("" = none configured)
    std::vector<std::string> containers;  // the catalogue containers that run there (containers[].host)
};

// One entry per docker.hosts item in order, or one unnamed host holding every container. Throws InputError
// naming the key for an item that is not NAME=ENDPOINT, a repeated name, an endpoint docker cannot take, a
// containers[].host or host_cadvisor_urls name that is no host.
std::vector<DockerHost> docker_hosts(const Config& config);

// More than one host: samples, OOM events and reports then name each container's host.
bool several_docker_hosts(const Config& config);

}  // namespace perfrunner::config
