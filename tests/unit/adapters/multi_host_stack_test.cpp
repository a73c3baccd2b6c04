// MultiHostStack on two fake `docker` engines (shell scripts, as in docker_cli_oom_watch_test): every call
// reaches its own host (DOCKER_HOST for docker and compose, -H for the event stream), each host starts only
// its services, and an OOM on the second host is reported once, naming that host. The real two-engine run is
// tests/e2e/run_two_hosts_e2e_test.cpp.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "perfrunner/adapters/left_running.hpp"
#include "perfrunner/adapters/multi_host_stack.hpp"

namespace ad = perfrunner::adapters;
namespace fs = std::filesystem;

namespace {

double epoch_now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

struct TwoFakeHosts : ::testing::Test {
    fs::path dir =
        fs::temp_directory_path() / ("perfrunner-two-hosts-" + std::to_string(::getpid()) + "-" +
                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());

    // A fake docker per host: logs "DOCKER_HOST argv" a line; `events` follows the host's events file;
    // `compose ps` prints the host's ps file (none: no container).
    fs::path fake(const std::string& host) {
        const fs::path d = dir / host;
        fs::create_directories(d);
        std::ofstream(d / "docker") << R"(#!/bin/sh
d=$(dirname "$0")
echo "$DOCKER_HOST $*" >> "$d/calls"
[ "$1" = "-H" ] && shift 2
case "$1" in
  compose) case "$*" in *version*) echo "Docker Compose version v2.26.1" ;; *" ps "*) cat "$d/ps" 2>/dev/null || echo "[]" ;; *) echo "[]" ;; esac ;;
  inspect) echo '[{"Name":"/sim","RestartCount":0,"State":{"Running":true,"OOMKilled":false,"ExitCode":0}}]' ;;
  events) exec tail -n +1 -f "$d/events" ;;
esac
)";
        fs::permissions(d / "docker", fs::perms::owner_all);
        std::ofstream(d / "events") << "";
        return d;
    }
    void SetUp() override { fs::remove_all(dir); }
    void TearDown() override { fs::remove_all(dir); }

    ad::MultiHostStack stack() {
        std::vector<ad::HostDocker> hosts;
        for (const char* host : {"main", "edge"}) {
            ad::DockerCliOptions o;
            o.docker = (fake(host) / "docker").string();
            o.docker_host = std::string("unix:///run/") + host + ".sock";
            o.compose_file = (dir / "compose.yml").string();
            o.project_name = "p";
            o.profiles = {"core", "monitoring"};
            o.expected_containers = {"sim"};
            o.services = {std::string("svc-") + host};
            o.command_timeout_seconds = 10;
            o.health_timeout_seconds = 5;
            hosts.push_back({host, std::make_unique<ad::DockerCli>(o)});
        }
        return ad::MultiHostStack(std::move(hosts));
    }
};

}  // namespace

TEST(ServicesOf, ContainerNamesAndComposeGeneratedNamesMapToServices) {
    const auto compose = nlohmann::json::parse(R"({"services":{
        "simulation":{"container_name":"rideshare-simulation"},
        "kafka":{"container_name":"rideshare-kafka"},
        "worker":{}}})");
    EXPECT_EQ(ad::services_of(compose, {"rideshare-kafka", "proj-worker-1", "absent"}, "proj"),
              (std::vector<std::string>{"kafka", "worker"}));
    EXPECT_TRUE(ad::services_of(nlohmann::json::object(), {"rideshare-kafka"}, "proj").empty());
}

TEST_F(TwoFakeHosts, EveryCallReachesItsHostAndEachHostStartsItsServices) {
    auto s = stack();
    s.clean_restart();
    const std::string main_calls = read(dir / "main" / "calls");
    const std::string edge_calls = read(dir / "edge" / "calls");
    EXPECT_NE(main_calls.find("unix:///run/main.sock compose"), std::string::npos) << main_calls;
    EXPECT_NE(main_calls.find("up -d --no-deps svc-main"), std::string::npos) << main_calls;
    EXPECT_NE(edge_calls.find("up -d --no-deps svc-edge"), std::string::npos) << edge_calls;
    EXPECT_EQ(main_calls.find("edge"), std::string::npos) << main_calls;
    EXPECT_EQ(edge_calls.find("main"), std::string::npos) << edge_calls;
}

TEST_F(TwoFakeHosts, AnOomOnTheSecondHostNamesThatHost) {
    auto s = stack();
    const double start = epoch_now() - 1;
    s.begin_oom_watch(start);
    const double at = epoch_now();
    std::ofstream(dir / "edge" / "events", std::ios::app) << fmt::format(
        R"({{"Type":"container","Action":"oom","Actor":{{"ID":"0123456789ab","Attributes":{{"name":"sim"}}}},"time":{},"timeNano":{}}})"
        "\n",
        static_cast<long long>(at), static_cast<long long>(at * 1e9));
    std::vector<perfrunner::model::OomEvent> got;
    for (int i = 0; i < 50 && got.empty(); ++i) {
        got = s.poll_oom(epoch_now());
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].container_name, "sim");
    EXPECT_EQ(got[0].host, "edge");
    EXPECT_TRUE(s.poll_oom(epoch_now()).empty()) << "reported once";
    EXPECT_NE(read(dir / "edge" / "calls").find(" -H unix:///run/edge.sock events"), std::string::npos)
        << "the event stream runs against its own host";
}

// The remove command is the teardown's own compose arguments, profiles included: without them `down` leaves a
// profile's services running.
TEST_F(TwoFakeHosts, WhatIsLeftRunningIsNamedOnEveryHostWithItsOwnRemoveCommand) {
    auto s = stack();
    std::ofstream(dir / "main" / "ps") << R"([{"Name":"kafka","State":"running"}])";
    std::ofstream(dir / "edge" / "ps")
        << R"([{"Name":"sim","State":"running"},{"Name":"old","State":"exited"},{"Name":"new","State":"created"}])";
    const auto left = ad::left_running(s);
    ASSERT_EQ(left.size(), 2u);
    EXPECT_EQ(left[0].host, "main");
    EXPECT_EQ(left[0].containers, "kafka (running)");
    EXPECT_EQ(left[1].host, "edge");
    EXPECT_EQ(left[1].containers, "sim (running), new (created)");
    const auto lines = ad::left_running_lines(left);
    ASSERT_EQ(lines.size(), 2u);
    const std::string edge_down = "DOCKER_HOST=unix:///run/edge.sock " + (dir / "edge" / "docker").string() +
                                  " compose -f " + (dir / "compose.yml").string() +
                                  " -p p --profile core --profile monitoring down -v";
    EXPECT_EQ(lines[1], "the stack is left running on edge: sim (running), new (created); remove it with `" +
                            edge_down + "`");
    EXPECT_NE(lines[0].find("on main: kafka (running); remove it with `DOCKER_HOST=unix:///run/main.sock "),
              std::string::npos)
        << lines[0];
}
