// DockerCli against the real engine and the real compose stack: containers via compose v2 and v1, the health
// wait naming a container that never turns healthy.
#include <gtest/gtest.h>

#include <algorithm>

#include "e2e/check_support.hpp"
#include "perfrunner/adapters/docker_cli.hpp"
#include "perfrunner/error.hpp"

namespace ad = perfrunner::adapters;
using namespace perfrunner::e2e_check;

namespace {

ad::DockerCliOptions stack_options() {
    ad::DockerCliOptions o;
    o.compose_file = compose_file();
    o.profiles = {"core", "monitoring"};
    o.command_timeout_seconds = 60.0;
    return o;
}

std::vector<std::string> names(const std::vector<ad::StackContainer>& containers) {
    std::vector<std::string> out;
    for (const auto& c : containers) out.push_back(c.name);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST(DockerCliE2E, StackContainersThroughComposeV2AndV1Agree) {
    PERFRUNNER_REQUIRE_REAL_STACK();
    ad::DockerCli v2(stack_options());
    EXPECT_TRUE(v2.compose_is_v2());
    EXPECT_NE(v2.compose_version().find("version"), std::string::npos);
    EXPECT_FALSE(v2.engine_version().empty());
    const auto via_v2 = v2.stack_containers();
    const std::vector<std::string> expected{"rideshare-cadvisor", "rideshare-kafka", "rideshare-prometheus",
                                            "rideshare-redis", "rideshare-simulation"};
    EXPECT_EQ(names(via_v2), expected);
    for (const auto& c : via_v2) {
        EXPECT_EQ(c.state, "running") << c.name;
        EXPECT_EQ(c.health, "healthy") << c.name;
        EXPECT_FALSE(c.service.empty()) << c.name;
    }
    if (!run({"docker-compose", "version"}).ok()) GTEST_SKIP() << "docker-compose v1 not installed";
    auto options = stack_options();
    options.compose_command = {"docker-compose"};
    ad::DockerCli v1(options);
    EXPECT_FALSE(v1.compose_is_v2());
    EXPECT_EQ(v1.project_name(), "perfrunner-stack");  // from tests/stack/.env
    EXPECT_EQ(names(v1.stack_containers()), expected);
    EXPECT_THROW(v1.compose_config(), perfrunner::RuntimeFailure);
    const auto config = v2.compose_config();
    EXPECT_TRUE(config.at("services").contains("simulation"));
}

TEST(DockerCliE2E, HealthWaitNamesTheContainerThatStaysUnhealthy) {
    PERFRUNNER_REQUIRE_REAL_STACK();
    ScopedContainer sick("pr-e2e-unhealthy");
    const auto started =
        run({"docker", "run", "-d", "--name", sick.name(), "--network", "host", "--init", "--health-cmd",
             "false", "--health-interval", "1s", "--health-retries", "1", kBusybox, "sleep", "600"});
    ASSERT_TRUE(started.ok()) << started.err;
    auto options = stack_options();
    options.expected_containers = {"rideshare-simulation", sick.name(), "pr-e2e-does-not-exist"};
    options.health_timeout_seconds = 4.0;
    ad::DockerCli docker(options);
    try {
        docker.wait_healthy();
        FAIL() << "expected a timeout";
    } catch (const perfrunner::RuntimeFailure& e) {
        const std::string what = e.what();
        std::printf("%s\n", what.c_str());
        EXPECT_NE(what.find("still unhealthy after 4 s"), std::string::npos) << what;
        EXPECT_NE(what.find(sick.name() + " ("), std::string::npos) << what;
        EXPECT_NE(what.find("pr-e2e-does-not-exist (missing)"), std::string::npos) << what;
        EXPECT_EQ(what.find("rideshare-simulation"), std::string::npos) << "healthy containers are not named";
    }
    options.expected_containers = {"rideshare-simulation", "rideshare-redis"};
    ad::DockerCli healthy(options);
    EXPECT_NO_THROW(healthy.wait_healthy());
}
