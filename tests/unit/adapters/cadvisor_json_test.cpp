// Parsing of real cAdvisor responses (../shared/cadvisor-samples) and the reference-compatible figures.
#include <gtest/gtest.h>

#include <fstream>
#include <limits>
#include <sstream>

#include "perfrunner/adapters/cadvisor_json.hpp"

namespace cad = perfrunner::adapters::cadvisor;
using nlohmann::json;

namespace {

json load_sample(const std::string& file) {
    std::ifstream in(std::string(PERFRUNNER_SHARED_DIR) + "/cadvisor-samples/" + file);
    if (!in) {
        throw std::runtime_error("cannot open sample " + file);
    }
    return json::parse(in);
}

const cad::ContainerInfo* by_key(const std::vector<cad::ContainerInfo>& list, const std::string& key) {
    for (const auto& c : list) {
        if (c.key == key) {
            return &c;
        }
    }
    return nullptr;
}

}  // namespace

TEST(CadvisorTimestamp, ParsesZeroToNineFractionDigitsExactly) {
    EXPECT_EQ(cad::parse_timestamp_ns("1970-01-01T00:00:00Z"), 0);
    EXPECT_EQ(cad::parse_timestamp_ns("1970-01-01T00:00:01.5Z"), 1500000000);
    EXPECT_EQ(cad::parse_timestamp_ns("2016-06-17T16:06:04.78767617Z"), 1466179564787676170LL);
    EXPECT_EQ(cad::parse_timestamp_ns("2016-06-17T16:06:04.787676171Z"), 1466179564787676171LL);
    EXPECT_EQ(cad::parse_timestamp_ns("2016-06-17T16:06:04.787676171Z", true), 1466179564787676000LL);
    EXPECT_EQ(cad::parse_timestamp_ns("1969-12-31T23:59:59.9999999Z", true), -1000LL);  // floors before 1970
    EXPECT_EQ(cad::parse_timestamp_ns("2016-06-17t16:06:04z"),
              cad::parse_timestamp_ns("2016-06-17T16:06:04Z"));
}

TEST(CadvisorTimestamp, AppliesNumericOffsets) {
    // 16:23:54+02:00 is 14:23:54Z.
    EXPECT_EQ(cad::parse_timestamp_ns("2015-06-26T16:23:54.684954881+02:00"),
              cad::parse_timestamp_ns("2015-06-26T14:23:54.684954881Z"));
    EXPECT_EQ(cad::parse_timestamp_ns("2015-06-26T10:00:00-01:30"),
              cad::parse_timestamp_ns("2015-06-26T11:30:00Z"));
}

TEST(CadvisorTimestamp, RejectsMalformedInsteadOfGuessing) {
    EXPECT_FALSE(cad::parse_timestamp_ns(""));
    EXPECT_FALSE(cad::parse_timestamp_ns("2015-06-26T16:23:54"));  // no zone
    EXPECT_FALSE(cad::parse_timestamp_ns("2015-06-26T16:23:54.Z"));
    EXPECT_FALSE(cad::parse_timestamp_ns("2015-06-26T16:23:54.1234567891Z"));  // 10 digits
    EXPECT_FALSE(cad::parse_timestamp_ns("2015-13-26T16:23:54Z"));
    EXPECT_FALSE(cad::parse_timestamp_ns("2015-06-26T16:23:54Zjunk"));
    EXPECT_FALSE(cad::parse_timestamp_ns("2015-02-30T16:23:54Z"));  // no such day
}

TEST(CadvisorLimits, SentinelsMeanUnlimited) {
    EXPECT_TRUE(cad::memory_limit_is_unlimited(0));
    EXPECT_TRUE(cad::memory_limit_is_unlimited(9223372036854771712ULL));
    EXPECT_TRUE(cad::memory_limit_is_unlimited(9223372036854772000ULL));
    EXPECT_TRUE(cad::memory_limit_is_unlimited(18446744073709551615ULL));
    EXPECT_TRUE(cad::memory_limit_is_unlimited(std::uint64_t{1} << 62));
    EXPECT_FALSE(cad::memory_limit_is_unlimited((std::uint64_t{1} << 62) - 1));
    EXPECT_FALSE(cad::memory_limit_is_unlimited(134217728));
    // A real limit above 64 GiB stays real; a root cgroup's host-sized limit does not.
    EXPECT_FALSE(cad::memory_limit_is_unlimited(100ULL << 30, 256ULL << 30));
    EXPECT_TRUE(cad::memory_limit_is_unlimited(7864135680ULL, 7864135680ULL));
}

