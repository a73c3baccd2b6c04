// CadvisorSampler: container matching, memory figures and between-polls CPU on real and edited responses.
#include <gtest/gtest.h>

#include <fstream>

#include "perfrunner/adapters/cadvisor_sampler.hpp"
#include "unit/adapters/fake_http_server.hpp"

namespace ad = perfrunner::adapters;
namespace cad = perfrunner::adapters::cadvisor;
using nlohmann::json;

namespace {

json load_sample(const std::string& file) {
    std::ifstream in(std::string(PERFRUNNER_SHARED_DIR) + "/cadvisor-samples/" + file);
    if (!in) throw std::runtime_error("cannot open sample " + file);
    return json::parse(in);
}

const std::string kDdAgentKey =
    "/system/docker/49e1dd511b42ea0c8e91f7a3600e48108af782da4e6f32f3288ba8f809e7b017";

// A copy of the docker map where every container keeps only its first `n` stats (an earlier poll).
json truncate_stats(json map, std::size_t n) {
    for (auto& [key, info] : map.items()) {
        auto& stats = info["stats"];
        if (stats.size() > n) stats.erase(stats.begin() + static_cast<std::ptrdiff_t>(n), stats.end());
    }
    return map;
}

json synthetic(const std::string& key, const std::string& alias, std::uint64_t total, const std::string& ts,
               json spec = json::object()) {
    json info = {
        {"name", key},
        {"id", key.substr(key.find_last_of('/') + 1)},
        {"aliases", json::array({alias, key.substr(key.find_last_of('/') + 1)})},
        {"namespace", "docker"},
        {"spec", spec},
        {"stats",
         json::array({{{"timestamp", ts},
                       {"cpu", {{"usage", {{"total", total}}}}},
                       {"memory", {{"usage", 3 << 20}, {"working_set", 2 << 20}, {"rss", 1 << 20}}}}})}};
    return json{{key, info}};
}

ad::CadvisorSamplerOptions options_for(std::vector<std::string> names) {
    ad::CadvisorSamplerOptions o;
    for (auto& n : names) o.containers.push_back({n, std::nullopt});
    return o;
}

const perfrunner::ports::ContainerReading* find(const perfrunner::ports::MetricsReading& r,
                                                const std::string& name) {
    for (const auto& c : r.containers) {
        if (c.name == name) return &c;
    }
    return nullptr;
}

}  // namespace

TEST(ContainerMatching, AliasLabelAndSuffixButNeverSubstring) {
    std::vector<cad::ContainerInfo> list;
    list.push_back(cad::parse_container(
        json{{"name", "/docker/aaa"}, {"aliases", {"rideshare-redis-superset", "aaa"}}}));
    list.push_back(cad::parse_container(
        json{{"name", "/docker/bbb"},
             {"aliases", json::array()},
             {"spec",
              {{"labels",
                {{"com.docker.compose.service", "kafka"}, {"com.docker.compose.project", "docker"}}}}}}));
    list.push_back(cad::parse_container(json{{"name", "/system.slice/worker"}}));
    list.push_back(cad::parse_container(json{
        {"name", "/docker/ccc"},
        {"spec",
         {{"labels", {{"com.docker.compose.service", "osrm"}, {"com.docker.compose.project", "rs"}}}}}}));

    EXPECT_FALSE(ad::match_container("rideshare-redis", list)) << "substring of another container's name";
    EXPECT_FALSE(ad::match_container("redis", list));
    auto m = ad::match_container("rideshare-redis-superset", list);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->index, 0u);
    EXPECT_EQ(m->how, "alias");
    m = ad::match_container("kafka", list);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->index, 1u);
    EXPECT_EQ(m->how, "label");
    EXPECT_FALSE(ad::match_container("kafka", list, "otherproject"))
        << "project label must match when configured";
    m = ad::match_container("rs-osrm-1", list);  // compose v2 generated name
    ASSERT_TRUE(m);
    EXPECT_EQ(m->index, 3u);
    m = ad::match_container("rs_osrm_1", list);  // compose v1
    ASSERT_TRUE(m);
    m = ad::match_container("worker", list);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->how, "name_suffix");
    EXPECT_FALSE(ad::match_container("orker", list));
}

