// The Prometheus source: the tick query's shape, decoding, label mapping and the per-sample semantics
// (missing, stale, counter reset, NaN) on answers recorded from the bundled stack
// (prometheus_fixtures/record.sh: the tick query with a 4-s window, host label "host", compose project
// perfrunner-stack) and on edited answers.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "perfrunner/adapters/prometheus_health.hpp"
#include "perfrunner/adapters/prometheus_sampler.hpp"
#include "unit/adapters/fake_http_server.hpp"

namespace ad = perfrunner::adapters;
namespace pr = perfrunner::adapters::prometheus;
using nlohmann::json;

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

// The value of one figure of one container (or host, name "") straight from a recorded answer.
double raw_figure(const std::string& body, const std::string& name, const std::string& figure) {
    const json doc = json::parse(body);
    for (const auto& r : doc["data"]["result"]) {
        if (r["metric"].value("name", "") == name && r["metric"]["perfrunner_figure"] == figure) {
            return std::stod(r["value"][1].get<std::string>());
        }
    }
    throw std::runtime_error("no " + figure + " for " + name);
}

const std::vector<std::string> kStack = {"rideshare-simulation", "rideshare-kafka", "rideshare-redis",
                                         "rideshare-cadvisor", "rideshare-prometheus"};

ad::PrometheusSamplerOptions stack_options() {
    ad::PrometheusSamplerOptions o;
    for (const auto& n : kStack) {
        o.containers.push_back({n, std::nullopt});
    }
    o.compose_project = "perfrunner-stack";
    o.labels.host_label = "host";
    o.window_seconds = 4.0;
    return o;
}

pr::TickFigures tick_of(const std::string& file, const pr::LabelMapping& mapping) {
    return pr::decode_ticks(pr::parse_query_response(fixture(file), 200, file), mapping).at(0);
}

const perfrunner::ports::ContainerReading* find(const perfrunner::ports::MetricsReading& r,
                                                const std::string& name, const std::string& host = "local") {
    for (const auto& c : r.containers) {
        if (c.name == name && c.host == host) {
            return &c;
        }
    }
    return nullptr;
}

std::string edit_value(std::string body, const std::string& name, const std::string& figure,
                       const std::string& value) {
    json doc = json::parse(body);
    for (auto& r : doc["data"]["result"]) {
        if (r["metric"].value("name", "") == name && r["metric"]["perfrunner_figure"] == figure) {
            r["value"][1] = value;
        }
    }
    return doc.dump();
}

}  // namespace

TEST(PrometheusTickQuery, OneExpressionTaggedPerFigure) {
    pr::LabelMapping docker;
    docker.host_label = "host";
    const auto q = pr::tick_query(docker, "perfrunner-stack", 4.0, true);
    // the recorded fixtures were answered for this expression (before its last part, the throughput, was
    // added: they have no simulation_events_total series)
    EXPECT_EQ(q + "\n", fixture("tick_query_docker.promql"));
    EXPECT_NE(q.find(R"(sum(rate(simulation_events_total[4000ms])))"), std::string::npos);
    EXPECT_NE(
        q.find("rate(container_cpu_usage_seconds_total{name!=\"\",container_label_com_docker_compose_project="
               "\"perfrunner-stack\"}[4000ms])"),
        std::string::npos);
    EXPECT_NE(q.find(R"(sum by(host)(rate(container_cpu_usage_seconds_total{id="/"}[4000ms])))"),
              std::string::npos);
    pr::LabelMapping k8s;
    k8s.scheme = pr::LabelScheme::kubernetes;
    k8s.host_label = "node";
    const auto kq = pr::tick_query(k8s, "", 60.0, false);
    EXPECT_NE(kq.find(R"({container!="",container!="POD"})"), std::string::npos);
    EXPECT_NE(kq.find("by(container,id,namespace,node,pod)"), std::string::npos);
    EXPECT_NE(kq.find("[60000ms]"), std::string::npos);
    EXPECT_EQ(kq.find("machine_cpu_cores"), std::string::npos);
}