TEST(CadvisorLimits, FloatCorruptedSentinelFromRealSnippetParsesAsUnlimited) {
    const auto doc = load_sample("snippets/issue-1866_v2.1-stats_spec-only.json");
    const auto list = cad::parse_containers(doc);
    ASSERT_EQ(list.size(), 1u);
    ASSERT_TRUE(list[0].memory_limit);
    EXPECT_EQ(*list[0].memory_limit, 9223372036854772000ULL);
    EXPECT_TRUE(cad::memory_limit_is_unlimited(*list[0].memory_limit));
    EXPECT_EQ(list[0].cpu_mask, "0-15");
    EXPECT_EQ(list[0].id, "e75fc4a8077cff7c1060f92a32827be5dda25fc793f15566bedfa7a2c82a5bf2");
}

TEST(CadvisorJson, Uint64CountersAreNotRoundedThroughDouble) {
    const auto doc = json::parse(R"({"a": 18446744073709551615, "b": 9007199254740993, "c": -1, "d": "x"})");
    EXPECT_EQ(cad::json_uint(doc, "a"), std::numeric_limits<std::uint64_t>::max());
    EXPECT_EQ(cad::json_uint(doc, "b"), 9007199254740993ULL);  // 2^53 + 1
    EXPECT_FALSE(cad::json_uint(doc, "c"));
    EXPECT_FALSE(cad::json_uint(doc, "d"));
    EXPECT_FALSE(cad::json_uint(doc, "missing"));
}

TEST(CadvisorJson, CpusetCount) {
    EXPECT_EQ(cad::cpuset_count("0"), 1);
    EXPECT_EQ(cad::cpuset_count("0-1"), 2);
    EXPECT_EQ(cad::cpuset_count("0,2-3"), 3);
    EXPECT_EQ(cad::cpuset_count("0-15"), 16);
    EXPECT_EQ(cad::cpuset_count(""), 0);
    EXPECT_EQ(cad::cpuset_count("3-1"), 0);
    EXPECT_EQ(cad::cpuset_count("a"), 0);
}

TEST(CadvisorJson, ParsesListAndMapShapesAndMachineInfo) {
    const auto list = cad::parse_containers(load_sample("ddagent_subcontainers_v1_k8s1.2.json"));
    EXPECT_EQ(list.size(), 5u);
    const auto* root = by_key(list, "/");
    ASSERT_NE(root, nullptr);
    EXPECT_EQ(root->stats.size(), 9u);
    EXPECT_EQ(root->memory_limit, 7864135680ULL);
    ASSERT_TRUE(root->newest()->memory_rss);

    const auto map = cad::parse_containers(load_sample("DERIVED_docker_endpoint_map_from_k8s1.1.json"));
    EXPECT_EQ(map.size(), 16u);
    for (const auto& c : map) {
        EXPECT_EQ(c.ns, "docker");
        EXPECT_EQ(c.skipped_stats, 0);
        ASSERT_FALSE(c.stats.empty());
        EXPECT_FALSE(c.newest()->memory_rss) << "k8s1.1 has no rss: it must stay absent, not 0";
        EXPECT_TRUE(c.newest()->memory_working_set);
        for (std::size_t i = 1; i < c.stats.size(); ++i) {
            EXPECT_LT(c.stats[i - 1].timestamp_ns, c.stats[i].timestamp_ns);
        }
    }

    const auto machine = cad::parse_machine(load_sample("ddagent_machine_info_v1.json"));
    EXPECT_EQ(machine.num_cores, 2);
    EXPECT_EQ(machine.memory_capacity, 8391204864ULL);
    EXPECT_THROW(cad::parse_containers(json::parse("42")), std::invalid_argument);
}

// The reference framework's formulas reproduce expected_upstream_formula_values.json bit for bit.
TEST(CadvisorReference, ReproducesExpectedUpstreamValuesForEveryContainer) {
    const auto expected = load_sample("expected_upstream_formula_values.json").at("files");
    int checked = 0;
    for (const auto& [file, containers] : expected.items()) {
        const auto list = cad::parse_containers(load_sample(file));
        for (const auto& [key, want] : containers.items()) {
            SCOPED_TRACE(file + " " + key);
            const auto* c = by_key(list, key);
            ASSERT_NE(c, nullptr);
            EXPECT_EQ(c->stats.size(), want.at("n_stats").get<std::size_t>());
            const auto got = cad::reference_values(*c);
            EXPECT_EQ(got.memory_used_mb, want.at("memory_used_mb").get<double>());
            EXPECT_EQ(got.memory_limit_mb, want.at("memory_limit_mb").get<double>());
            EXPECT_EQ(got.memory_percent, want.at("memory_percent").get<double>());
            EXPECT_EQ(got.cpu_percent, want.at("cpu_percent").get<double>());
            ++checked;
        }
    }
    EXPECT_EQ(checked, 27);
}
