// SimulationClient against an in-process fake of the simulation API (virtual clock for pacing and waits).
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "perfrunner/adapters/simulation_client.hpp"
#include "unit/adapters/fake_http_server.hpp"

namespace ad = perfrunner::adapters;
using nlohmann::json;
using perfrunner::testing::FakeHttpServer;

namespace {

const std::string kKey = "unit-test-key-123";

struct VirtualTime {
    std::mutex m;
    double t = 1000.0;
    double now() {
        std::lock_guard<std::mutex> lock(m);
        return t;
    }
    void sleep(double s) {
        std::lock_guard<std::mutex> lock(m);
        t += s;
    }
};

ad::SimulationClientOptions options(const FakeHttpServer& fake, VirtualTime& vt, std::string key = kKey) {
    ad::SimulationClientOptions o;
    o.base_url = fake.url();
    o.api_key = std::move(key);
    o.timeout_seconds = 2.0;
    o.connect_timeout_seconds = 1.0;
    o.now = [&vt] { return vt.now(); };
    o.sleep = [&vt](double s) { vt.sleep(s); };
    return o;
}

json status_body(const std::string& state) {
    return {{"state", state},
            {"speed_multiplier", 1},
            {"current_time", "2026-02-12T19:23:33.123456+00:00"},
            {"drivers_total", 50},
            {"riders_total", 40},
            {"active_trips_count", 20},
            {"uptime_seconds", 312.4},
            {"drivers_online", 30}};
}

}  // namespace

TEST(SimulationClient, SpawnSplitsIntoRequestsWithinLimits) {
    FakeHttpServer fake;
    std::mutex m;
    std::vector<std::pair<std::string, long>> requests;
    auto handler = [&](const std::string& kind) {
        return [&, kind](const httplib::Request& req, httplib::Response& res) {
            EXPECT_EQ(req.get_param_value("mode"), "immediate");
            EXPECT_EQ(req.get_header_value("X-API-Key"), kKey);
            const long count = json::parse(req.body).at("count").get<long>();
            {
                std::lock_guard<std::mutex> lock(m);
                requests.emplace_back(kind, count);
            }
            res.set_content(json{{"queued", count},
                                 {"spawn_rate", 2.0},
                                 {"estimated_completion_seconds", static_cast<double>(count) / 2.0}}
                                .dump(),
                            "application/json");
        };
    };
    fake.server().Post("/agents/drivers", handler("drivers"));
    fake.server().Post("/agents/riders", handler("riders"));
    fake.start();
    VirtualTime vt;
    ad::SimulationClient client(options(fake, vt));
    EXPECT_EQ(client.spawn_drivers(250), 250);
    EXPECT_EQ(client.spawn_riders(4500), 4500);
    EXPECT_EQ(client.spawn_drivers(0), 0);
    const std::vector<std::pair<std::string, long>> expected{{"drivers", 100}, {"drivers", 100},
                                                             {"drivers", 50},  {"riders", 2000},
                                                             {"riders", 2000}, {"riders", 500}};
    EXPECT_EQ(requests, expected);
}

TEST(SimulationClient, StatusParsedCaseInsensitivelyWithFloatSpeedAndLatency) {
    FakeHttpServer fake;
    std::atomic<int> variant{0};
    fake.server().Get("/simulation/status", [&](const httplib::Request&, httplib::Response& res) {
        auto body = status_body("RUNNING");
        if (variant == 1) body["speed_multiplier"] = 2.5;
        if (variant == 2) body.erase("active_trips_count");
        if (variant == 3) {
            res.set_content("<html>oops</html>", "text/html");
            return;
        }
        res.set_content(body.dump(), "application/json");
    });
    fake.start();
    VirtualTime vt;
    ad::SimulationClient client(options(fake, vt));
    auto s = client.status();
    EXPECT_EQ(s.state, "running");
    EXPECT_EQ(s.speed_multiplier, 1.0);
    EXPECT_EQ(s.drivers_total, 50);
    EXPECT_EQ(s.riders_total, 40);
    EXPECT_EQ(s.active_trips_count, 20);
    EXPECT_DOUBLE_EQ(s.uptime_seconds, 312.4);
    EXPECT_EQ(s.current_time, "2026-02-12T19:23:33.123456+00:00");
    EXPECT_GT(s.latency_ms, 0.0);
    variant = 1;
    EXPECT_DOUBLE_EQ(client.status().speed_multiplier, 2.5);
    variant = 2;
    try {
        client.status();
        FAIL();
    } catch (const perfrunner::RuntimeFailure& e) {
        EXPECT_NE(std::string(e.what()).find("'active_trips_count'"), std::string::npos) << e.what();
    }
    variant = 3;
    try {
        client.status();
        FAIL();
    } catch (const perfrunner::RuntimeFailure& e) {
        EXPECT_NE(std::string(e.what()).find("not JSON"), std::string::npos) << e.what();
    }
}