TEST(PrometheusSampler, RecordedTickGivesTheAnswersFigures) {
    const std::string body = fixture("tick_under_load.json");
    ad::PrometheusSampler sampler(stack_options());
    ad::PrometheusBaselines baselines;
    const auto reading =
        sampler.evaluate(tick_of("tick_under_load.json", sampler.options().labels), baselines);
    ASSERT_TRUE(reading.ok) << reading.error;
    EXPECT_TRUE(reading.missing.empty());
    ASSERT_EQ(reading.containers.size(), kStack.size());
    for (const auto& name : kStack) {
        SCOPED_TRACE(name);
        const auto* c = find(reading, name);
        ASSERT_NE(c, nullptr);
        EXPECT_DOUBLE_EQ(c->memory_used_mb, raw_figure(body, name, "working_set") / 1048576.0);
        EXPECT_DOUBLE_EQ(c->memory_limit_mb, raw_figure(body, name, "limit") / 1048576.0);
        EXPECT_DOUBLE_EQ(*c->memory_rss_mb, raw_figure(body, name, "rss") / 1048576.0);
        EXPECT_DOUBLE_EQ(*c->memory_usage_mb, raw_figure(body, name, "usage") / 1048576.0);
        ASSERT_TRUE(c->cpu_percent.has_value());
        EXPECT_DOUBLE_EQ(*c->cpu_percent, raw_figure(body, name, "cpu_cores") * 100.0);
        EXPECT_EQ(c->cores_source, "quota");
        EXPECT_DOUBLE_EQ(c->cpu_cores_effective,
                         raw_figure(body, name, "cpu_quota") / raw_figure(body, name, "cpu_period"));
        EXPECT_FALSE(c->stale);
        EXPECT_FALSE(c->counter_reset);
        ASSERT_TRUE(c->cadvisor_timestamp.has_value());
    }
    ASSERT_TRUE(reading.host.has_value());
    EXPECT_EQ(reading.host->name, "local");
    EXPECT_EQ(reading.host->num_cores, static_cast<int>(raw_figure(body, "", "host_cores")));
    EXPECT_DOUBLE_EQ(*reading.host->cpu_percent, raw_figure(body, "", "host_cpu_cores") * 100.0);
    EXPECT_DOUBLE_EQ(*reading.host->cpu_percent_of_host,
                     *reading.host->cpu_percent / reading.host->num_cores);
    EXPECT_DOUBLE_EQ(*reading.host->memory_total_mb, raw_figure(body, "", "host_memory") / 1048576.0);
}

TEST(PrometheusSampler, ThroughputFromTheSimulationsOwnCounterInTheSameAnswer) {
    ad::PrometheusSampler sampler(stack_options());
    ad::PrometheusBaselines baselines;
    const auto& labels = sampler.options().labels;
    // the recorded answer has no simulation_events_total series: no figure, the sampler asks the API
    EXPECT_FALSE(sampler.evaluate(tick_of("tick_under_load.json", labels), baselines).events_per_sec);

    json doc = json::parse(fixture("tick_under_load.json"));
    const json time = doc["data"]["result"][0]["value"][0];
    doc["data"]["result"].push_back(
        {{"metric", {{"perfrunner_figure", "events_per_sec"}}}, {"value", {time, "12.5"}}});
    const auto body = doc.dump();
    const auto tick = pr::decode_ticks(pr::parse_query_response(body, 200, "edited"), labels).at(0);
    EXPECT_EQ(tick.containers.size(), kStack.size());  // the throughput is not a container
    const auto reading = sampler.evaluate(tick, baselines);
    EXPECT_EQ(reading.events_per_sec, std::optional<double>(12.5));
    EXPECT_EQ(reading.containers.size(), kStack.size());

    doc["data"]["result"].back()["value"][1] = "NaN";  // no rate yet: kept as NaN, recorded as null
    const auto nan_tick = pr::decode_ticks(pr::parse_query_response(doc.dump(), 200, "edited"), labels).at(0);
    ASSERT_TRUE(sampler.evaluate(nan_tick, baselines).events_per_sec.has_value());
    EXPECT_TRUE(std::isnan(*sampler.evaluate(nan_tick, baselines).events_per_sec));
}

