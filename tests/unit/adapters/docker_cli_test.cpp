// DockerCli's own errors without an engine (the real engine is covered in tests/e2e).
#include <gtest/gtest.h>

#include "perfrunner/adapters/docker_cli.hpp"
#include "perfrunner/error.hpp"

namespace ad = perfrunner::adapters;

TEST(DockerCli, MissingComposeIsAClearError) {
    ad::DockerCliOptions o;
    o.docker = "perfrunner-no-such-docker";
    o.compose_command = {"perfrunner-no-such-compose"};
    ad::DockerCli cli(o);
    try {
        cli.compose_command();
        FAIL();
    } catch (const perfrunner::RuntimeFailure& e) {
        EXPECT_NE(std::string(e.what()).find("docker.compose_command"), std::string::npos) << e.what();
    }
}
