// HttpClient error paths against in-process servers on 127.0.0.1: each a clear error, no crash, no hang.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <vector>

#include <nlohmann/json.hpp>

#include "perfrunner/adapters/http_client.hpp"
#include "perfrunner/model/utf8.hpp"
#include "unit/adapters/fake_http_server.hpp"

using perfrunner::adapters::HttpClient;
using perfrunner::adapters::HttpClientOptions;
using perfrunner::adapters::HttpError;
using perfrunner::adapters::HttpRequest;
using perfrunner::testing::FakeHttpServer;

namespace {

struct SleepRecorder {
    std::mutex mutex;
    std::vector<double> waits;
    std::function<void(double)> fn() {
        return [this](double s) {
            std::lock_guard<std::mutex> lock(mutex);
            waits.push_back(s);
        };
    }
};

HttpClientOptions fast_options(SleepRecorder& sleeps, std::string key = "s3cret-key-value") {
    HttpClientOptions o;
    o.connect_timeout_seconds = 1.0;
    o.timeout_seconds = 2.0;
    o.max_retries = 3;
    o.api_key = std::move(key);
    o.sleep = sleeps.fn();
    return o;
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const HttpError& e) {
        return e.what();
    }
    return "<no error>";
}

}  // namespace

TEST(HttpClient, SendsApiKeyAndReusesOneConnection) {
    FakeHttpServer fake;
    std::mutex m;
    std::vector<std::string> keys;
    std::vector<std::string> peers;
    fake.server().Get("/x", [&](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard<std::mutex> lock(m);
        keys.push_back(req.get_header_value("X-API-Key"));
        peers.push_back(req.remote_addr + ":" + std::to_string(req.remote_port));
        res.set_content("{}", "application/json");
    });
    fake.start();
    SleepRecorder sleeps;
    HttpClient client(fast_options(sleeps));
    for (int i = 0; i < 3; ++i) EXPECT_EQ(client.get_ok(fake.url() + "/x").status, 200);
    std::lock_guard<std::mutex> lock(m);
    ASSERT_EQ(keys.size(), 3u);
    for (const auto& k : keys) EXPECT_EQ(k, "s3cret-key-value");
    EXPECT_EQ(peers[0], peers[2]) << "the same keep-alive connection (client port) is reused";
}

TEST(HttpClient, Status401NamesUrlStatusBodyAndNeverTheKey) {
    FakeHttpServer fake;
    fake.server().Get("/simulation/status", [](const httplib::Request& req, httplib::Response& res) {
        res.status = 401;
        // A hostile server echoing the key must not make it appear in our error.
        res.set_content(R"({"detail":"Invalid API key )" + req.get_header_value("X-API-Key") + "\"}",
                        "application/json");
    });
    fake.start();
    SleepRecorder sleeps;
    HttpClient client(fast_options(sleeps));
    const auto what = error_of([&] { client.get_ok(fake.url() + "/simulation/status"); });
    EXPECT_NE(what.find("HTTP 401"), std::string::npos) << what;
    EXPECT_NE(what.find(fake.url() + "/simulation/status"), std::string::npos) << what;
    EXPECT_NE(what.find("Invalid API key"), std::string::npos) << what;
    EXPECT_NE(what.find("API key"), std::string::npos) << what;
    EXPECT_EQ(what.find("s3cret-key-value"), std::string::npos) << what;
    EXPECT_TRUE(sleeps.waits.empty()) << "a 401 is not retried";
}

TEST(HttpClient, Status422WhenKeyMissing) {
    FakeHttpServer fake;
    fake.server().Get("/simulation/status", [](const httplib::Request& req, httplib::Response& res) {
        if (!req.has_header("X-API-Key")) {
            res.status = 422;
            res.set_content(
                R"({"detail":[{"type":"missing","loc":["header","x-api-key"],"msg":"Field required"}]})",
                "application/json");
            return;
        }
        res.set_content("{}", "application/json");
    });
    fake.start();
    SleepRecorder sleeps;
    HttpClient client(fast_options(sleeps, ""));
    try {
        client.get_ok(fake.url() + "/simulation/status");
        FAIL() << "expected HttpError";
    } catch (const HttpError& e) {
        EXPECT_EQ(e.status(), 422);
        EXPECT_NE(std::string(e.what()).find("x-api-key"), std::string::npos) << e.what();
    }
}

TEST(HttpClient, Status429WaitsRetryAfterThenSucceedsEvenForPost) {
    FakeHttpServer fake;
    std::atomic<int> calls{0};
    fake.server().Post("/agents/drivers", [&](const httplib::Request& req, httplib::Response& res) {
        const int n = ++calls;
        if (n == 1) {
            res.status = 429;
            res.set_header("retry-after", "7");
            res.set_content(R"({"error":"30 per 1 minute"})", "application/json");
        } else if (n == 2) {
            res.status = 429;
            res.set_header("Retry-After", "30 per 1 minute");  // the limit text instead of seconds
            res.set_content(R"({"error":"30 per 1 minute"})", "application/json");
        } else {
            res.set_content(R"({"queued":)" + nlohmann::json::parse(req.body).at("count").dump() + "}",
                            "application/json");
        }
    });
    fake.start();
    SleepRecorder sleeps;
    HttpClient client(fast_options(sleeps));
    HttpRequest request{
        "POST", fake.url() + "/agents/drivers", R"({"count":5})", std::nullopt, std::nullopt, std::nullopt};
    const auto response = client.send_ok(request);
    EXPECT_EQ(response.body, R"({"queued":5})");
    EXPECT_EQ(response.attempts, 3);
    EXPECT_EQ(sleeps.waits, (std::vector<double>{7.0, 60.0}));
}

