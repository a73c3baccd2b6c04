// Drift between the container catalogue and `compose config --format json`, and the report's rendering.
#include <gtest/gtest.h>

#include "perfrunner/adapters/preflight.hpp"

namespace ad = perfrunner::adapters;
using nlohmann::json;

namespace {

std::vector<ad::CheckRow> problems(const std::vector<ad::CheckRow>& rows) {
    std::vector<ad::CheckRow> out;
    for (const auto& r : rows) {
        if (r.status == "problem") out.push_back(r);
    }
    return out;
}

const json kConfig = json::parse(R"({
  "name": "perfrunner-stack",
  "services": {
    "simulation": {"container_name": "rideshare-simulation", "mem_limit": "536870912", "cpus": 1},
    "kafka": {"container_name": "rideshare-kafka", "mem_limit": "128m", "cpus": "0.5"},
    "osrm": {"deploy": {"resources": {"limits": {"cpus": "2", "memory": "1G"}}}}
  }
})");

}  // namespace

TEST(ComposeDrift, AgreeingCatalogueHasNoProblems) {
    const std::vector<ad::CatalogueEntry> catalogue{{"rideshare-simulation", 1.0}, {"rideshare-kafka", 0.5},
                                                    {"perfrunner-stack-osrm-1", 2.0}};
    const std::map<std::string, std::uint64_t> observed{{"rideshare-simulation", 536870912ULL},
                                                        {"rideshare-kafka", 134217728ULL}};
    EXPECT_TRUE(problems(ad::compose_drift(kConfig, catalogue, observed, "perfrunner-stack")).empty());
}

TEST(ComposeDrift, ReportsUnknownServicesMissingEntriesAndDifferentLimits) {
    const std::vector<ad::CatalogueEntry> catalogue{{"rideshare-simulation", 2.0},  // compose says 1 CPU
                                                    {"rideshare-kafka", 0.5},
                                                    {"rideshare-redis", 0.25}};  // no such service
    const std::map<std::string, std::uint64_t> observed{{"rideshare-simulation", 536870912ULL},
                                                        {"rideshare-kafka", 9223372036854771712ULL}};  // not recreated
    const auto rows = problems(ad::compose_drift(kConfig, catalogue, observed, "perfrunner-stack"));
    ASSERT_EQ(rows.size(), 4u);
    std::string all;
    for (const auto& r : rows) all += r.item + ": " + r.detail + "\n";
    EXPECT_NE(all.find("rideshare-simulation: catalogue cpu_cores 2 but compose limits it to 1 CPUs"), std::string::npos) << all;
    EXPECT_NE(all.find("rideshare-kafka: compose sets memory 128 MB but the running container has no limit"), std::string::npos) << all;
    EXPECT_NE(all.find("perfrunner-stack-osrm-1: service osrm"), std::string::npos) << all;
    EXPECT_NE(all.find("rideshare-redis: catalogue entry of an active profile that no active compose service provides"),
              std::string::npos)
        << all;
}

TEST(PreflightReport, TextAndJsonListEveryProblemOnItsOwnLine) {
    ad::PreflightReport report;
    report.rows.push_back({"simulation", "API key", "problem", "rejected: HTTP 401"});
    report.rows.push_back({"cadvisor", "GET /healthz", "ok", "answers 200"});
    report.problems = {"simulation API: the API key is rejected (HTTP 401)", "cAdvisor: something else"};
    EXPECT_FALSE(report.ok());
    const auto text = report.to_text();
    EXPECT_NE(text.find("2 problems:\nsimulation API: the API key is rejected (HTTP 401)\ncAdvisor: something else\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("PROBLEM"), std::string::npos);
    const auto j = report.to_json();
    EXPECT_FALSE(j.at("ok").get<bool>());
    EXPECT_EQ(j.at("problems").size(), 2u);
    EXPECT_EQ(j.at("checks").at(1).at("status"), "ok");
}
