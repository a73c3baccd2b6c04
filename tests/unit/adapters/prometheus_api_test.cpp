// Parsing of the Prometheus HTTP API's answers, on answers recorded from the bundled stack's Prometheus 2.42
// (prometheus_fixtures/record.sh) and on edited ones; the client's requests against an in-process server.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "perfrunner/adapters/prometheus_client.hpp"
#include "unit/adapters/fake_http_server.hpp"

namespace ad = perfrunner::adapters;
namespace pr = perfrunner::adapters::prometheus;

namespace {

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(PERFRUNNER_SOURCE_DIR) + "/tests/unit/adapters/prometheus_fixtures/" + name);
    if (!in) {
        throw std::runtime_error("cannot open fixture " + name);
    }
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

TEST(PrometheusValues, PrometheusSpellingsOnly) {
    EXPECT_TRUE(std::isnan(*pr::parse_value("NaN")));
    EXPECT_EQ(*pr::parse_value("+Inf"), INFINITY);
    EXPECT_EQ(*pr::parse_value("-Inf"), -INFINITY);
    EXPECT_EQ(*pr::parse_value("134402048"), 134402048.0);
    EXPECT_EQ(*pr::parse_value("1.7962e+09"), 1.7962e9);
    EXPECT_EQ(*pr::parse_value("-0.5"), -0.5);
    EXPECT_FALSE(pr::parse_value(""));
    EXPECT_FALSE(pr::parse_value("12abc"));
    EXPECT_FALSE(pr::parse_value("nan"));  // not how Prometheus writes it
    EXPECT_FALSE(pr::parse_value("infinity"));
}

TEST(PrometheusValues, Durations) {
    EXPECT_EQ(*pr::parse_duration_seconds("1s"), 1.0);
    EXPECT_EQ(*pr::parse_duration_seconds("500ms"), 0.5);
    EXPECT_EQ(*pr::parse_duration_seconds("1m30s"), 90.0);
    EXPECT_EQ(*pr::parse_duration_seconds("2h"), 7200.0);
    EXPECT_EQ(*pr::parse_duration_seconds("1d"), 86400.0);
    EXPECT_FALSE(pr::parse_duration_seconds(""));
    EXPECT_FALSE(pr::parse_duration_seconds("15"));
    EXPECT_FALSE(pr::parse_duration_seconds("1x"));
    EXPECT_FALSE(pr::parse_duration_seconds("s"));
}

TEST(PrometheusAnswers, RecordedVectorKeepsLabelsTimesAndValues) {
    const std::string body = fixture("tick_under_load.json");
    const auto raw = nlohmann::json::parse(body)["data"]["result"];
    const auto result = pr::parse_query_response(body, 200, "test");
    EXPECT_EQ(result.type, pr::ResultType::vector);
    ASSERT_EQ(result.series.size(), raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        ASSERT_EQ(result.series[i].points.size(), 1U);
        EXPECT_EQ(result.series[i].points[0].time, raw[i]["value"][0].get<double>());
        EXPECT_EQ(result.series[i].points[0].value, std::stod(raw[i]["value"][1].get<std::string>()));
        EXPECT_EQ(result.series[i].labels.at("perfrunner_figure"), raw[i]["metric"]["perfrunner_figure"]);
    }
}

TEST(PrometheusAnswers, RecordedMatrixHasEveryStep) {
    const std::string body = fixture("range_20s_step2.json");
    const auto raw = nlohmann::json::parse(body)["data"]["result"];
    const auto result = pr::parse_query_response(body, 200, "test");
    EXPECT_EQ(result.type, pr::ResultType::matrix);
    ASSERT_EQ(result.series.size(), raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        ASSERT_EQ(result.series[i].points.size(), raw[i]["values"].size());
        for (std::size_t k = 1; k < result.series[i].points.size(); ++k) {
            EXPECT_NEAR(result.series[i].points[k].time - result.series[i].points[k - 1].time, 2.0, 1e-9);
        }
    }
}

