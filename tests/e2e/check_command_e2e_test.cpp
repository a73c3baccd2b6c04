// `perfrunner check` against the real stack: all well, a wrong API key, cAdvisor unreachable or stopped.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "e2e/check_support.hpp"

using namespace perfrunner::e2e_check;

namespace {

// Runs the real binary in the source folder (config/demo.json has relative paths); the stack's key goes in
// through the environment, never on the command line.
perfrunner::adapters::ProcessResult perfrunner_check(std::vector<std::string> extra, const std::string& key) {
    std::vector<std::string> argv{PERFRUNNER_BINARY, "check", "--config", "config/demo.json"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    perfrunner::adapters::ProcessOptions o;
    o.timeout_seconds = 120.0;
    o.working_directory = source_dir();
    if (!key.empty()) o.environment["PERFRUNNER_API_KEY"] = key;
    return perfrunner::adapters::run_process(argv, o);
}

bool disruptive_allowed() {
    const char* v = std::getenv("PERFRUNNER_E2E_DISRUPTIVE");
    return require_stack() || (v != nullptr && std::string(v) == "1");
}

bool wait_container_healthy(const std::string& name, double timeout) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout);
    while (std::chrono::steady_clock::now() < until) {
        const auto r =
            run({"docker", "inspect", "-f",
                 "{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}", name});
        if (r.ok() && r.out.rfind("healthy", 0) == 0) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    return false;
}

}  // namespace

TEST(CheckE2E, AllWellExitsZeroWithOneRowPerContainer) {
    PERFRUNNER_REQUIRE_REAL_STACK();
    const std::string key = stack_api_key();
    ASSERT_FALSE(key.empty());
    const auto text = perfrunner_check({}, key);
    std::printf("%s", text.out.c_str());
    EXPECT_EQ(text.exit_code, 0) << text.out << text.err;
    EXPECT_NE(text.out.find("All checks passed."), std::string::npos);
    EXPECT_EQ(text.out.find(key), std::string::npos) << "the API key must never be printed";

    const auto json_run = perfrunner_check({"--json"}, key);
    EXPECT_EQ(json_run.exit_code, 0) << json_run.err;
    const auto doc = nlohmann::json::parse(json_run.out);
    EXPECT_TRUE(doc.at("ok").get<bool>());
    EXPECT_TRUE(doc.at("problems").empty());
    std::set<std::string> cadvisor_rows;
    for (const auto& row : doc.at("checks")) {
        if (row.at("area") == "cadvisor") cadvisor_rows.insert(row.at("item").get<std::string>());
    }
    for (const char* name : {"rideshare-simulation", "rideshare-kafka", "rideshare-redis",
                             "rideshare-cadvisor", "rideshare-prometheus"}) {
        EXPECT_TRUE(cadvisor_rows.count(name)) << name;
    }
}

// The same check over the stack's Prometheus (metrics.source = prometheus): ready, both scrape targets up at
// 1 s (<= the 2-s sampling interval), and a row per configured container naming its host.
TEST(CheckE2E, PrometheusSourceChecksTargetsAndEveryContainerWithItsHost) {
    PERFRUNNER_REQUIRE_REAL_STACK();
    const auto r = perfrunner_check({"--json", "--set", "metrics.source=prometheus"}, stack_api_key());
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    const auto doc = nlohmann::json::parse(r.out);
    EXPECT_TRUE(doc.at("problems").empty()) << doc.at("problems").dump();
    std::set<std::string> prometheus_rows;
    bool cadvisor_area = false;
    for (const auto& row : doc.at("checks")) {
        if (row.at("area") == "prometheus" && row.at("status") == "ok") {
            prometheus_rows.insert(row.at("item").get<std::string>());
            if (row.at("item").get<std::string>().rfind("rideshare-", 0) == 0) {
                EXPECT_NE(row.at("detail").get<std::string>().find("host local"), std::string::npos)
                    << row.dump();
            }
        }
        cadvisor_area = cadvisor_area || row.at("area") == "cadvisor";
    }
    EXPECT_FALSE(cadvisor_area) << "the cAdvisor REST API is not the configured source";
    EXPECT_TRUE(prometheus_rows.count("GET /-/ready"));
    EXPECT_TRUE(prometheus_rows.count("cadvisor 127.0.0.1:18089"));
    for (const char* name : {"rideshare-simulation", "rideshare-kafka", "rideshare-redis",
                             "rideshare-cadvisor", "rideshare-prometheus"}) {
        EXPECT_TRUE(prometheus_rows.count(name)) << name;
    }
}