TEST(EffectiveCores, OverrideQuotaCpusetDefault) {
    auto c = cad::parse_container(
        json{{"name", "/docker/x"},
             {"spec", {{"cpu", {{"quota", 150000}, {"period", 100000}, {"mask", "0-3"}}}}}});
    auto e = ad::effective_cores(c, std::nullopt);
    EXPECT_DOUBLE_EQ(e.cores, 1.5);
    EXPECT_EQ(e.source, "quota");
    e = ad::effective_cores(c, 1.0);
    EXPECT_DOUBLE_EQ(e.cores, 1.0);
    EXPECT_EQ(e.source, "override");
    c = cad::parse_container(
        json{{"name", "/docker/x"}, {"spec", {{"cpu", {{"limit", 1024}, {"mask", "0,2-3"}}}}}});
    e = ad::effective_cores(c, std::nullopt);
    EXPECT_DOUBLE_EQ(e.cores, 3.0) << "cpu.limit is shares, never cores";
    EXPECT_EQ(e.source, "cpuset");
    c = cad::parse_container(json{{"name", "/docker/x"}});
    e = ad::effective_cores(c, std::nullopt);
    EXPECT_DOUBLE_EQ(e.cores, 1.0);
    EXPECT_EQ(e.source, "default");
}

TEST(CadvisorSampler, RealDockerMapMemoryFiguresAndMissingContainers) {
    const auto doc = load_sample("DERIVED_docker_endpoint_map_from_k8s1.1.json");
    const auto list = cad::parse_containers(doc);
    ad::CadvisorSampler sampler(options_for(
        {"dd-agent",
         "k8s_etcd.2e44beff_kube-dns-v8-smhcb_kube-system_b80ffab3-3619-11e5-84ce-42010af01c62_e3e504ad",
         "rideshare-simulation"}));
    const auto reading = sampler.evaluate(list, std::nullopt);
    ASSERT_TRUE(reading.ok);
    ASSERT_EQ(reading.missing, std::vector<std::string>{"rideshare-simulation"});
    ASSERT_EQ(reading.containers.size(), 2u);

    const auto* agent = find(reading, "dd-agent");
    ASSERT_NE(agent, nullptr);
    const auto& raw = doc.at(kDdAgentKey).at("stats").back().at("memory");
    EXPECT_DOUBLE_EQ(agent->memory_used_mb, raw.at("working_set").get<double>() / 1048576.0);
    EXPECT_DOUBLE_EQ(*agent->memory_usage_mb, raw.at("usage").get<double>() / 1048576.0);
    EXPECT_FALSE(agent->memory_rss_mb) << "no rss in this file: absent, not 0";
    EXPECT_EQ(agent->memory_limit_mb, 0.0) << "uint64 max means unlimited";
    EXPECT_EQ(agent->memory_percent, 0.0);
    EXPECT_EQ(agent->cores_source, "cpuset");  // mask "0"
    EXPECT_DOUBLE_EQ(agent->cpu_cores_effective, 1.0);
    EXPECT_FALSE(agent->cpu_percent) << "first poll has no baseline";
    EXPECT_EQ(*agent->cadvisor_timestamp, "2015-10-28T20:27:05.397235782Z");

    const auto* etcd =
        reading.containers[1].name == "dd-agent" ? &reading.containers[0] : &reading.containers[1];
    EXPECT_DOUBLE_EQ(etcd->memory_limit_mb, 50.0);
    EXPECT_NEAR(etcd->memory_percent, 22.1, 0.05);  // expected_upstream_formula_values: 22.1
    EXPECT_DOUBLE_EQ(etcd->memory_percent, etcd->memory_used_mb / 50.0 * 100.0);
}

TEST(CadvisorSampler, CpuBetweenPollsUsesNewestStatsOfBothPolls) {
    const auto full = load_sample("DERIVED_docker_endpoint_map_from_k8s1.1.json");
    ad::CadvisorSampler sampler(options_for({"dd-agent"}));
    // Poll 1 sees the first 56 stats (newest = stats[55]); poll 2 sees all 60 (newest = stats[59]).
    sampler.evaluate(cad::parse_containers(truncate_stats(full, 56)), std::nullopt);
    const auto second = sampler.evaluate(cad::parse_containers(full), std::nullopt);
    ASSERT_EQ(second.containers.size(), 1u);
    const auto& c = second.containers[0];
    ASSERT_TRUE(c.cpu_percent);
    // stats[55]: 2015-10-28T20:27:01.397495557Z total 2836262841111
    // stats[59]: 2015-10-28T20:27:05.397235782Z total 2836461579950
    const double expected = 100.0 * (2836461579950.0 - 2836262841111.0) / 3999740225.0;
    EXPECT_DOUBLE_EQ(*c.cpu_percent, expected);
    EXPECT_FALSE(c.stale);
    EXPECT_FALSE(c.counter_reset);
}

