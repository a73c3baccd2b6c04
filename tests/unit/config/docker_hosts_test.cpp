// docker.hosts, containers[].host and docker.host_cadvisor_urls: read into hosts, checked against each other;
// no hosts configured is the one default engine holding every container (as before the keys existed).
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "perfrunner/config/config.hpp"
#include "perfrunner/config/docker_hosts.hpp"
#include "perfrunner/error.hpp"

using namespace perfrunner::config;
using ::testing::HasSubstr;

namespace {

Config with_hosts(std::vector<std::string> hosts, std::vector<std::string> cadvisors = {}) {
    Config c = defaults();
    c.docker.hosts = std::move(hosts);
    c.docker.host_cadvisor_urls = std::move(cadvisors);
    c.containers = {{"sim", "", "core", std::nullopt, std::nullopt, "edge"},
                    {"kafka", "", "core", std::nullopt, std::nullopt, ""},
                    {"redis", "", "core", std::nullopt, std::nullopt, "main"}};
    return c;
}

std::string error_of(const Config& c) {
    try {
        docker_hosts(c);
    } catch (const perfrunner::InputError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(DockerHosts, NoneConfiguredIsTheDefaultEngineWithEveryContainer) {
    const Config c = defaults();
    EXPECT_TRUE(c.docker.hosts.empty());
    const auto hosts = docker_hosts(c);
    ASSERT_EQ(hosts.size(), 1u);
    EXPECT_EQ(hosts[0].name, "");
    EXPECT_EQ(hosts[0].endpoint, "");
    EXPECT_EQ(hosts[0].cadvisor_url, c.docker.cadvisor_url);
    EXPECT_EQ(hosts[0].containers.size(), c.containers.size());
    EXPECT_FALSE(several_docker_hosts(c));
}

TEST(DockerHosts, EachContainerGoesToItsHostAndTheFirstByDefault) {
    const Config c = with_hosts({"main=unix:///var/run/docker.sock", "edge=ssh://ops@edge.example"},
                                {"edge=http://127.0.0.1:18090"});
    const auto hosts = docker_hosts(c);
    ASSERT_EQ(hosts.size(), 2u);
    EXPECT_EQ(hosts[0].name, "main");
    EXPECT_EQ(hosts[0].endpoint, "unix:///var/run/docker.sock");
    EXPECT_EQ(hosts[0].cadvisor_url, c.docker.cadvisor_url);
    EXPECT_EQ(hosts[0].containers, (std::vector<std::string>{"kafka", "redis"}));
    EXPECT_EQ(hosts[1].endpoint, "ssh://ops@edge.example");
    EXPECT_EQ(hosts[1].cadvisor_url, "http://127.0.0.1:18090");
    EXPECT_EQ(hosts[1].containers, std::vector<std::string>{"sim"});
    EXPECT_TRUE(several_docker_hosts(c));
}

TEST(DockerHosts, WrongEntriesAreOneErrorNamingTheKey) {
    EXPECT_THAT(error_of(with_hosts({"main"})),
                HasSubstr("docker.hosts[0] is \"main\", expected NAME=ENDPOINT"));
    EXPECT_THAT(error_of(with_hosts({"main=/var/run/docker.sock"})), HasSubstr("is not unix:///PATH"));
    EXPECT_THAT(error_of(with_hosts({"main=unix:///a", "main=unix:///b"})),
                HasSubstr("repeats the host name"));
    EXPECT_THAT(error_of(with_hosts({"a b=unix:///a"})), HasSubstr("docker.hosts[0]"));
    EXPECT_THAT(error_of(with_hosts({"main=unix:///a", "edge=unix:///b"}, {"far=http://x"})),
                HasSubstr("docker.host_cadvisor_urls[0] names \"far\""));
    EXPECT_THAT(error_of(with_hosts({"main=unix:///a"})), HasSubstr("containers[0].host is \"edge\""));
    Config none = with_hosts({});
    EXPECT_THAT(error_of(none), HasSubstr("containers[0].host is \"edge\", which is not in docker.hosts"));
}