TEST(PrometheusSampler, CpuAcrossTicksFromTheCounterAndItsSampleTimes) {
    const std::string first = fixture("tick_under_load.json");
    const std::string second = fixture("tick_after_kafka_restart.json");
    ad::PrometheusSampler sampler(stack_options());
    ad::PrometheusBaselines baselines;
    const auto& labels = sampler.options().labels;
    sampler.evaluate(tick_of("tick_under_load.json", labels), baselines);
    const auto reading = sampler.evaluate(tick_of("tick_after_kafka_restart.json", labels), baselines);
    for (const char* name : {"rideshare-simulation", "rideshare-cadvisor", "rideshare-prometheus"}) {
        SCOPED_TRACE(name);
        const auto* c = find(reading, name);
        ASSERT_NE(c, nullptr);
        ASSERT_TRUE(c->cpu_percent.has_value());
        const double expected =
            100.0 * (raw_figure(second, name, "cpu_total") - raw_figure(first, name, "cpu_total")) /
            (raw_figure(second, name, "sample_time") - raw_figure(first, name, "sample_time"));
        EXPECT_DOUBLE_EQ(*c->cpu_percent, expected);
        EXPECT_NE(*c->cpu_percent, raw_figure(second, name, "cpu_cores") * 100.0);  // not the rate() figure
    }
}

TEST(PrometheusSampler, SameSampleAgainIsStaleWithoutCpu) {
    ad::PrometheusSampler sampler(stack_options());
    ad::PrometheusBaselines baselines;
    const auto tick = tick_of("tick_under_load.json", sampler.options().labels);
    sampler.evaluate(tick, baselines);
    const auto again = sampler.evaluate(tick, baselines);
    for (const auto& c : again.containers) {
        EXPECT_TRUE(c.stale) << c.name;
        EXPECT_FALSE(c.cpu_percent.has_value()) << c.name;
        EXPECT_GT(c.memory_used_mb, 0.0);
    }
}

TEST(PrometheusSampler, RestartIsACounterResetWithoutCpu) {
    ad::PrometheusSampler sampler(stack_options());
    ad::PrometheusBaselines baselines;
    const auto& labels = sampler.options().labels;
    sampler.evaluate(tick_of("tick_under_load.json", labels), baselines);
    const auto after = sampler.evaluate(tick_of("tick_after_kafka_restart.json", labels), baselines);
    const auto* kafka = find(after, "rideshare-kafka");
    ASSERT_NE(kafka, nullptr);
    EXPECT_TRUE(kafka->counter_reset);
    EXPECT_FALSE(kafka->cpu_percent.has_value());
    const auto* sim = find(after, "rideshare-simulation");
    ASSERT_NE(sim, nullptr);
    EXPECT_FALSE(sim->counter_reset);
    EXPECT_TRUE(sim->cpu_percent.has_value());
}

TEST(PrometheusSampler, StoppedContainerIsMissingOnceItsSeriesIsStale) {
    // redis was stopped 12 s before this answer: Prometheus still gives its last working set (no staleness
    // marker for cAdvisor's timestamped samples), 14 s old, beyond 2 x the 4-s window.
    const std::string body = fixture("tick_redis_stopped_12s.json");
    ad::PrometheusSampler sampler(stack_options());
    ad::PrometheusBaselines baselines;
    const auto tick = tick_of("tick_redis_stopped_12s.json", sampler.options().labels);
    EXPECT_GT(tick.time - raw_figure(body, "rideshare-redis", "sample_time"), 8.0);
    const auto reading = sampler.evaluate(tick, baselines);
    EXPECT_EQ(reading.missing, std::vector<std::string>{"rideshare-redis"});
    EXPECT_EQ(find(reading, "rideshare-redis"), nullptr);
    EXPECT_EQ(reading.containers.size(), kStack.size() - 1);
    // with a longer staleness limit the lingering series still counts
    auto lenient = stack_options();
    lenient.stale_after_seconds = 60.0;
    ad::PrometheusSampler tolerant(lenient);
    ad::PrometheusBaselines fresh;
    EXPECT_TRUE(tolerant.evaluate(tick, fresh).missing.empty());
}

