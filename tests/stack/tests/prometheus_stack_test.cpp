// The stack's Prometheus (monitoring profile): scrapes cAdvisor and the simulation's /metrics at <= the
// demo's sampling interval (2 s), names every stack container with its host, and agrees with cAdvisor's REST
// API and the simulation API on the same figures.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <map>

#include "stack_env.hpp"

using namespace stack;

namespace {

std::string form_escape(const std::string& s) {
    std::string out;
    for (const unsigned char c : s) {
        if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

// Instant query through the HTTP API; the "result" array (empty on any error, with a test failure).
json query(const std::string& promql) {
    const auto r = http("POST", prometheus_url() + "/api/v1/query",
                        {"Content-Type: application/x-www-form-urlencoded"}, "query=" + form_escape(promql));
    EXPECT_EQ(r.status, 200) << promql << ": " << r.body;
    const json body = r.json_body();
    if (!body.is_object() || body.value("status", "") != "success") {
        ADD_FAILURE() << promql << ": " << r.body;
        return json::array();
    }
    return body["data"]["result"];
}

double value_of(const json& sample) {
    return std::stod(sample["value"][1].get<std::string>());
}

double go_duration_seconds(const std::string& d) {  // "1s", "500ms", "2m" (what the targets API prints)
    if (d.size() > 2 && d.compare(d.size() - 2, 2, "ms") == 0) {
        return std::stod(d.substr(0, d.size() - 2)) / 1000.0;
    }
    const double n = std::stod(d.substr(0, d.size() - 1));
    return d.back() == 'm' ? n * 60 : d.back() == 'h' ? n * 3600 : n;
}

class PrometheusStack : public ::testing::Test {
  protected:
    void SetUp() override {
        STACK_REQUIRE_OR_SKIP(docker_available(), "docker engine not reachable");
        STACK_REQUIRE_OR_SKIP(stack_reachable(), "stack simulation not reachable at " + sim_url());
        if (!prometheus_reachable()) {
            if (require_stack() && std::getenv("PERFRUNNER_ALLOW_NO_PROMETHEUS") == nullptr) {
                FAIL() << "Prometheus not reachable at " << prometheus_url();
            }
            GTEST_SKIP() << "Prometheus not reachable at " << prometheus_url()
                         << " (no perfrunner/prometheus:local image: tests/stack/setup.sh installs Debian's "
                            "prometheus)";
        }
    }
};

}  // namespace

TEST_F(PrometheusStack, ScrapesCadvisorAndSimulationAtMostEverySamplingInterval) {
    const auto r = http("GET", prometheus_url() + "/api/v1/targets?state=active");
    ASSERT_EQ(r.status, 200) << r.body;
    const json body = r.json_body();
    std::map<std::string, json> by_job;
    for (const auto& t : body["data"]["activeTargets"]) {
        by_job[t["labels"]["job"].get<std::string>()] = t;
    }
    for (const char* job : {"cadvisor", "simulation"}) {
        SCOPED_TRACE(job);
        ASSERT_EQ(by_job.count(job), 1U) << r.body;
        const json& t = by_job[job];
        EXPECT_EQ(t["health"], "up") << t.dump();
        EXPECT_LE(go_duration_seconds(t["scrapeInterval"]), 2.0) << t.dump();
        EXPECT_EQ(t["labels"]["host"], "local");
    }
    EXPECT_EQ(by_job["cadvisor"]["scrapeUrl"], cadvisor_url() + "/metrics");
    EXPECT_EQ(by_job["simulation"]["scrapeUrl"], sim_url() + "/metrics");
}

TEST_F(PrometheusStack, EveryStackContainerHasSeriesAgreeingWithCadvisor) {
    const json series = query(R"(container_memory_working_set_bytes{name=~"rideshare-.*"})");
    std::map<std::string, double> working_set;
    for (const auto& s : series) {
        working_set[s["metric"]["name"].get<std::string>()] = value_of(s);
        EXPECT_EQ(s["metric"].value("host", ""), "local") << s.dump();
    }
    for (const char* name : {"rideshare-simulation", "rideshare-kafka", "rideshare-redis",
                             "rideshare-cadvisor", "rideshare-prometheus"}) {
        EXPECT_EQ(working_set.count(name), 1U) << name << " has no series";
    }
    // Prometheus holds what cAdvisor said at most one scrape ago: the simulation's working set barely moves
    // idle.
    const auto newest = cadvisor_newest("rideshare-simulation");
    ASSERT_TRUE(newest.has_value());
    EXPECT_NEAR(working_set["rideshare-simulation"], static_cast<double>(newest->working_set),
                0.05 * static_cast<double>(newest->working_set));
    const json limit = query(R"(container_spec_memory_limit_bytes{name="rideshare-simulation"})");
    ASSERT_EQ(limit.size(), 1U);
    EXPECT_EQ(value_of(limit[0]), 512.0 * 1048576.0);
    // the host: root cgroup of the cAdvisor
    EXPECT_EQ(query(R"(container_memory_working_set_bytes{id="/"})").size(), 1U);
}

TEST_F(PrometheusStack, SimulationMetricsFollowTheApi) {
    Api api = stack_api();
    ASSERT_EQ(api.post("/simulation/reset").status, 200);
    ASSERT_EQ(api.put("/simulation/speed", R"({"multiplier":10})").status, 200);
    ASSERT_EQ(api.post("/simulation/start").status, 200);
    ASSERT_TRUE(api.spawn_and_wait(10, 10, 30));
    sleep_s(4.0);  // trips start within a few wall seconds at speed 10; then two scrapes at most 2 s apart
    const json speed = query("simulation_speed_multiplier");
    const json trips = query("simulation_trips_active");
    const json status = api.status();
    const json events = query("sum(rate(simulation_events_total[4s]))");
    ASSERT_EQ(api.post("/simulation/reset").status, 200);
    ASSERT_EQ(api.put("/simulation/speed", R"({"multiplier":1})").status, 200);
    ASSERT_EQ(speed.size(), 1U);
    EXPECT_EQ(value_of(speed[0]), 10.0);
    ASSERT_EQ(trips.size(), 1U);
    EXPECT_NEAR(value_of(trips[0]), status["active_trips_count"].get<double>(), 4.0);
    ASSERT_EQ(events.size(), 1U);
    EXPECT_GT(value_of(events[0]), 5.0) << "10 drivers ping 2 times per wall second at speed 10";
    std::printf("[prometheus] trips %.0f (API %ld), events %.1f/s\n", value_of(trips[0]),
                status["active_trips_count"].get<long>(), value_of(events[0]));
}