TEST(CadvisorSampler, NotClampedAt100AndExactNanoseconds) {
    ad::CadvisorSampler sampler(options_for({"kafka"}));
    const std::string key = "/docker/k1";
    sampler.evaluate(cad::parse_containers(synthetic(key, "kafka", 1000000000ULL, "2026-01-01T00:00:00Z")),
                     std::nullopt);
    // 3 s of CPU in 2 s of wall time = 150 % of one core.
    const auto r =
        sampler.evaluate(cad::parse_containers(synthetic(key, "kafka", 4000000000ULL, "2026-01-01T00:00:02Z",
                                                         {{"cpu", {{"quota", 150000}, {"period", 100000}}}})),
                         std::nullopt);
    ASSERT_TRUE(r.containers[0].cpu_percent);
    EXPECT_DOUBLE_EQ(*r.containers[0].cpu_percent, 150.0);
    EXPECT_DOUBLE_EQ(r.containers[0].cpu_cores_effective, 1.5);
    EXPECT_EQ(r.containers[0].cores_source, "quota");
    EXPECT_DOUBLE_EQ(r.containers[0].memory_used_mb, 2.0);
    EXPECT_DOUBLE_EQ(*r.containers[0].memory_rss_mb, 1.0);
    EXPECT_DOUBLE_EQ(*r.containers[0].memory_usage_mb, 3.0);
}