TEST(PrometheusSampler, NanAndInfFigures) {
    std::string body = fixture("tick_under_load.json");
    body = edit_value(body, "rideshare-kafka", "cpu_cores", "NaN");
    body = edit_value(body, "rideshare-kafka", "rss", "NaN");
    body = edit_value(body, "rideshare-kafka", "limit", "+Inf");
    body = edit_value(body, "rideshare-redis", "working_set", "NaN");
    ad::PrometheusSampler sampler(stack_options());
    ad::PrometheusBaselines baselines;
    const auto tick =
        pr::decode_ticks(pr::parse_query_response(body, 200, "edited"), sampler.options().labels).at(0);
    const auto reading = sampler.evaluate(tick, baselines);
    const auto* kafka = find(reading, "rideshare-kafka");
    ASSERT_NE(kafka, nullptr);
    EXPECT_FALSE(kafka->cpu_percent.has_value());
    EXPECT_FALSE(kafka->memory_rss_mb.has_value());
    EXPECT_EQ(kafka->memory_limit_mb, 0.0);  // unlimited
    EXPECT_EQ(kafka->memory_percent, 0.0);
    EXPECT_EQ(reading.missing, std::vector<std::string>{"rideshare-redis"});
    EXPECT_NE(reading.error.find("rideshare-redis: working set is not a number"), std::string::npos)
        << reading.error;
}

TEST(PrometheusSampler, SameNameOnTwoHostsStaysTwoContainers) {
    // the recorded answer, plus a copy of every series on a second host "edge" with its own values
    json doc = json::parse(fixture("tick_under_load.json"));
    auto& result = doc["data"]["result"];
    const std::size_t n = result.size();
    for (std::size_t i = 0; i < n; ++i) {
        json copy = result[i];
        copy["metric"]["host"] = "edge";
        if (copy["metric"]["perfrunner_figure"] == "working_set") {
            copy["value"][1] = "1048576";
        }
        result.push_back(copy);
    }
    ad::PrometheusSampler sampler(stack_options());
    ad::PrometheusBaselines baselines;
    const auto reading = sampler.evaluate(
        pr::decode_ticks(pr::parse_query_response(doc.dump(), 200, "two hosts"), sampler.options().labels)
            .at(0),
        baselines);
    EXPECT_EQ(reading.containers.size(), 2 * kStack.size());
    ASSERT_NE(find(reading, "rideshare-kafka", "edge"), nullptr);
    ASSERT_NE(find(reading, "rideshare-kafka", "local"), nullptr);
    EXPECT_EQ(find(reading, "rideshare-kafka", "edge")->memory_used_mb, 1.0);
    EXPECT_NE(find(reading, "rideshare-kafka", "local")->memory_used_mb, 1.0);
    ASSERT_EQ(reading.hosts.size(), 2U);
    EXPECT_EQ(reading.hosts[0].name, "edge");
    EXPECT_EQ(reading.hosts[1].name, "local");
}

TEST(PrometheusSampler, RecreatedContainerFreshestSeriesWins) {
    // an old cgroup id of the simulation lingering with an older sample next to the new one
    json doc = json::parse(fixture("tick_under_load.json"));
    auto& result = doc["data"]["result"];
    const std::size_t n = result.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (result[i]["metric"].value("name", "") != "rideshare-simulation") {
            continue;
        }
        json old = result[i];
        old["metric"]["id"] = "/docker/0ld";
        const std::string figure = old["metric"]["perfrunner_figure"];
        if (figure == "sample_time") {
            old["value"][1] = std::to_string(std::stod(old["value"][1].get<std::string>()) - 3.0);
        } else if (figure == "working_set") {
            old["value"][1] = "7";
        }
        result.push_back(old);
    }
    ad::PrometheusSampler sampler(stack_options());
    ad::PrometheusBaselines baselines;
    const auto reading = sampler.evaluate(
        pr::decode_ticks(pr::parse_query_response(doc.dump(), 200, "recreated"), sampler.options().labels)
            .at(0),
        baselines);
    const auto* sim = find(reading, "rideshare-simulation");
    ASSERT_NE(sim, nullptr);
    EXPECT_NE(sim->memory_used_mb, 7.0 / 1048576.0);
    EXPECT_EQ(reading.containers.size(), kStack.size());
}

