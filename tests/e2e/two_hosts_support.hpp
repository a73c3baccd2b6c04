#pragma once
// The TwoHostsE2E fixture (issue 13): a second Docker engine on this machine ("edge",
// tests/stack/dockerd2.sh, own socket, data and exec roots) beside the default one ("main"), with the
// stand-in's images loaded into it and its own cAdvisor (the stack's cAdvisor service in its own compose
// project "perfrunner-stack-edge", on port 18189, naming the edge engine's containers). Each test splits the
// bundled stand-in across the two with docker.hosts + containers[].host: the simulation on edge, Kafka, Redis
// and the monitoring on main. The engine is stopped (every container on it removed) and the bundled stack
// brought back up on the default engine after each test, as the next test expects it.
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "run_e2e_support.hpp"

namespace perfrunner::e2e {

inline constexpr const char* kEdgeEngine = "hosts";  // dockerd2.sh's engine name (its own folders and socket)
inline constexpr const char* kEdgeCadvisor = "http://127.0.0.1:18189";
inline constexpr const char* kEdgeCadvisorAddress = "127.0.0.1:18189";
inline constexpr const char* kMainCadvisorAddress = "127.0.0.1:18089";

inline std::string stack_script(const std::string& name) {
    return (source_dir() / "tests/stack" / name).string();
}

// stdout of a short shell command (test setup only; perfrunner itself never goes through a shell).
inline std::string shell_out(const std::string& command) {
    std::string out;
    if (FILE* p = ::popen(command.c_str(), "r")) {
        char buf[512];
        while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
        ::pclose(p);
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

class TwoHostsE2E : public ::testing::Test {
  protected:
    void SetUp() override {
        PERFRUNNER_REQUIRE_STACK_OR_SKIP();
        started_ = run_quiet({"bash", stack_script("dockerd2.sh"), "start", kEdgeEngine}, 90.0) == 0;
        ASSERT_TRUE(started_) << "tests/stack/dockerd2.sh start " << kEdgeEngine;
        socket_ = shell_out("bash " + stack_script("dockerd2.sh") + " socket " + kEdgeEngine);
        // Images move without a registry.
        ASSERT_EQ(run_quiet({"sh", "-c",
                             "docker save perfrunner/standin-simulation:local perfrunner/cadvisor:local | " +
                                 edge_docker() + " load -q"},
                            180.0),
                  0);
        ASSERT_EQ(run_quiet({"bash", "-c",
                             "cd " + stack_script("") +
                                 " && . ./lib.sh && STACK_PROJECT=perfrunner-stack-edge DOCKER_HOST=" +
                                 edge_endpoint() + " CADVISOR_PORT=18189 CADVISOR_DOCKER_ENDPOINT=" +
                                 edge_endpoint() + " compose --profile monitoring up -d cadvisor"},
                            120.0),
                  0);
    }
    void TearDown() override {
        if (!started_) return;
        run_quiet({"bash", stack_script("dockerd2.sh"), "stop", kEdgeEngine}, 90.0);
        // The next test expects the bundled stack up on the default engine, as always (a test may have left
        // it split or reconfigured).
        run_quiet({"bash", stack_script("up.sh")}, 240.0);
    }

    std::string edge_endpoint() const { return "unix://" + socket_; }
    std::string edge_docker() const { return "docker -H " + edge_endpoint(); }

    // --set values: the two hosts and the stand-in split across them (the simulation on edge).
    std::vector<std::string> split_stack_sets(bool with_prometheus) const {
        std::string containers =
            "containers=[{\"name\":\"rideshare-simulation\",\"profile\":\"core\",\"cpu_cores\":1.0,\"host\":"
            "\"edge\"},"
            "{\"name\":\"rideshare-kafka\",\"profile\":\"core\",\"cpu_cores\":0.5,\"host\":\"main\"},"
            "{\"name\":\"rideshare-redis\",\"profile\":\"core\",\"cpu_cores\":0.25,\"host\":\"main\"},"
            "{\"name\":\"rideshare-cadvisor\",\"profile\":\"monitoring\",\"cpu_cores\":0.5,\"host\":"
            "\"main\"}";
        if (with_prometheus) {
            containers +=
                ",{\"name\":\"rideshare-prometheus\",\"profile\":\"monitoring\",\"cpu_cores\":0.5,\"host\":"
                "\"main\"}";
        }
        return {"docker.hosts=[\"main=unix:///var/run/docker.sock\",\"edge=" + edge_endpoint() + "\"]",
                std::string("docker.host_cadvisor_urls=[\"edge=") + kEdgeCadvisor + "\"]", containers + "]",
                "docker.profiles=[\"core\",\"monitoring\"]"};
    }

  private:
    bool started_ = false;
    std::string socket_;
};

// Every container sample's key and host against `expected` (key "name@host" -> host): the samples with
// figures per expected key, and every key or host that was not expected.
struct HostAttribution {
    std::map<std::string, std::size_t> with_figures;
    std::vector<std::string> unexpected;
};

inline HostAttribution attribute_hosts(const nlohmann::json& samples,
                                       const std::map<std::string, std::string>& expected) {
    HostAttribution out;
    for (const auto& sample : samples) {
        if (!sample.at("containers").is_object()) continue;
        for (const auto& [key, c] : sample.at("containers").items()) {
            const auto it = expected.find(key);
            if (it == expected.end() || c.value("host", "") != it->second) {
                out.unexpected.push_back(key + " host " + c.value("host", "(none)"));
            } else if (!c.value("missing", false)) {
                ++out.with_figures[key];
            }
        }
    }
    return out;
}

}  // namespace perfrunner::e2e
