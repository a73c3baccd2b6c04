// A second Docker engine on the same machine (tests/stack/dockerd2.sh): own socket, data root, exec root and
// containerd namespaces; the stack's cAdvisor service started on it (compose, CADVISOR_PORT 18189,
// CADVISOR_DOCKER_ENDPOINT its socket) names the containers of its own engine only, while the stack's
// cAdvisor on the default engine keeps naming its own. Both engines' containers sit under the same /docker
// cgroup parent.
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "stack_env.hpp"

using namespace stack;

namespace {

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) {
        s.pop_back();
    }
    return s;
}

// Container name (first alias) -> cgroup id, from a cAdvisor's /api/v1.3/docker/.
std::map<std::string, std::string> claims(const std::string& cadvisor) {
    std::map<std::string, std::string> out;
    const auto r = http("GET", cadvisor + "/api/v1.3/docker/", {}, std::nullopt, 10000);
    const json body = r.json_body();
    if (!body.is_object()) {
        return out;
    }
    for (const auto& [key, info] : body.items()) {
        const auto& aliases = info.value("aliases", json::array());
        if (!aliases.empty()) {
            out[aliases[0].get<std::string>()] = key;
        }
    }
    return out;
}

bool mounted_under(const std::string& prefix) {
    std::ifstream mounts("/proc/self/mounts");
    std::string device, point, rest;
    while (mounts >> device >> point && std::getline(mounts, rest)) {
        if (point.rfind(prefix, 0) == 0) {
            return true;
        }
    }
    return false;
}

}  // namespace

TEST(SecondEngine, EachCadvisorNamesOnlyItsOwnEnginesContainers) {
    STACK_REQUIRE_OR_SKIP(docker_available(), "docker engine not reachable");
    STACK_REQUIRE_OR_SKIP(cadvisor_reachable(), "the stack's cAdvisor not reachable at " + cadvisor_url());
    const std::string dir = STACK_DIR;
    const auto start = sh(dir + "/dockerd2.sh start edge");
    ASSERT_EQ(start.rc, 0) << start.out;
    struct StopEngine {
        std::string dir;
        ~StopEngine() { sh(dir + "/dockerd2.sh stop edge"); }
    } stop_engine{dir};
    const std::string socket = trim(sh(dir + "/dockerd2.sh socket edge").out);
    const std::string engine2 = "docker -H unix://" + socket;
    const auto load =
        sh("docker save perfrunner/cadvisor:local perfrunner/busybox:local | " + engine2 + " load -q");
    ASSERT_EQ(load.rc, 0) << load.out;
    // the stack's own cAdvisor service, on the second engine, on another port, naming that engine's
    // containers
    const auto up = sh("bash -c 'cd " + dir +
                       " && . ./lib.sh && STACK_PROJECT=perfrunner-stack-edge DOCKER_HOST=unix://" + socket +
                       " CADVISOR_PORT=18189 CADVISOR_DOCKER_ENDPOINT=unix://" + socket +
                       " compose --profile monitoring up -d cadvisor'");
    ASSERT_EQ(up.rc, 0) << up.out;
    const auto probe =
        sh(engine2 +
           " run -d --name edge-probe --label perfrunner.stack.test=1 --network host --memory 64m "
           "perfrunner/busybox:local sleep 120");
    ASSERT_EQ(probe.rc, 0) << probe.out;
    const std::string edge_cadvisor = "http://127.0.0.1:18189";
    std::map<std::string, std::string> edge;
    for (int i = 0; i < 60 && edge.count("edge-probe") == 0; ++i) {  // bounded: 30 s
        sleep_s(0.5);
        edge = claims(edge_cadvisor);
    }
    const auto local = claims(cadvisor_url());
    std::string listing;
    for (const auto& [name, id] : edge) {
        listing += "[engines] edge  " + name + " " + id + "\n";
    }
    for (const auto& [name, id] : local) {
        listing += "[engines] local " + name + " " + id + "\n";
    }
    std::printf("%s", listing.c_str());
    EXPECT_EQ(edge.size(), 2U) << listing;  // its own cAdvisor and the probe, nothing of the default engine
    EXPECT_EQ(edge.count("edge-probe"), 1U) << listing;
    EXPECT_EQ(edge.count("rideshare-cadvisor"), 1U) << listing;
    EXPECT_EQ(edge.count("rideshare-simulation"), 0U) << listing;
    EXPECT_EQ(local.count("edge-probe"), 0U) << listing;
    EXPECT_EQ(local.count("rideshare-simulation"), 1U) << listing;
    ASSERT_EQ(local.count("rideshare-cadvisor"), 1U) << listing;
    // the same container name on the two engines: two containers
    EXPECT_NE(local.at("rideshare-cadvisor"), edge["rideshare-cadvisor"]);

    const auto stopped = sh(dir + "/dockerd2.sh stop edge");
    EXPECT_EQ(stopped.rc, 0) << stopped.out;
    EXPECT_FALSE(mounted_under("/run/perfrunner-docker-edge/"));
    EXPECT_NE(sh("test -e /run/perfrunner-docker-edge").rc, 0);
    EXPECT_NE(sh("test -e /var/lib/perfrunner-docker-edge").rc, 0);
    EXPECT_TRUE(cadvisor_reachable()) << "the default engine's stack is untouched";
}