TEST(PrometheusLabels, DockerAndKubernetesMatching) {
    pr::LabelMapping docker;
    const pr::Labels compose = {{"name", "perfrunner-stack-kafka-1"},
                                {"container_label_com_docker_compose_service", "kafka"},
                                {"container_label_com_docker_compose_project", "perfrunner-stack"}};
    EXPECT_EQ(pr::match_configured("perfrunner-stack-kafka-1", compose, docker, ""), "name");
    EXPECT_EQ(pr::match_configured("kafka", compose, docker, ""), "label");
    EXPECT_EQ(pr::match_configured("kafka", compose, docker, "other-project"), std::nullopt);
    EXPECT_EQ(pr::match_configured("perfrunner-stack_kafka_1", compose, docker, ""), "generated_name");
    EXPECT_EQ(pr::match_configured("kaf", compose, docker, ""), std::nullopt);  // never a substring
    pr::LabelMapping k8s;
    k8s.scheme = pr::LabelScheme::kubernetes;
    const pr::Labels pod = {
        {"namespace", "rideshare"}, {"pod", "simulation-7d9c8b5f6-x2x4q"}, {"container", "sim"}};
    EXPECT_EQ(pr::match_configured("rideshare/simulation-7d9c8b5f6-x2x4q/sim", pod, k8s, ""), "kubernetes");
    EXPECT_EQ(pr::match_configured("rideshare/simulation-*/sim", pod, k8s, ""), "kubernetes");
    EXPECT_EQ(pr::match_configured("simulation-*/sim", pod, k8s, ""), "kubernetes");
    EXPECT_EQ(pr::match_configured("other/simulation-*/sim", pod, k8s, ""), std::nullopt);
    EXPECT_EQ(pr::match_configured(
                  "rideshare/simulation-*/POD",
                  {{"namespace", "rideshare"}, {"pod", "simulation-1"}, {"container", "POD"}}, k8s, ""),
              std::nullopt);
    EXPECT_EQ(pr::container_display_name(pod, k8s), "rideshare/simulation-7d9c8b5f6-x2x4q/sim");
}

TEST(PrometheusSampler, BackfillEvaluatesEveryStepOfARecordedRange) {
    perfrunner::testing::FakeHttpServer server;
    std::string asked;
    server.server().Get("/api/v1/query_range", [&](const httplib::Request& req, httplib::Response& res) {
        asked = req.get_param_value("step") + " " + req.get_param_value("query").substr(0, 60);
        res.set_content(fixture("range_20s_step2.json"), "application/json");
    });
    server.start();
    auto options = stack_options();
    options.client.base_url = server.url();
    ad::PrometheusSampler sampler(options);
    const auto readings = sampler.backfill(1796103452.0, 1796103472.0, 2.0);
    EXPECT_EQ(asked.substr(0, 6), "2.000 ");
    ASSERT_EQ(readings.size(), 11U);
    for (std::size_t i = 0; i < readings.size(); ++i) {
        SCOPED_TRACE(i);
        EXPECT_TRUE(readings[i].reading.ok);
        EXPECT_EQ(readings[i].reading.containers.size(), kStack.size());
        if (i > 0) {
            EXPECT_NEAR(readings[i].time - readings[i - 1].time, 2.0, 1e-9);
        }
    }
    EXPECT_EQ(sampler.client().requests_sent(), 1U);
}

TEST(PrometheusSampler, BackfillAsksOneStepEarlierSoItsFirstStepIsACounterDelta) {
    perfrunner::testing::FakeHttpServer server;
    std::string start;
    server.server().Get("/api/v1/query_range", [&](const httplib::Request& req, httplib::Response& res) {
        start = req.get_param_value("start");
        // rate() at …455 as Prometheus gives it when scrapes land irregularly: well below the counter's delta
        std::string body = fixture("range_20s_step2.json");
        const std::string rate_at_455 = "0.7442469423400674";
        body.replace(body.find(rate_at_455), rate_at_455.size(), "0.5");
        res.set_content(body, "application/json");
    });
    server.start();
    auto options = stack_options();
    options.client.base_url = server.url();
    ad::PrometheusSampler sampler(options);
    const auto readings = sampler.backfill(1796103455.0, 1796103473.0, 2.0);
    // asked from one step before (aligned to the step), and that step is not returned
    EXPECT_EQ(start, "1796103452.000");
    ASSERT_EQ(readings.size(), 10U);
    EXPECT_EQ(readings.front().time, 1796103455.0);
    const auto& sim = readings.front().reading.containers;
    const auto it =
        std::find_if(sim.begin(), sim.end(), [](const auto& c) { return c.name == "rideshare-simulation"; });
    ASSERT_NE(it, sim.end());
    ASSERT_TRUE(it->cpu_percent.has_value());
    // (3.339624465 - 1.57129373) s of CPU over (…454.323 - …451.947) s of the source's own timestamps (74.42
    // %), not the step's own rate() (50 %)
    EXPECT_NEAR(*it->cpu_percent, 100.0 * (3.339624465 - 1.57129373) / (1796103454.323 - 1796103451.947),
                1e-6);
}