TEST(HttpClient, Status429RetriesAreBoundedAndRealWaitWorks) {
    FakeHttpServer fake;
    std::atomic<int> calls{0};
    fake.server().Get("/limited", [&](const httplib::Request&, httplib::Response& res) {
        ++calls;
        res.status = 429;
        res.set_header("retry-after", "1");
        res.set_content(R"({"error":"10 per 1 minute"})", "application/json");
    });
    fake.start();
    HttpClientOptions options;
    options.max_retries = 1;  // the real sleep: one wait of 1 s
    options.timeout_seconds = 2.0;
    HttpClient client(options);
    const auto t0 = std::chrono::steady_clock::now();
    const auto what = error_of([&] { client.get_ok(fake.url() + "/limited"); });
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_NE(what.find("HTTP 429"), std::string::npos) << what;
    EXPECT_EQ(calls.load(), 2);
    EXPECT_GE(elapsed, 0.95);
    EXPECT_LT(elapsed, 3.0);
}

TEST(HttpClient, Status500RetriedForGetOnlyThenClearError) {
    FakeHttpServer fake;
    std::atomic<int> gets{0};
    std::atomic<int> posts{0};
    fake.server().Get("/boom", [&](const httplib::Request&, httplib::Response& res) {
        ++gets;
        res.status = 500;
        res.set_content("Internal Server Error", "text/plain");
    });
    fake.server().Post("/simulation/stop", [&](const httplib::Request&, httplib::Response& res) {
        ++posts;
        res.status = 500;
        res.set_content("Internal Server Error", "text/plain");
    });
    fake.start();
    SleepRecorder sleeps;
    HttpClient client(fast_options(sleeps));
    auto what = error_of([&] { client.get_ok(fake.url() + "/boom"); });
    EXPECT_NE(what.find("HTTP 500: Internal Server Error"), std::string::npos) << what;
    EXPECT_EQ(gets.load(), 4) << "1 try + max_retries";
    EXPECT_EQ(sleeps.waits, (std::vector<double>{0.5, 1.0, 2.0})) << "exponential backoff";
    what = error_of([&] {
        client.send_ok(
            {"POST", fake.url() + "/simulation/stop", "{}", std::nullopt, std::nullopt, std::nullopt});
    });
    EXPECT_NE(what.find("POST " + fake.url() + "/simulation/stop: HTTP 500"), std::string::npos) << what;
    EXPECT_EQ(posts.load(), 1) << "a POST is not idempotent: never retried on 500";
}

TEST(HttpClient, LongBodyExcerptIsShortAndOneLine) {
    FakeHttpServer fake;
    fake.server().Get("/long", [](const httplib::Request&, httplib::Response& res) {
        res.status = 503;
        res.set_content(std::string(5000, 'x') + "\nsecond line", "text/plain");
    });
    fake.start();
    SleepRecorder sleeps;
    auto options = fast_options(sleeps);
    options.max_retries = 0;
    HttpClient client(options);
    try {
        client.get_ok(fake.url() + "/long");
        FAIL();
    } catch (const HttpError& e) {
        EXPECT_LE(e.body_excerpt().size(), 200u);
        EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    }
}

