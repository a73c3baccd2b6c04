// Behaviour of the stand-in that needs its own process (different knobs) but no docker: each test starts a
// perfrunner-standin-simulation process on its own 127.0.0.1 port and ends it by PID.
#include <algorithm>

#include <gtest/gtest.h>

#include "stack_env.hpp"

using namespace stack;

namespace {
using Env = std::vector<std::pair<std::string, std::string>>;
const Env kLight = {{"SIM_MEM_PER_AGENT_KB", "0"}, {"SIM_BASE_MEM_MB", "0"}, {"SIM_CPU_PER_AGENT", "0"}};

double sim_rate(const Api& api, double wall_s) {  // simulated seconds per wall second
    auto a = api.status();
    const double w0 = now_s();
    sleep_s(wall_s);
    auto b = api.status();
    const double w1 = now_s();
    return static_cast<double>(parse_rfc3339_ns(b["current_time"]) - parse_rfc3339_ns(a["current_time"])) /
           1e9 / (w1 - w0);
}
}  // namespace

TEST(Standalone, RateLimitsGive429WithRetryAfter) {
    Env env = kLight;
    env.emplace_back("SIM_RATE_LIMITS", "1");
    LocalStandin p(18021, env);
    ASSERT_TRUE(p.ready());
    Api api = p.api();
    for (int i = 0; i < 10; ++i) ASSERT_EQ(api.post("/simulation/reset").status, 200) << i;
    auto r = api.post("/simulation/reset");
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(r.json_body(), (json{{"error", "10 per 1 minute"}}));
    EXPECT_EQ(r.header("retry-after"), "60");
    // authentication is checked before the limiter
    EXPECT_EQ(api.call("POST", "/simulation/reset", "{}", {"X-API-Key: wrong"}).status, 401);
    EXPECT_EQ(api.call("POST", "/simulation/reset", "{}", {}).status, 422);
    // each endpoint has its own window; /auth/validate and /health are not limited
    EXPECT_EQ(api.post("/simulation/start").status, 200);
    for (int i = 0; i < 15; ++i) ASSERT_EQ(api.get("/auth/validate").status, 200);
    for (int i = 0; i < 15; ++i) ASSERT_EQ(api.get("/health", false).status, 200);
    for (int i = 0; i < 30; ++i)
        ASSERT_EQ(api.post("/agents/drivers?mode=immediate", R"({"count":1})").status, 200) << i;
    r = api.post("/agents/drivers?mode=immediate", R"({"count":1})");
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(r.json_body(), (json{{"error", "30 per 1 minute"}}));
    EXPECT_EQ(api.post("/agents/riders?mode=immediate", R"({"count":1})").status, 200);
    for (int i = 0; i < 60; ++i) ASSERT_EQ(api.get("/agents/spawn-status").status, 200) << i;
    EXPECT_EQ(api.get("/agents/spawn-status").json_body(), (json{{"error", "60 per 1 minute"}}));
    for (int i = 0; i < 100; ++i) ASSERT_EQ(api.get("/simulation/status").status, 200) << i;
    r = api.get("/simulation/status");
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(r.json_body(), (json{{"error", "100 per 1 minute"}}));
    EXPECT_EQ(r.header("retry-after"), "60");
}

TEST(Standalone, WithoutApiKeyEnvProtectedRoutesAre500) {
    LocalStandin p(18022, kLight, /*with_api_key=*/false);
    ASSERT_TRUE(p.ready());
    Api api = p.api();
    auto r = api.get("/simulation/status");
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.json_body(), (json{{"detail", "API_KEY not configured"}}));
    EXPECT_EQ(api.get("/simulation/status", false).status, 422);
    EXPECT_EQ(api.get("/health", false).status, 200);
}

TEST(Standalone, CapacityLimitsCountActiveAgents) {
    LocalStandin p(18023, kLight);
    ASSERT_TRUE(p.ready());
    Api api = p.api();
    ASSERT_EQ(api.put("/simulation/speed", R"({"multiplier":2000})").status, 200);  // 4000 agents/s per type
    ASSERT_EQ(api.post("/simulation/start").status, 200);
    ASSERT_TRUE(api.spawn_and_wait(2000, 10000, 30));
    auto s = api.status();
    ASSERT_EQ(s["drivers_total"], 2000);
    ASSERT_EQ(s["riders_total"], 10000);
    auto r = api.post("/agents/drivers?mode=immediate", R"({"count":1})");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.json_body(), (json{{"detail", "Driver capacity limit exceeded: 2000 + 1 > 2000"}}));
    r = api.post("/agents/riders?mode=immediate", R"({"count":5})");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.json_body(), (json{{"detail", "Rider capacity limit exceeded: 10000 + 5 > 10000"}}));
    // validation (422) comes before the capacity check
    EXPECT_EQ(api.post("/agents/drivers?mode=immediate", R"({"count":101})").status, 422);
}

