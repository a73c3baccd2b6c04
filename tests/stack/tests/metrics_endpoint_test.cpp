// The stand-in simulation's GET /metrics (Prometheus text format): open like the platform's endpoint, valid
// for Prometheus' own linter (promtool), and computed from the engine's real state. Own processes on
// 127.0.0.1:18032- 18034, no docker.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "stack_env.hpp"

using namespace stack;

namespace {

using Env = std::vector<std::pair<std::string, std::string>>;
const Env kLight = {{"SIM_MEM_PER_AGENT_KB", "0"}, {"SIM_BASE_MEM_MB", "0"}, {"SIM_CPU_PER_AGENT", "0"}};

// "name{labels}" -> value of every sample line of a text exposition.
std::map<std::string, double> parse_exposition(const std::string& text) {
    std::map<std::string, double> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        const auto space = line.rfind(' ');
        out[line.substr(0, space)] = std::stod(line.substr(space + 1));
    }
    return out;
}

std::map<std::string, double> scrape(const Api& api) {
    const auto r = http("GET", api.base + "/metrics");
    EXPECT_EQ(r.status, 200) << r.body;
    return parse_exposition(r.body);
}

double events(const std::map<std::string, double>& m) {
    double sum = 0;
    for (const auto& [key, value] : m) {
        if (key.rfind("simulation_events_total{", 0) == 0) {
            sum += value;
        }
    }
    return sum;
}

}  // namespace

TEST(MetricsEndpoint, IsOpenAndValidForPromtool) {
    LocalStandin p(18032, kLight);
    ASSERT_TRUE(p.ready());
    const auto r = http("GET", p.api().base + "/metrics");  // no X-API-Key
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    const auto m = parse_exposition(r.body);
    for (const char* name :
         {"simulation_events_total{event_type=\"trip\"}", "simulation_events_total{event_type=\"gps_ping\"}",
          "simulation_trips_active", "simulation_real_time_ratio", "simulation_speed_multiplier",
          "simulation_simpy_events", "simulation_state{state=\"stopped\"}"}) {
        EXPECT_EQ(m.count(name), 1U) << name << " missing in:\n" << r.body;
    }
    EXPECT_EQ(m.at("simulation_state{state=\"stopped\"}"), 1.0);
    EXPECT_EQ(m.at("simulation_trips_active"), 0.0);
    EXPECT_EQ(http("POST", p.api().base + "/metrics").status, 405);

    const auto promtool = sh("command -v promtool");
    if (promtool.rc != 0) {
        GTEST_SKIP() << "promtool not installed (tests/stack/setup.sh installs Debian's prometheus)";
    }
    char path[] = "/tmp/perfrunner-metrics-XXXXXX";
    const int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    close(fd);
    std::ofstream(path) << r.body;
    const auto lint = sh(std::string("promtool check metrics < ") + path + " 2>&1");
    std::remove(path);
    EXPECT_EQ(lint.rc, 0) << lint.out;
}

TEST(MetricsEndpoint, FollowsTheEngineState) {
    LocalStandin p(18033, kLight);
    ASSERT_TRUE(p.ready());
    Api api = p.api();
    ASSERT_EQ(api.put("/simulation/speed", R"({"multiplier":20})").status, 200);
    ASSERT_EQ(api.post("/simulation/start").status, 200);
    ASSERT_TRUE(api.spawn_and_wait(20, 20, 30));
    sleep_s(1.5);  // at speed 20 riders request and get trips within a few wall seconds
    const auto a = scrape(api);
    const json status = api.status();
    EXPECT_EQ(a.at("simulation_speed_multiplier"), 20.0);
    EXPECT_EQ(a.at("simulation_state{state=\"running\"}"), 1.0);
    EXPECT_EQ(a.at("simulation_agents_active{agent_type=\"driver\"}"), 20.0);
    EXPECT_EQ(a.at("simulation_agents_active{agent_type=\"rider\"}"), 20.0);
    EXPECT_GT(a.at("simulation_trips_active"), 0.0);
    EXPECT_NEAR(a.at("simulation_trips_active"), status["active_trips_count"].get<double>(), 5.0);
    EXPECT_NEAR(a.at("simulation_real_time_ratio"), 1.0, 0.2);
    sleep_s(1.0);
    const auto b = scrape(api);
    // 20 drivers ping 0.2 times per simulated second: ~80 pings in 1 wall second at speed 20
    const double pings = b.at("simulation_events_total{event_type=\"gps_ping\"}") -
                         a.at("simulation_events_total{event_type=\"gps_ping\"}");
    EXPECT_GT(pings, 40.0);
    EXPECT_LT(pings, 120.0);
    EXPECT_GT(events(b), events(a));

    // draining -> paused: no trips left; the counters survive a reset (a counter restarts only with the
    // process)
    ASSERT_EQ(api.post("/simulation/pause").status, 200);
    ASSERT_TRUE(api.wait_state("paused", 60));
    const auto c = scrape(api);
    EXPECT_EQ(c.at("simulation_trips_active"), 0.0);
    EXPECT_EQ(c.at("simulation_state{state=\"paused\"}"), 1.0);
    ASSERT_EQ(api.post("/simulation/reset").status, 200);
    const auto d = scrape(api);
    EXPECT_GE(events(d), events(c));
    EXPECT_EQ(d.at("simulation_agents_active{agent_type=\"driver\"}"), 0.0);
}

TEST(MetricsEndpoint, RealTimeRatioFallsWhenCpuIsShort) {
    LocalStandin p(18034, {{"SIM_MEM_PER_AGENT_KB", "0"},
                           {"SIM_BASE_MEM_MB", "0"},
                           {"SIM_CPU_PER_AGENT", "0.1"},
                           {"SIM_MAX_CORES", "0.25"}});
    ASSERT_TRUE(p.ready());
    Api api = p.api();
    ASSERT_EQ(api.put("/simulation/speed", R"({"multiplier":4})").status, 200);
    ASSERT_EQ(api.post("/simulation/start").status, 200);
    ASSERT_TRUE(api.spawn_and_wait(3, 2, 20));
    ASSERT_EQ(api.put("/simulation/speed", R"({"multiplier":1})").status, 200);
    sleep_s(2.0);  // demand 5 x 0.1 = 0.5 cores vs 0.25 available
    const auto m = scrape(api);
    EXPECT_LT(m.at("simulation_real_time_ratio"), 0.8);
    EXPECT_NEAR(m.at("simulation_cpu_demand_cores"), 0.5, 1e-9);
}