TEST(PrometheusSampler, PollFailuresAreGapsNamingTheCause) {
    perfrunner::testing::FakeHttpServer server;
    server.server().Get("/api/v1/query", [&](const httplib::Request&, httplib::Response& res) {
        res.status = 503;
        res.set_content(R"({"status":"error","errorType":"unavailable","error":"TSDB not ready"})",
                        "application/json");
    });
    server.start();
    auto options = stack_options();
    options.client.base_url = server.url();
    ad::PrometheusSampler sampler(options);
    const auto failed = sampler.poll();
    EXPECT_FALSE(failed.ok);
    EXPECT_NE(failed.error.find("TSDB not ready"), std::string::npos) << failed.error;
    EXPECT_NE(failed.error.find("unavailable"), std::string::npos) << failed.error;
    options.client.base_url = "http://127.0.0.1:" + std::to_string(perfrunner::testing::unused_local_port());
    options.client.connect_timeout_seconds = 1.0;
    ad::PrometheusSampler unreachable(options);
    const auto refused = unreachable.poll();
    EXPECT_FALSE(refused.ok);
    EXPECT_NE(refused.error.find("prometheus"), std::string::npos);
}

TEST(PrometheusHealth, ReadyTargetsScrapeIntervalAndSeriesPerContainer) {
    perfrunner::testing::FakeHttpServer server;
    server.server().Get("/-/ready", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("Prometheus Server is Ready.", "text/plain");
    });
    server.server().Get("/api/v1/targets", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(fixture("targets.json"), "application/json");
    });
    server.server().Get("/api/v1/query", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(fixture("tick_redis_stopped_12s.json"), "application/json");
    });
    server.start();
    auto options = stack_options();
    options.client.base_url = server.url();
    options.window_seconds = 0.0;  // from the targets: 4 x 1 s
    ad::PrometheusSampler sampler(options);
    const auto ok = ad::inspect_prometheus(sampler, 2.0);
    EXPECT_TRUE(ok.ready);
    ASSERT_EQ(ok.targets.size(), 2U);
    EXPECT_EQ(ok.targets[0].host, "local");
    EXPECT_EQ(ok.longest_scrape_interval_seconds, 1.0);
    EXPECT_EQ(ok.window_seconds, 4.0);
    ASSERT_EQ(ok.containers.size(), kStack.size());
    for (const auto& row : ok.containers) {
        EXPECT_EQ(row.hosts, row.name == "rideshare-redis" ? std::vector<std::string>{}
                                                           : std::vector<std::string>{"local"})
            << row.name;
    }
    ASSERT_EQ(ok.problems.size(), 1U);
    EXPECT_NE(ok.problems[0].find("rideshare-redis has no fresh series"), std::string::npos)
        << ok.problems[0];

    ad::PrometheusSampler slow_sampling(options);
    const auto slow = ad::inspect_prometheus(slow_sampling, 0.5);  // sampling faster than the 1-s scrapes
    EXPECT_EQ(std::count_if(slow.problems.begin(), slow.problems.end(),
                            [](const std::string& p) {
                                return p.find("more than sampling.interval_seconds") != std::string::npos;
                            }),
              2);

    options.client.base_url = "http://127.0.0.1:" + std::to_string(perfrunner::testing::unused_local_port());
    ad::PrometheusSampler absent(options);
    const auto down = ad::inspect_prometheus(absent, 2.0);
    EXPECT_FALSE(down.ready);
    ASSERT_EQ(down.problems.size(), 1U);
    EXPECT_NE(down.problems[0].find("is not ready"), std::string::npos);
    EXPECT_NE(down.problems[0].find("metrics.prometheus_url"), std::string::npos);
}