TEST(SimulationClient, WaitForSpawnPollsQueuedCountsAtMostOncePerSecond) {
    FakeHttpServer fake;
    std::atomic<long> queued{5};
    std::atomic<int> polls{0};
    fake.server().Get("/agents/spawn-status", [&](const httplib::Request&, httplib::Response& res) {
        ++polls;
        const long q = queued.load();
        res.set_content(json{{"drivers_queued", q}, {"riders_queued", q > 0 ? q - 1 : 0}}.dump(),
                        "application/json");
        if (q > 0) queued = q - 1;
    });
    fake.start();
    VirtualTime vt;
    ad::SimulationClient client(options(fake, vt));
    const double t0 = vt.now();
    auto r = client.wait_for_spawn(60.0);
    EXPECT_TRUE(r.drained);
    EXPECT_EQ(polls.load(), 6);
    EXPECT_EQ(r.last.drivers_queued, 0);
    EXPECT_GE(vt.now() - t0, 5.0) << "6 polls need at least 5 s at 1 poll/s";

    queued = 1000000;  // never drains: the timeout ends the wait
    polls = 0;
    const double t1 = vt.now();
    r = client.wait_for_spawn(10.0);
    EXPECT_FALSE(r.drained);
    EXPECT_GT(r.last.drivers_queued, 0);
    EXPECT_NEAR(vt.now() - t1, 10.0, 1e-6);
    EXPECT_LE(polls.load(), 11);
}

TEST(SimulationClient, MissingQueuedFieldIsAnErrorNotAnInstantSuccess) {
    // The reference read drivers_pending (never sent) and returned "done" at once.
    FakeHttpServer fake;
    fake.server().Get("/agents/spawn-status", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"drivers_pending": 0, "riders_pending": 0})", "application/json");
    });
    fake.start();
    VirtualTime vt;
    ad::SimulationClient client(options(fake, vt));
    EXPECT_THROW(client.wait_for_spawn(10.0), perfrunner::RuntimeFailure);
}

TEST(SimulationClient, PacingKeepsEveryGroupUnderItsLimitSoTheServerNeverAnswers429) {
    FakeHttpServer fake;
    VirtualTime vt;
    std::mutex m;
    std::vector<double> seen;  // virtual arrival times of driver requests
    std::atomic<int> rejected{0};
    fake.server().Post("/agents/drivers", [&](const httplib::Request&, httplib::Response& res) {
        std::lock_guard<std::mutex> lock(m);
        const double t = vt.t;  // the handler runs while the client waits for the answer
        int in_window = 0;
        for (double s : seen) in_window += (s > t - 60.0) ? 1 : 0;
        if (in_window >= 30) {  // the server's 30/min moving window
            ++rejected;
            res.status = 429;
            res.set_header("retry-after", "60");
            res.set_content(R"({"error":"30 per 1 minute"})", "application/json");
            return;
        }
        seen.push_back(t);
        res.set_content(R"({"queued": 10, "spawn_rate": 2.0, "estimated_completion_seconds": 5.0})",
                        "application/json");
    });
    fake.start();
    ad::SimulationClient client(options(fake, vt));
    const double t0 = vt.now();
    for (int i = 0; i < 70; ++i) EXPECT_EQ(client.spawn_drivers(10), 10);
    EXPECT_EQ(rejected.load(), 0);
    EXPECT_GE(vt.now() - t0, 120.0) << "70 requests at 30/min need two full windows";
}