TEST(Standalone, InvalidStartupSpeedIsRejected) {
    Env env = kLight;
    env.emplace_back("SIM_SPEED_MULTIPLIER", "2000");
    LocalStandin p(18024, env);
    EXPECT_FALSE(p.ready());
    Env ok = kLight;
    ok.emplace_back("SIM_SPEED_MULTIPLIER", "8");
    LocalStandin q(18025, ok);
    ASSERT_TRUE(q.ready());
    EXPECT_EQ(q.api().status()["speed_multiplier"], 8);
}

TEST(Standalone, MemoryAndCpuFollowAgentsAndAreReleasedOnReset) {
    LocalStandin p(18026, {{"SIM_MEM_PER_AGENT_KB", "2048"},
                           {"SIM_BASE_MEM_MB", "16"},
                           {"SIM_CPU_PER_AGENT", "0.005"},
                           {"SIM_MAX_CORES", "1"}});
    ASSERT_TRUE(p.ready());
    Api api = p.api();
    const long r0 = p.rss_kb();
    EXPECT_GT(r0, 16 * 1024);  // base memory is touched
    ASSERT_EQ(api.put("/simulation/speed", R"({"multiplier":50})").status, 200);
    ASSERT_EQ(api.post("/simulation/start").status, 200);
    ASSERT_TRUE(api.spawn_and_wait(50, 50, 30));  // CPU-bound spawning: the clock slows as agents grow
    ASSERT_EQ(api.put("/simulation/speed", R"({"multiplier":1})").status, 200);
    sleep_s(0.5);
    const long r1 = p.rss_kb();
    EXPECT_GT(r1 - r0, 180 * 1024) << r0 << " -> " << r1;  // 100 agents x 2 MB
    const double c0 = p.cpu_seconds();
    sleep_s(2.0);
    const double cores = (p.cpu_seconds() - c0) / 2.0;  // demand: 100 x 0.005 x speed 1 = 0.5 cores
    EXPECT_GT(cores, 0.2);  // less than 0.5 only when the host is saturated by other work
    EXPECT_LT(cores, 0.7);
    ASSERT_EQ(api.post("/simulation/reset").status, 200);
    sleep_s(0.3);
    const long r2 = p.rss_kb();
    EXPECT_LT(r2, r0 + 30 * 1024) << "reset must return the agents' memory to the OS: " << r0 << " -> " << r1
                                  << " -> " << r2;
    const double c1 = p.cpu_seconds();
    sleep_s(1.0);
    EXPECT_LT(p.cpu_seconds() - c1, 0.1);
}

TEST(Standalone, LeakGrowsWhileRunningAndIsKeptUntilReset) {
    LocalStandin p(
        18027, {{"SIM_MEM_PER_AGENT_KB", "0"}, {"SIM_BASE_MEM_MB", "0"}, {"SIM_LEAK_MB_PER_MIN", "1200"}});
    ASSERT_TRUE(p.ready());
    Api api = p.api();
    const long r0 = p.rss_kb();
    sleep_s(1.0);
    EXPECT_LT(p.rss_kb() - r0, 5 * 1024) << "no leak while stopped";
    ASSERT_EQ(api.post("/simulation/start").status, 200);
    sleep_s(3.0);  // 20 MB/s
    ASSERT_EQ(api.post("/simulation/stop").status, 200);
    const long r1 = p.rss_kb();
    EXPECT_GT(r1 - r0, 40 * 1024) << r0 << " -> " << r1;
    sleep_s(1.0);
    EXPECT_NEAR(p.rss_kb(), r1, 4 * 1024) << "kept (and not growing) after stop";
    ASSERT_EQ(api.post("/simulation/reset").status, 200);
    sleep_s(0.3);
    EXPECT_LT(p.rss_kb(), r0 + 8 * 1024);
}

TEST(Standalone, SimulatedClockFallsBehindWhenCpuDemandExceedsCores) {
    LocalStandin p(18028, {{"SIM_MEM_PER_AGENT_KB", "0"},
                           {"SIM_BASE_MEM_MB", "0"},
                           {"SIM_CPU_PER_AGENT", "0.1"},
                           {"SIM_MAX_CORES", "0.25"}});
    ASSERT_TRUE(p.ready());
    Api api = p.api();
    ASSERT_EQ(api.put("/simulation/speed", R"({"multiplier":4})").status, 200);
    ASSERT_EQ(api.post("/simulation/start").status, 200);
    const double idle_rate = sim_rate(api, 1.5) / 4.0;  // no agents: real-time ratio 1
    EXPECT_NEAR(idle_rate, 1.0, 0.15);
    ASSERT_TRUE(api.spawn_and_wait(3, 2, 20));
    ASSERT_EQ(api.put("/simulation/speed", R"({"multiplier":1})").status, 200);
    sleep_s(1.5);  // demand 5 agents x 0.1 x speed 1 = 0.5 cores vs 0.25 available -> ratio ~0.5
    const double slow_rate = sim_rate(api, 3.0);
    EXPECT_GT(slow_rate, 0.05);
    EXPECT_LT(slow_rate, 0.7);
    std::printf("[standalone] real-time ratio idle %.2f, at 2x the available CPU %.2f\n", idle_rate,
                slow_rate);
    auto perf = api.get("/metrics/performance").json_body();
    EXPECT_LT(perf["resources"]["real_time_ratio"].get<double>(), 0.8) << perf.dump();
}