TEST(CheckE2E, PrometheusScrapingSlowerThanSamplingIsAProblem) {
    PERFRUNNER_REQUIRE_REAL_STACK();
    // Sampling every 0.5 s: the 1-s scrape interval would leave ticks without a new sample.
    const auto r = perfrunner_check(
        {"--set", "metrics.source=prometheus", "--set", "sampling.interval_seconds=0.5"}, stack_api_key());
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("more than sampling.interval_seconds"), std::string::npos) << r.out;
}

TEST(CheckE2E, UnreachablePrometheusExitsOneNamingIt) {
    PERFRUNNER_REQUIRE_REAL_STACK();
    const auto r = perfrunner_check(
        {"--set", "metrics.source=prometheus", "--set", "metrics.prometheus_url=http://127.0.0.1:9"},
        stack_api_key());
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("metrics.prometheus_url"), std::string::npos) << r.out;
}

TEST(CheckE2E, WrongApiKeyExitsOneNamingTheKeyWithoutPrintingIt) {
    PERFRUNNER_REQUIRE_REAL_STACK();
    const std::string wrong = "wrong-key-e2e-7f3a9c";
    const auto r = perfrunner_check({"--set", "api.api_key=" + wrong}, "");
    std::printf("%s", r.out.c_str());
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("the API key is rejected"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find(wrong), std::string::npos) << "the key must not be printed";
    EXPECT_EQ(r.err.find(wrong), std::string::npos) << "the key must not be printed";
    const std::string real = stack_api_key();
    if (!real.empty()) {
        EXPECT_EQ(r.out.find(real), std::string::npos);
    }
}

TEST(CheckE2E, UnreachableCadvisorExitsOneNamingCadvisor) {
    PERFRUNNER_REQUIRE_REAL_STACK();
    const auto r = perfrunner_check({"--set", "docker.cadvisor_url=http://127.0.0.1:9"}, stack_api_key());
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("cAdvisor: not reachable"), std::string::npos) << r.out;
}

// Stops the stack's real cAdvisor for a few seconds: only with PERFRUNNER_E2E_DISRUPTIVE=1 or
// PERFRUNNER_REQUIRE_STACK=1, because other tests may be sampling the shared stack.
TEST(CheckE2E, StoppedCadvisorExitsOneNamingCadvisor) {
    PERFRUNNER_REQUIRE_REAL_STACK();
    if (!disruptive_allowed()) {
        GTEST_SKIP()
            << "stops the shared cAdvisor: set PERFRUNNER_E2E_DISRUPTIVE=1 (or PERFRUNNER_REQUIRE_STACK=1)";
    }
    const std::string key = stack_api_key();
    const auto stopped = run({"docker", "stop", "-t", "1", "rideshare-cadvisor"});
    ASSERT_TRUE(stopped.ok()) << stopped.err;
    const auto r = perfrunner_check({}, key);
    const auto started = run({"docker", "start", "rideshare-cadvisor"});
    std::printf("%s", r.out.c_str());
    EXPECT_TRUE(started.ok()) << started.err;
    EXPECT_TRUE(wait_container_healthy("rideshare-cadvisor", 60.0)) << "cAdvisor did not come back";
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("cAdvisor: not reachable"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("container rideshare-cadvisor: exited (see `docker logs"), std::string::npos)
        << r.out;
}