TEST(SimulationClient, StopAnswering500WhilePausedIsTheKnownQuirk) {
    FakeHttpServer fake;
    std::string state = "paused";
    std::mutex m;
    fake.server().Post("/simulation/stop", [](const httplib::Request&, httplib::Response& res) {
        res.status = 500;
        res.set_content("Internal Server Error", "text/plain");
    });
    fake.server().Get("/simulation/status", [&](const httplib::Request&, httplib::Response& res) {
        std::lock_guard<std::mutex> lock(m);
        res.set_content(status_body(state).dump(), "application/json");
    });
    fake.start();
    VirtualTime vt;
    ad::SimulationClient client(options(fake, vt));
    try {
        client.stop();
        FAIL();
    } catch (const ad::StopQuirk& e) {
        EXPECT_EQ(e.state(), "paused");
        EXPECT_NE(std::string(e.what()).find("known quirk"), std::string::npos);
    }
    {
        std::lock_guard<std::mutex> lock(m);
        state = "running";
    }
    try {
        client.stop();
        FAIL();
    } catch (const ad::StopQuirk&) {
        FAIL() << "a 500 while running is a real error";
    } catch (const ad::HttpError& e) {
        EXPECT_EQ(e.status(), 500);
    }
}

TEST(SimulationClient, ValidateKeyReportsRejectionWithoutTheKey) {
    FakeHttpServer fake;
    fake.server().Get("/auth/validate", [](const httplib::Request& req, httplib::Response& res) {
        if (req.get_header_value("X-API-Key") == kKey) {
            res.set_content(R"({"status":"authenticated"})", "application/json");
        } else {
            res.status = 401;
            res.set_content(R"({"detail":"Invalid API key"})", "application/json");
        }
    });
    fake.server().Get("/health", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"status":"ok"})", "application/json");
    });
    fake.start();
    VirtualTime vt;
    ad::SimulationClient good(options(fake, vt));
    EXPECT_TRUE(good.health());
    EXPECT_TRUE(good.validate_key().accepted);
    ad::SimulationClient bad(options(fake, vt, "wrong-key-value"));
    const auto check = bad.validate_key();
    EXPECT_FALSE(check.accepted);
    EXPECT_EQ(check.status, 401);
    EXPECT_EQ(check.detail, R"({"detail":"Invalid API key"})");
}

TEST(SimulationClient, HealthIsFalseNotAnExceptionWhenUnreachable) {
    ad::SimulationClientOptions o;
    o.base_url = "http://127.0.0.1:" + std::to_string(perfrunner::testing::unused_local_port());
    o.health_timeout_seconds = 1.0;
    ad::SimulationClient client(o);
    EXPECT_FALSE(client.health());
}

TEST(SimulationClient, SpawnFailurePartWayReportsWhatWasQueued) {
    FakeHttpServer fake;
    std::atomic<int> calls{0};
    fake.server().Post("/agents/drivers", [&](const httplib::Request&, httplib::Response& res) {
        if (++calls == 3) {
            res.status = 400;
            res.set_content(R"({"detail":"Driver capacity limit exceeded: 1950 + 100 > 2000"})",
                            "application/json");
            return;
        }
        res.set_content(R"({"queued": 100, "spawn_rate": 2.0, "estimated_completion_seconds": 50.0})",
                        "application/json");
    });
    fake.start();
    VirtualTime vt;
    ad::SimulationClient client(options(fake, vt));
    try {
        client.spawn_drivers(400);
        FAIL();
    } catch (const ad::SpawnError& e) {
        EXPECT_EQ(e.accepted(), 200);
        EXPECT_NE(std::string(e.what()).find("capacity limit"), std::string::npos) << e.what();
    }
}

