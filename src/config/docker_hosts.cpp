#include "perfrunner/config/docker_hosts.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include <fmt/format.h>

#include "perfrunner/error.hpp"

namespace perfrunner::config {
namespace {

struct NameValue {
    std::string name;
    std::string value;
};

// "NAME=VALUE" with a name of letters, digits, '.', '_' or '-' (it becomes part of results.json keys and
// report headings) and a non-empty value.
NameValue name_value(const std::string& key, std::size_t index, const std::string& item, const char* what) {
    const auto eq = item.find('=');
    const std::string name = item.substr(0, eq);
    const bool good_name = !name.empty() && std::all_of(name.begin(), name.end(), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '.' || ch == '_' || ch == '-';
    });
    if (eq == std::string::npos || !good_name || eq + 1 == item.size()) {
        throw InputError(
            fmt::format("config: {}[{}] is \"{}\", expected NAME={} (NAME of letters, digits, . _ -)", key,
                        index, item, what));
    }
    return {name, item.substr(eq + 1)};
}

bool docker_endpoint(const std::string& endpoint) {
    for (const char* scheme : {"unix://", "ssh://", "tcp://"}) {
        if (endpoint.rfind(scheme, 0) == 0 && endpoint.size() > std::string(scheme).size()) {
            return true;
        }
    }
    return false;
}

DockerHost* find_host(std::vector<DockerHost>& hosts, const std::string& name) {
    const auto it =
        std::find_if(hosts.begin(), hosts.end(), [&](const DockerHost& h) { return h.name == name; });
    return it == hosts.end() ? nullptr : &*it;
}

}  // namespace

std::vector<DockerHost> docker_hosts(const Config& config) {
    std::vector<DockerHost> hosts;
    const auto& d = config.docker;
    for (std::size_t i = 0; i < d.hosts.size(); ++i) {
        auto [name, endpoint] = name_value("docker.hosts", i, d.hosts[i], "ENDPOINT");
        if (!docker_endpoint(endpoint)) {
            throw InputError(
                fmt::format("config: docker.hosts[{}] endpoint \"{}\" is not unix:///PATH, "
                            "ssh://[USER@]HOST or tcp://HOST:PORT",
                            i, endpoint));
        }
        if (find_host(hosts, name) != nullptr) {
            throw InputError(fmt::format("config: docker.hosts[{}] repeats the host name \"{}\"", i, name));
        }
        hosts.push_back({std::move(name), std::move(endpoint), "", {}});
    }
    if (hosts.empty()) {
        hosts.push_back({"", "", d.cadvisor_url, {}});
    } else {
        hosts.front().cadvisor_url = d.cadvisor_url;  // the first host's, unless host_cadvisor_urls says
    }
    for (std::size_t i = 0; i < d.host_cadvisor_urls.size(); ++i) {
        auto [name, url] = name_value("docker.host_cadvisor_urls", i, d.host_cadvisor_urls[i], "URL");
        DockerHost* host = find_host(hosts, name);
        if (host == nullptr || name.empty()) {
            throw InputError(
                fmt::format("config: docker.host_cadvisor_urls[{}] names \"{}\", which is not in "
                            "docker.hosts",
                            i, name));
        }
        host->cadvisor_url = std::move(url);
    }
    for (std::size_t i = 0; i < config.containers.size(); ++i) {
        const auto& c = config.containers[i];
        DockerHost* host = c.host.empty() ? &hosts.front() : find_host(hosts, c.host);
        if (host == nullptr || (d.hosts.empty() && !c.host.empty())) {
            throw InputError(fmt::format(
                "config: containers[{}].host is \"{}\", which is not in docker.hosts", i, c.host));
        }
        host->containers.push_back(c.name);
    }
    return hosts;
}

bool several_docker_hosts(const Config& config) {
    return config.docker.hosts.size() > 1;
}

}  // namespace perfrunner::config
