// Drift between the container catalogue and `compose config --format json`.
#include <gtest/gtest.h>

#include "perfrunner/check/compose_drift.hpp"

namespace ck = perfrunner::check;
using nlohmann::json;

namespace {

std::vector<ck::CheckRow> problems(const std::vector<ck::CheckRow>& rows) {
    std::vector<ck::CheckRow> out;
    for (const auto& r : rows) {
        if (r.status == "problem") {
            out.push_back(r);
        }
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
    const std::vector<ck::CatalogueEntry> catalogue{
        {"rideshare-simulation", 1.0}, {"rideshare-kafka", 0.5}, {"perfrunner-stack-osrm-1", 2.0}};
    const std::map<std::string, std::uint64_t> observed{{"rideshare-simulation", 536870912ULL},
                                                        {"rideshare-kafka", 134217728ULL}};
    EXPECT_TRUE(problems(ck::compose_drift(kConfig, catalogue, observed, "perfrunner-stack")).empty());
}

TEST(ComposeDrift, ReportsUnknownServicesMissingEntriesAndDifferentLimits) {
    const std::vector<ck::CatalogueEntry> catalogue{{"rideshare-simulation", 2.0},  // compose says 1 CPU
                                                    {"rideshare-kafka", 0.5},
                                                    {"rideshare-redis", 0.25}};  // no such service
    const std::map<std::string, std::uint64_t> observed{
        {"rideshare-simulation", 536870912ULL},
        {"rideshare-kafka", 9223372036854771712ULL}};  // not recreated
    const auto rows = problems(ck::compose_drift(kConfig, catalogue, observed, "perfrunner-stack"));
    ASSERT_EQ(rows.size(), 4u);
    std::string all;
    for (const auto& r : rows) {
        all += r.item + ": " + r.detail + "\n";
    }
    EXPECT_NE(all.find("rideshare-simulation: catalogue cpu_cores 2 but compose limits it to 1 CPUs"),
              std::string::npos)
        << all;
    EXPECT_NE(all.find("rideshare-kafka: compose sets memory 128 MB but the running container has no limit"),
              std::string::npos)
        << all;
    EXPECT_NE(all.find("perfrunner-stack-osrm-1: service osrm"), std::string::npos) << all;
    EXPECT_NE(
        all.find(
            "rideshare-redis: catalogue entry of an active profile that no active compose service provides"),
        std::string::npos)
        << all;
}

TEST(ComposeBytes, ReadsComposeSizesAndRejectsOthers) {
    EXPECT_EQ(ck::parse_compose_bytes(json(536870912)), 536870912ULL);
    EXPECT_EQ(ck::parse_compose_bytes(json("512m")), 536870912ULL);
    EXPECT_EQ(ck::parse_compose_bytes(json("1.5G")), 1610612736ULL);
    EXPECT_EQ(ck::parse_compose_bytes(json("64kb")), 65536ULL);
    EXPECT_FALSE(ck::parse_compose_bytes(json("12 parsecs")));
    EXPECT_FALSE(ck::parse_compose_bytes(json("")));
    EXPECT_FALSE(ck::parse_compose_bytes(json(nullptr)));
}