// Found by the simulation fuzz target (tests/fuzz/fuzz_simulation.cpp): a count too large for a long was
// converted anyway (UBSan: "1.03333e+58 is outside the range of representable values of type 'long'", and
// 2^64-1 became -1). Such a count is refused as not an integer, like a fractional one.
TEST(SimulationClient, CountsTooLargeForALongAreRefusedNotConverted) {
    for (const char* body :
         {R"({"queued": 10333333000000922992300001111804039240019141100403924866720})",
          R"({"queued": 18446744073709551615})", R"({"queued": -1e300})", R"({"queued": 2.5})"}) {
        EXPECT_THROW(ad::parse_spawn_response(json::parse(body), "POST /agents/drivers"),
                     perfrunner::RuntimeFailure)
            << body;
    }
    EXPECT_EQ(ad::parse_spawn_response(json::parse(R"({"queued": 1000000000000000})"), "x").queued,
              1000000000000000L);
    EXPECT_EQ(ad::parse_spawn_response(json::parse(R"({"queued": 40.0})"), "x").queued, 40);
    EXPECT_THROW(ad::parse_spawn_status(json::parse(R"({"drivers_queued": 1e19, "riders_queued": 0})"), "x"),
                 perfrunner::RuntimeFailure);
}

TEST(SimulationClient, ThroughputIsEventsTotalPerSecOfMetricsPerformance) {
    FakeHttpServer fake;
    std::atomic<int> variant{0};
    std::atomic<int> calls{0};
    fake.server().Get("/metrics/performance", [&](const httplib::Request& req, httplib::Response& res) {
        ++calls;
        EXPECT_EQ(req.get_header_value("X-API-Key"), kKey);
        // The shape of simulation-api.md §2.3.
        json body = {{"events",
                      {{"gps_pings_per_sec", 10.0},
                       {"trip_events_per_sec", 2.5},
                       {"driver_status_per_sec", 1.25},
                       {"total_per_sec", 13.75}}},
                     {"latency", {{"osrm", nullptr}, {"kafka", nullptr}, {"redis", nullptr}}},
                     {"queue_depths", {{"pending_offers", 0}, {"simpy_events", 3}}},
                     {"memory", {{"rss_mb", 40.0}, {"percent", 8.0}}},
                     {"resources", nullptr},
                     {"stream_processor", nullptr},
                     {"timestamp", 1.7e9}};
        if (variant == 1) body["events"].erase("total_per_sec");
        if (variant == 2) body["events"]["total_per_sec"] = "fast";
        if (variant == 3) body["events"]["total_per_sec"] = -1.0;
        if (variant == 4) {
            res.status = 404;
            res.set_content(R"({"detail":"Not Found"})", "application/json");
            return;
        }
        res.set_content(body.dump(), "application/json");
    });
    fake.start();
    VirtualTime vt;
    ad::SimulationClient client(options(fake, vt));
    EXPECT_EQ(client.events_per_second(), std::optional<double>(13.75));
    variant = 1;
    EXPECT_EQ(client.events_per_second(), std::nullopt);
    variant = 2;
    EXPECT_EQ(client.events_per_second(), std::nullopt);
    variant = 3;
    EXPECT_EQ(client.events_per_second(), std::nullopt);
    variant = 4;
    EXPECT_THROW(client.events_per_second(), perfrunner::RuntimeFailure);
}

TEST(SimulationClient, ThroughputOverItsRateLimitIsSkippedNotWaitedFor) {
    FakeHttpServer fake;
    std::atomic<int> calls{0};
    fake.server().Get("/metrics/performance", [&](const httplib::Request&, httplib::Response& res) {
        ++calls;
        res.set_content(R"({"events":{"total_per_sec":5.0}})", "application/json");
    });
    fake.start();
    VirtualTime vt;
    ad::SimulationClient client(options(fake, vt));
    const double t0 = vt.now();
    int got = 0;
    for (int i = 0; i < 130; ++i) {  // the limit is 120 per minute
        got += client.events_per_second().has_value() ? 1 : 0;
    }
    EXPECT_EQ(got, 120);
    EXPECT_EQ(calls.load(), 120);
    EXPECT_DOUBLE_EQ(vt.now(), t0);  // never slept: a sampling tick is not stalled
}