TEST(Standalone, BindsLoopbackOnly) {
    LocalStandin p(18029, kLight);
    ASSERT_TRUE(p.ready());
    bool listening = false;
    EXPECT_TRUE(listening_only_on_loopback(18029, listening));
    EXPECT_TRUE(listening);
}

TEST(Standalone, SpeedExactly100DisablesPacing) {
    LocalStandin p(18030, kLight);
    ASSERT_TRUE(p.ready());
    Api api = p.api();
    ASSERT_EQ(api.put("/simulation/speed", R"({"multiplier":99})").status, 200);
    ASSERT_EQ(api.post("/simulation/start").status, 200);
    const double paced = sim_rate(api, 1.0);
    EXPECT_NEAR(paced, 99.0, 15.0);
    ASSERT_EQ(api.put("/simulation/speed", R"({"multiplier":100})").status, 200);
    const double unpaced = sim_rate(api, 1.0);
    EXPECT_GT(unpaced, 300.0) << "multiplier 100 runs as fast as possible";
}

// Issue 14: the stand-in's throughput saturates and then falls with load because of its own work loop: the
// dispatcher scores every driver against every rider under the engine lock (SIM_MATCH_WORK units per pair
// per simulated second), so past some load the engine cannot finish a simulated second per wall second and
// the events per wall second (/metrics/performance events.total_per_sec, the spec's shape) fall. Agents are
// spawned in scheduled mode (10 per simulated second): past the knee the simulated clock, and so the spawn
// queue, crawls. Where the knee lies depends on the machine's speed, so the load doubles until the engine is
// well past it (real-time ratio below 0.3), at most 6 levels.
TEST(Standalone, ThroughputRisesSaturatesAndFallsWithLoad) {
    LocalStandin p(18036, {{"SIM_MEM_PER_AGENT_KB", "0"},
                           {"SIM_BASE_MEM_MB", "0"},
                           {"SIM_CPU_PER_AGENT", "0"},
                           {"SIM_MATCH_WORK", "20000"},
                           {"SIM_TRIP_SCALE", "0.2"}});
    ASSERT_TRUE(p.ready());
    Api api = p.api();
    ASSERT_EQ(api.post("/simulation/start").status, 200);
    struct Point {
        int load = 0;
        double events_per_sec = 0.0;
        double real_time_ratio = 0.0;
    };
    std::vector<Point> curve;
    int live = 0;
    for (const int target : {4, 12, 30, 60, 120, 240}) {
        const std::string body = "{\"count\":" + std::to_string(target - live) + "}";
        ASSERT_EQ(api.post("/agents/drivers?mode=scheduled", body).status, 200);
        ASSERT_EQ(api.post("/agents/riders?mode=scheduled", body).status, 200);
        const double t0 = now_s();
        while (api.get("/agents/spawn-status").json_body() !=
               json{{"drivers_queued", 0}, {"riders_queued", 0}}) {
            ASSERT_LT(now_s() - t0, 200.0) << "spawning to " << target;
            sleep_s(0.5);
        }
        live = target;
        sleep_s(6.0);  // a full 5-s rate window at this load
        const auto perf = api.get("/metrics/performance").json_body();
        ASSERT_TRUE(perf["events"]["total_per_sec"].is_number()) << perf.dump();
        curve.push_back({target, perf["events"]["total_per_sec"].get<double>(),
                         perf["resources"]["real_time_ratio"].get<double>()});
        std::printf("[standalone] %d drivers + %d riders: %.1f events/s, real-time ratio %.3f\n", target,
                    target, curve.back().events_per_sec, curve.back().real_time_ratio);
        if (curve.size() >= 3 && curve.back().real_time_ratio < 0.3) {
            break;
        }
    }
    ASSERT_LT(curve.back().real_time_ratio, 0.3) << "240 drivers + riders did not overload the engine";
    double peak = 0.0;
    for (const auto& point : curve) {
        peak = std::max(peak, point.events_per_sec);
    }
    EXPECT_GT(peak, 1.5 * curve.front().events_per_sec);  // it rises while the engine keeps pace
    EXPECT_LT(curve.back().events_per_sec, 0.8 * peak);   // retrograde: more load, fewer events per second
}