TEST(CadvisorSampler, CounterResetStaleAndIdChangeAreFlaggedNotTurnedIntoNumbers) {
    ad::CadvisorSampler sampler(options_for({"sim"}));
    auto poll = [&](const std::string& key, std::uint64_t total, const std::string& ts) {
        return sampler.evaluate(cad::parse_containers(synthetic(key, "sim", total, ts)), std::nullopt)
            .containers.at(0);
    };
    EXPECT_FALSE(poll("/docker/a", 10'000'000'000ULL, "2026-01-01T00:00:00Z").cpu_percent);
    // Same newest stat again: stale, baseline kept.
    auto r = poll("/docker/a", 10'000'000'000ULL, "2026-01-01T00:00:00Z");
    EXPECT_TRUE(r.stale);
    EXPECT_FALSE(r.cpu_percent);
    // Time went backwards: stale too.
    r = poll("/docker/a", 10'500'000'000ULL, "2025-12-31T23:59:59Z");
    EXPECT_TRUE(r.stale);
    EXPECT_FALSE(r.cpu_percent);
    // The next newer stat is measured against the kept baseline (t=0): 1 s CPU over 4 s.
    r = poll("/docker/a", 11'000'000'000ULL, "2026-01-01T00:00:04Z");
    ASSERT_TRUE(r.cpu_percent);
    EXPECT_DOUBLE_EQ(*r.cpu_percent, 25.0);
    // Restart: counter decreased.
    r = poll("/docker/a", 5'000'000ULL, "2026-01-01T00:00:06Z");
    EXPECT_TRUE(r.counter_reset);
    EXPECT_FALSE(r.cpu_percent);
    r = poll("/docker/a", 505'000'000ULL, "2026-01-01T00:00:07Z");
    ASSERT_TRUE(r.cpu_percent);
    EXPECT_DOUBLE_EQ(*r.cpu_percent, 50.0);
    // Recreated container: new id, higher counter — still a reset, never a huge value.
    r = poll("/docker/b", 900'000'000'000ULL, "2026-01-01T00:00:08Z");
    EXPECT_TRUE(r.counter_reset);
    EXPECT_FALSE(r.cpu_percent);
    // reset_baselines() forgets everything.
    sampler.reset_baselines();
    EXPECT_FALSE(poll("/docker/b", 901'000'000'000ULL, "2026-01-01T00:00:09Z").cpu_percent);
}

TEST(CadvisorSampler, ContainerWithoutStatsIsMissingNotZero) {
    ad::CadvisorSampler sampler(options_for({"young"}));
    const auto doc =
        json{{"/docker/y", {{"name", "/docker/y"}, {"aliases", {"young", "y"}}, {"stats", json::array()}}}};
    const auto r = sampler.evaluate(cad::parse_containers(doc), std::nullopt);
    EXPECT_TRUE(r.containers.empty());
    EXPECT_EQ(r.missing, std::vector<std::string>{"young"});
}

TEST(CadvisorSampler, HostFiguresFromRootContainerAndMachineInfo) {
    const auto list = cad::parse_containers(load_sample("ddagent_subcontainers_v1_k8s1.2.json"));
    const auto machine = cad::parse_machine(load_sample("ddagent_machine_info_v1.json"));
    cad::ContainerInfo root;
    for (const auto& c : list) {
        if (c.key == "/") root = c;
    }
    ASSERT_EQ(root.stats.size(), 9u);
    cad::ContainerInfo earlier = root;
    earlier.stats.resize(5);
    ad::CadvisorSampler sampler(options_for({}));
    sampler.set_machine(machine);
    auto first = sampler.evaluate({}, earlier);
    ASSERT_TRUE(first.host);
    EXPECT_FALSE(first.host->cpu_percent);
    const auto second = sampler.evaluate({}, root);
    ASSERT_TRUE(second.host);
    const auto& a = root.stats[4];
    const auto& b = root.stats[8];
    const double expected = 100.0 * static_cast<double>(*b.cpu_total_ns - *a.cpu_total_ns) /
                            static_cast<double>(b.timestamp_ns - a.timestamp_ns);
    ASSERT_TRUE(second.host->cpu_percent);
    EXPECT_DOUBLE_EQ(*second.host->cpu_percent, expected);
    EXPECT_DOUBLE_EQ(*second.host->cpu_percent_of_host, expected / 2.0);
    EXPECT_EQ(second.host->num_cores, 2);
    EXPECT_DOUBLE_EQ(*second.host->memory_total_mb, 8391204864.0 / 1048576.0);
    EXPECT_DOUBLE_EQ(*second.host->memory_used_mb, static_cast<double>(*b.memory_working_set) / 1048576.0);
}

// poll() against an in-process fake cAdvisor: one request per tick for all containers, num_stats body,
// root container and machine info.
TEST(CadvisorSamplerHttp, PollsFakeCadvisorAndReportsGarbageAsAFailedPoll) {
    perfrunner::testing::FakeHttpServer fake;
    std::atomic<int> docker_requests{0};
    std::atomic<int> machine_requests{0};
    std::string last_body;
    std::mutex body_mutex;
    std::atomic<bool> garbage{false};
    std::atomic<std::uint64_t> total{1'000'000'000ULL};
    std::atomic<int> second{0};
    fake.server().Get("/api/v1.3/docker/", [&](const httplib::Request& req, httplib::Response& res) {
        ++docker_requests;
        {
            std::lock_guard<std::mutex> lock(body_mutex);
            last_body = req.get_header_value("Content-Length");  // httplib does not read GET bodies
        }
        if (garbage) {
            res.set_content("<html>not json", "text/html");
            return;
        }
        const std::string ts = "2026-01-01T00:00:0" + std::to_string(second.load()) + "Z";
        res.set_content(synthetic("/docker/s1", "sim", total.load(), ts).dump(), "application/json");
    });
    fake.server().Get("/api/v1.3/containers/", [&](const httplib::Request&, httplib::Response& res) {
        const std::string ts = "2026-01-01T00:00:0" + std::to_string(second.load()) + "Z";
        auto root = synthetic("/", "", total.load() * 2, ts).at("/");
        root["name"] = "/";
        res.set_content(root.dump(), "application/json");
    });
    fake.server().Get("/api/v1.3/machine", [&](const httplib::Request&, httplib::Response& res) {
        ++machine_requests;
        res.set_content(R"({"num_cores": 4, "memory_capacity": 1073741824})", "application/json");
    });
    fake.start();

    auto options = options_for({"sim", "ghost"});
    options.base_url = fake.url();
    ad::CadvisorSampler sampler(options);
    auto r1 = sampler.poll();
    ASSERT_TRUE(r1.ok) << r1.error;
    EXPECT_EQ(r1.missing, std::vector<std::string>{"ghost"});
    total = 2'000'000'000ULL;
    second = 2;
    auto r2 = sampler.poll();
    ASSERT_TRUE(r2.ok) << r2.error;
    ASSERT_EQ(r2.containers.size(), 1u);
    EXPECT_DOUBLE_EQ(*r2.containers[0].cpu_percent, 50.0);
    ASSERT_TRUE(r2.host);
    EXPECT_DOUBLE_EQ(*r2.host->cpu_percent, 100.0);
    EXPECT_DOUBLE_EQ(*r2.host->cpu_percent_of_host, 25.0);
    EXPECT_EQ(docker_requests.load(), 2);
    EXPECT_EQ(machine_requests.load(), 1) << "machine info is read once";
    {
        std::lock_guard<std::mutex> lock(body_mutex);
        EXPECT_EQ(last_body, std::to_string(std::string(R"({"num_stats":2})").size()));
    }

    garbage = true;
    const auto r3 = sampler.poll();
    EXPECT_FALSE(r3.ok);
    EXPECT_NE(r3.error.find("not valid JSON"), std::string::npos) << r3.error;
    EXPECT_NE(r3.error.find(fake.url()), std::string::npos) << r3.error;

    fake.stop();
    const auto r4 = sampler.poll();
    EXPECT_FALSE(r4.ok);
    EXPECT_NE(r4.error.find("connection refused"), std::string::npos) << r4.error;
}