TEST(HttpClient, SlowServerBeyondTimeoutFailsFastWithoutRetryForPost) {
    // Declared before the server: the handler still runs (and reads it) while the server stops at the end.
    std::atomic<bool> release{false};
    FakeHttpServer fake;
    fake.server().Post("/slow", [&](const httplib::Request&, httplib::Response& res) {
        for (int i = 0; i < 300 && !release; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        res.set_content("{}", "application/json");
    });
    fake.start();
    SleepRecorder sleeps;
    HttpClient client(fast_options(sleeps));
    HttpRequest request{"POST", fake.url() + "/slow", "{}", std::nullopt, 0.3, std::nullopt};
    const auto t0 = std::chrono::steady_clock::now();
    try {
        client.send_ok(request);
        FAIL() << "expected a timeout";
    } catch (const HttpError& e) {
        EXPECT_TRUE(e.timed_out());
        EXPECT_EQ(e.status(), 0);
        EXPECT_NE(std::string(e.what()).find("within 0.3 s"), std::string::npos) << e.what();
    }
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_LT(elapsed, 1.5);
    EXPECT_TRUE(sleeps.waits.empty());
    release = true;
}

TEST(HttpClient, ConnectionRefusedIsAClearErrorAfterBoundedRetries) {
    const int port = perfrunner::testing::unused_local_port();
    SleepRecorder sleeps;
    HttpClient client(fast_options(sleeps));
    const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/health";
    const auto what = error_of([&] { client.get_ok(url); });
    EXPECT_NE(what.find("GET " + url), std::string::npos) << what;
    EXPECT_NE(what.find("connection refused"), std::string::npos) << what;
    EXPECT_EQ(sleeps.waits.size(), 3u);
}

TEST(HttpClient, RetryAfterParsing) {
    using perfrunner::adapters::retry_after_seconds;
    EXPECT_EQ(retry_after_seconds(std::string("60"), 60.0), 60.0);
    EXPECT_EQ(retry_after_seconds(std::string("5"), 60.0), 5.0);
    EXPECT_EQ(retry_after_seconds(std::string("10 per 1 minute"), 60.0), 60.0);
    EXPECT_EQ(retry_after_seconds(std::string("-3"), 60.0), 60.0);
    EXPECT_EQ(retry_after_seconds(std::nullopt, 60.0), 60.0);
    // A server asking for days (the header allows 6 digits: 11 days) is honoured only up to 5 minutes.
    EXPECT_EQ(retry_after_seconds(std::string("999999"), 60.0), 300.0);
    EXPECT_EQ(retry_after_seconds(std::string("99999999999"), 60.0), 300.0);
}

// A multi-byte character at the cut, bytes that are not UTF-8 and terminal escape sequences in an error body:
// the excerpt is one printable line of valid UTF-8.
TEST(HttpClient, ErrorExcerptIsValidPrintableUtf8WhateverTheBody) {
    FakeHttpServer fake;
    fake.server().Get("/e", [](const httplib::Request& req, httplib::Response& res) {
        res.status = 500;
        if (req.get_param_value("kind") == "cut") {
            res.set_content(std::string(196, 'x') + "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", "text/plain");
        } else {
            res.set_content(
                "bad \xFF\xFE\xC3 bytes \x1B]8;;http://evil\x1B\\link\x1B[2J \xC2\x9B"
                "31m",
                "text/plain");
        }
    });
    fake.start();
    SleepRecorder sleeps;
    auto options = fast_options(sleeps);
    options.max_retries = 0;
    HttpClient client(options);
    for (const char* kind : {"cut", "junk"}) {
        try {
            client.get_ok(fake.url() + "/e?kind=" + kind);
            FAIL();
        } catch (const HttpError& e) {
            for (const std::string& text : {e.body_excerpt(), std::string(e.what())}) {
                EXPECT_TRUE(perfrunner::model::is_valid_utf8(text)) << kind;
                EXPECT_EQ(text.find('\x1B'), std::string::npos) << kind;
                EXPECT_EQ(text.find("\xC2\x9B"), std::string::npos) << kind;
                EXPECT_TRUE(nlohmann::json::accept(nlohmann::json(text).dump())) << kind;
            }
            EXPECT_LE(e.body_excerpt().size(), 200u);
        }
    }
}

// A response beyond the source's limit is refused while it arrives, not held whole.
TEST(HttpClient, BodyLargerThanTheLimitIsAClearError) {
    FakeHttpServer fake;
    fake.server().Get("/big", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(std::string(std::size_t{3} << 20U, 'x'), "application/json");
    });
    fake.server().Get("/small", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(std::string(std::size_t{1} << 20U, 'x'), "application/json");
    });
    fake.start();
    SleepRecorder sleeps;
    auto options = fast_options(sleeps);
    options.max_retries = 0;
    options.max_body_bytes = std::size_t{2} << 20U;
    HttpClient client(options);
    const auto what = error_of([&] { client.get_ok(fake.url() + "/big"); });
    EXPECT_NE(what.find("answer larger than 2 MiB"), std::string::npos) << what;
    EXPECT_EQ(client.get_ok(fake.url() + "/small").body.size(), std::size_t{1} << 20U);
}

// A URL with credentials (user:password@) is used as given but never shown: not in the error text, not in
// the URL the error carries (which reaches results.json as an error sample or abort reason).
TEST(HttpClient, CredentialsInTheUrlNeverReachAnError) {
    FakeHttpServer fake;
    fake.server().Get("/x", [](const httplib::Request&, httplib::Response& res) {
        res.status = 500;
        res.set_content("no", "text/plain");
    });
    fake.start();
    SleepRecorder sleeps;
    auto options = fast_options(sleeps);
    options.max_retries = 0;
    HttpClient client(options);
    const std::string with_credentials = "http://user:pa55word@127.0.0.1:" + std::to_string(fake.port());
    const std::string refused =
        "http://user:pa55word@127.0.0.1:" + std::to_string(perfrunner::testing::unused_local_port()) + "/x";
    for (const auto& url : {with_credentials + "/x", refused}) {
        try {
            client.get_ok(url);
            FAIL() << url;
        } catch (const HttpError& e) {
            EXPECT_EQ(std::string(e.what()).find("pa55word"), std::string::npos) << e.what();
            EXPECT_EQ(e.url().find("pa55word"), std::string::npos) << e.url();
            EXPECT_NE(std::string(e.what()).find("http://***@127.0.0.1:"), std::string::npos) << e.what();
        }
    }
}