TEST(PrometheusAnswers, ErrorAnswersCarryTypeAndMessage) {
    try {
        pr::parse_query_response(fixture("error_bad_data.json"), 400, "GET /api/v1/query");
        FAIL() << "no error";
    } catch (const pr::ApiError& e) {
        EXPECT_EQ(e.http_status(), 400);
        EXPECT_EQ(e.error_type(), "bad_data");
        EXPECT_NE(e.error().find("parse error"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("GET /api/v1/query"), std::string::npos) << e.what();
    }
    try {
        pr::parse_query_response(fixture("error_too_many_points.json"), 400, "range");
        FAIL() << "no error";
    } catch (const pr::ApiError& e) {
        EXPECT_NE(e.error().find("11,000 points"), std::string::npos);
    }
    // 503 with the API's JSON (not ready, timeout) is an ApiError too
    EXPECT_THROW(pr::parse_query_response(
                     R"({"status":"error","errorType":"timeout","error":"query timed out"})", 503, "q"),
                 pr::ApiError);
}

TEST(PrometheusAnswers, NotTheApisJsonIsARuntimeFailureNamingTheRequest) {
    try {
        pr::parse_query_response("<html>502 Bad Gateway</html>", 502, "GET http://x/api/v1/query");
        FAIL() << "no error";
    } catch (const pr::ApiError&) {
        FAIL() << "not an API error";
    } catch (const perfrunner::RuntimeFailure& e) {
        EXPECT_NE(std::string(e.what()).find("502"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("GET http://x/api/v1/query"), std::string::npos);
    }
    EXPECT_THROW(pr::parse_query_response(R"({"status":"success","data":{"resultType":"vector","result":[)"
                                          R"({"metric":{},"value":[1,"twelve"]}]}})",
                                          200, "q"),
                 perfrunner::RuntimeFailure);
    EXPECT_THROW(pr::parse_query_response(
                     R"({"status":"success","data":{"resultType":"histogram","result":[]}})", 200, "q"),
                 perfrunner::RuntimeFailure);
}

TEST(PrometheusAnswers, NanInfScalarStringAndWarnings) {
    const auto v = pr::parse_query_response(
        R"({"status":"success","warnings":["partial"],"data":{"resultType":"vector","result":[)"
        R"({"metric":{"a":"1"},"value":[10.5,"NaN"]},{"metric":{"a":"2"},"value":[10.5,"+Inf"]}]}})",
        200, "q");
    ASSERT_EQ(v.series.size(), 2U);
    EXPECT_TRUE(std::isnan(v.series[0].points[0].value));
    EXPECT_TRUE(std::isinf(v.series[1].points[0].value));
    EXPECT_EQ(v.warnings, std::vector<std::string>{"partial"});
    const auto s = pr::parse_query_response(
        R"({"status":"success","data":{"resultType":"scalar","result":[3,"4"]}})", 200, "q");
    EXPECT_EQ(s.type, pr::ResultType::scalar);
    EXPECT_EQ(s.series.at(0).points.at(0).value, 4.0);
    const auto t = pr::parse_query_response(
        R"({"status":"success","data":{"resultType":"string","result":[3,"x"]}})", 200, "q");
    EXPECT_EQ(t.string_value, "x");
}

TEST(PrometheusAnswers, RecordedTargets) {
    const auto targets = pr::parse_targets_response(fixture("targets.json"), 200, "targets");
    ASSERT_EQ(targets.size(), 2U);
    for (const auto& t : targets) {
        EXPECT_EQ(t.health, "up");
        EXPECT_EQ(t.scrape_interval_seconds, 1.0);
        EXPECT_EQ(t.labels.at("host"), "local");
    }
}

TEST(PromqlText, StringsAndRegexesAreEscaped) {
    EXPECT_EQ(pr::promql_string(R"(a"b\c)"), R"("a\"b\\c")");
    EXPECT_EQ(pr::regex_escape("rideshare-kafka.1"), R"(rideshare-kafka\.1)");
    EXPECT_EQ(pr::regex_escape("a|b(c)"), R"(a\|b\(c\))");
    EXPECT_EQ(ad::url_encode("rate(x{a=\"b c\"}[4s])"), "rate%28x%7Ba%3D%22b%20c%22%7D%5B4s%5D%29");
}

TEST(PrometheusClient, InstantRangeTargetsAndErrorsOverHttp) {
    perfrunner::testing::FakeHttpServer server;
    std::vector<std::string> seen;
    server.server().Get("/api/v1/query", [&](const httplib::Request& req, httplib::Response& res) {
        seen.push_back("query " + req.get_param_value("query") + " t=" + req.get_param_value("time"));
        if (req.get_param_value("query") == "bad{") {
            res.status = 400;
            res.set_content(fixture("error_bad_data.json"), "application/json");
            return;
        }
        res.set_content(fixture("tick_under_load.json"), "application/json");
    });
    server.server().Get("/api/v1/query_range", [&](const httplib::Request& req, httplib::Response& res) {
        const double start = std::stod(req.get_param_value("start"));
        const double end = std::stod(req.get_param_value("end"));
        const double step = std::stod(req.get_param_value("step"));
        seen.push_back("range " + req.get_param_value("start") + " " + req.get_param_value("end"));
        std::string values;
        for (double t = start; t <= end + 1e-9; t += step) {
            values += (values.empty() ? "" : ",") + nlohmann::json::array({t, "1"}).dump();
        }
        res.set_content(
            R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"1"},"values":[)" +
                values + "]}]}}",
            "application/json");
    });
    server.server().Get("/api/v1/targets", [&](const httplib::Request&, httplib::Response& res) {
        res.set_content(fixture("targets.json"), "application/json");
    });
    server.start();
    ad::PrometheusClient client(
        {.base_url = server.url() + "/", .timeout_seconds = 5, .connect_timeout_seconds = 5});
    EXPECT_EQ(client.query("up", 1700000000.25).series.size(), 50U);
    EXPECT_EQ(seen.back(), "query up t=1700000000.250");
    EXPECT_THROW(client.query("bad{"), pr::ApiError);
    // 25,000 steps of 1 s: three requests below the 11,000-point limit, merged into one series, aligned to
    // the step
    const auto range = client.query_range("up", 1000.4, 26000.2, 1.0);
    ASSERT_EQ(range.series.size(), 1U);
    EXPECT_EQ(range.series[0].points.size(), 25002U);
    EXPECT_EQ(range.series[0].points.front().time, 1000.0);
    EXPECT_EQ(range.series[0].points.back().time, 26001.0);
    EXPECT_EQ(seen[seen.size() - 3], "range 1000.000 10999.000");
    EXPECT_EQ(client.targets().size(), 2U);
    EXPECT_EQ(client.requests_sent(), 6U);
}
