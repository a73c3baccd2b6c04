// Kubernetes without a cluster: two kubelet /metrics/cadvisor pages written for these tests (fixtures/, with
// pod cgroups container="", pause containers container="POD", the root cgroup, kubelet.service, machine_*
// series) served from this process as scrape targets of the real Prometheus, each with the `node` label a
// kubernetes_sd relabelling adds. perfrunner's tick query and label mapping must give exactly the fixture's
// figures: memory as written, CPU at the rate each counter is advanced by while the page is served
// (kubelet_cpu_rates.json).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <regex>

#include "perfrunner/adapters/prometheus_sampler.hpp"
#include "prometheus/real_prometheus.hpp"

namespace ad = perfrunner::adapters;
namespace pr = perfrunner::adapters::prometheus;
namespace pt = perfrunner::testing;

namespace {

const std::string kFixtures = std::string(PERFRUNNER_SOURCE_DIR) + "/tests/prometheus/fixtures/";

struct FixtureLine {
    std::string metric;
    pr::Labels labels;
    double value = 0;
};

// The sample lines of a text exposition (the fixture is written by us: one sample per line, no escapes).
std::vector<FixtureLine> parse_page(const std::string& text) {
    std::vector<FixtureLine> lines;
    std::istringstream in(text);
    std::string line;
    const std::regex label_re(R"re(([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)")re");
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        FixtureLine f;
        const auto brace = line.find('{');
        const auto close = line.find('}');
        f.metric = line.substr(0, brace);
        const std::string labels = line.substr(brace + 1, close - brace - 1);
        for (std::sregex_iterator it(labels.begin(), labels.end(), label_re), end; it != end; ++it) {
            f.labels[(*it)[1]] = (*it)[2];
        }
        std::istringstream rest(line.substr(close + 1));
        rest >> f.value;
        lines.push_back(std::move(f));
    }
    return lines;
}

// Serves a fixture page with every timestamp moved to now and every CPU counter advanced by its rate since
// the server started. Values are computed at the written (millisecond) timestamp, so each counter is exactly
// linear.
class KubeletPage {
  public:
    KubeletPage(const std::string& node, const nlohmann::json& rates)
        : node_(node),
          text_(pt::read_text(kFixtures + "kubelet_" + node + "_metrics_cadvisor.txt")),
          start_ms_(static_cast<long long>(pt::unix_now() * 1000.0)) {
        for (const auto& [id, cores] : rates["cores"].items()) {
            rates_[id] = cores.get<double>();
        }
    }
    std::string render(double now) const {
        const long long now_ms = static_cast<long long>(now * 1000.0);
        const double elapsed = static_cast<double>(now_ms - start_ms_) / 1000.0;
        std::istringstream in(text_);
        std::ostringstream out;
        std::string line;
        while (std::getline(in, line)) {
            if (line.empty() || line[0] == '#') {
                out << line << "\n";
                continue;
            }
            const auto close = line.find('}');
            std::istringstream rest(line.substr(close + 1));
            std::string value;
            rest >> value;
            if (line.rfind("container_cpu_usage_seconds_total{", 0) == 0) {
                const auto id_at = line.find("id=\"") + 4;
                std::string id = line.substr(id_at, line.find('"', id_at) - id_at);
                if (id == "/") {
                    id = "/" + node_;
                }
                const auto rate = rates_.find(id);
                if (rate != rates_.end()) {
                    char buf[64];
                    std::snprintf(buf, sizeof buf, "%.9f", std::stod(value) + rate->second * elapsed);
                    value = buf;
                }
            }
            out << line.substr(0, close + 1) << " " << value << " " << now_ms << "\n";
        }
        return out.str();
    }

  private:
    std::string node_;
    std::string text_;
    long long start_ms_;
    std::map<std::string, double> rates_;
};

}  // namespace

TEST(KubeletFixture, FiguresThroughRealPrometheusEqualTheFixture) {
    REQUIRE_PROMETHEUS_OR_SKIP();
    const auto rates = nlohmann::json::parse(pt::read_text(kFixtures + "kubelet_cpu_rates.json"));
    KubeletPage page1("worker-1", rates);
    KubeletPage page2("worker-2", rates);
    pt::ExporterServer kubelet1("/metrics/cadvisor", [&](double now) { return page1.render(now); });
    pt::ExporterServer kubelet2("/metrics/cadvisor", [&](double now) { return page2.render(now); });
    pt::RealPrometheus prometheus("1s",
                                  "  - job_name: kubelet-cadvisor\n"
                                  "    metrics_path: /metrics/cadvisor\n"
                                  "    static_configs:\n"
                                  "      - targets: ['" +
                                      kubelet1.address() +
                                      "']\n"
                                      "        labels: {node: worker-1}\n"
                                      "      - targets: ['" +
                                      kubelet2.address() + "']\n        labels: {node: worker-2}\n");
    ASSERT_TRUE(prometheus.ready()) << prometheus.log();
    ASSERT_TRUE(prometheus.wait_targets_up(20)) << prometheus.log();

    ad::PrometheusSamplerOptions options;
    options.client.base_url = prometheus.url();
    options.labels.scheme = pr::LabelScheme::kubernetes;
    options.labels.host_label = "node";
    for (const char* name :
         {"rideshare/simulation-*/simulation", "rideshare/kafka-*/kafka", "rideshare/redis-*/redis",
          "kube-system/coredns-5d78c9869d-8xk2p/coredns", "monitoring/prometheus-k8s-0/prometheus",
          "prometheus-k8s-0/config-reloader", "rideshare/osrm-*/osrm"}) {
        options.containers.push_back({name, std::nullopt});
    }
    ad::PrometheusSampler sampler(options);
    EXPECT_EQ(sampler.window_seconds(), 4.0);  // 4 x the 1-s scrape interval Prometheus reports
    // enough scrapes for the 4-s rate window, then one more so the newest sample is inside it
    std::this_thread::sleep_for(std::chrono::seconds(6));
    const auto reading = sampler.poll();
    ASSERT_TRUE(reading.ok) << reading.error;
    EXPECT_EQ(reading.error, "");
    EXPECT_EQ(reading.missing, std::vector<std::string>{"rideshare/osrm-*/osrm"});

    // expected figures, read from the fixture pages themselves
    struct Expected {
        std::string configured;
        std::string node;
        std::string pod;
        std::string container;
    };
    const std::vector<Expected> expected = {
        {"rideshare/simulation-*/simulation", "worker-1", "simulation-7d9c8b5f6-x2x4q", "simulation"},
        {"rideshare/kafka-*/kafka", "worker-1", "kafka-0", "kafka"},
        {"rideshare/kafka-*/kafka", "worker-2", "kafka-1", "kafka"},
        {"rideshare/redis-*/redis", "worker-2", "redis-6b4f8d7c9-q7m2z", "redis"},
        {"kube-system/coredns-5d78c9869d-8xk2p/coredns", "worker-1", "coredns-5d78c9869d-8xk2p", "coredns"},
        {"monitoring/prometheus-k8s-0/prometheus", "worker-2", "prometheus-k8s-0", "prometheus"},
        {"prometheus-k8s-0/config-reloader", "worker-2", "prometheus-k8s-0", "config-reloader"},
    };
    EXPECT_EQ(reading.containers.size(), expected.size());
    std::map<std::string, std::vector<FixtureLine>> pages = {
        {"worker-1", parse_page(pt::read_text(kFixtures + "kubelet_worker-1_metrics_cadvisor.txt"))},
        {"worker-2", parse_page(pt::read_text(kFixtures + "kubelet_worker-2_metrics_cadvisor.txt"))}};
    auto fixture_value = [&](const std::string& node, const std::string& metric, const std::string& pod,
                             const std::string& container) -> std::optional<FixtureLine> {
        for (const auto& l : pages[node]) {
            if (l.metric == metric && l.labels.at("pod") == pod && l.labels.at("container") == container) {
                return l;
            }
        }
        return std::nullopt;
    };
    for (const auto& e : expected) {
        SCOPED_TRACE(e.configured + " on " + e.node);
        const perfrunner::ports::ContainerReading* r = nullptr;
        for (const auto& c : reading.containers) {
            if (c.name == e.configured && c.host == e.node) {
                r = &c;
            }
        }
        ASSERT_NE(r, nullptr);
        const auto ws = fixture_value(e.node, "container_memory_working_set_bytes", e.pod, e.container);
        ASSERT_TRUE(ws.has_value());
        EXPECT_DOUBLE_EQ(r->memory_used_mb, ws->value / 1048576.0);
        EXPECT_DOUBLE_EQ(
            *r->memory_rss_mb,
            fixture_value(e.node, "container_memory_rss", e.pod, e.container)->value / 1048576.0);
        EXPECT_DOUBLE_EQ(
            *r->memory_usage_mb,
            fixture_value(e.node, "container_memory_usage_bytes", e.pod, e.container)->value / 1048576.0);
        const double limit =
            fixture_value(e.node, "container_spec_memory_limit_bytes", e.pod, e.container)->value / 1048576.0;
        EXPECT_DOUBLE_EQ(r->memory_limit_mb, limit);
        EXPECT_DOUBLE_EQ(r->memory_percent, r->memory_used_mb / limit * 100.0);
        const auto quota = fixture_value(e.node, "container_spec_cpu_quota", e.pod, e.container);
        if (quota) {
            EXPECT_EQ(r->cores_source, "quota");
            EXPECT_DOUBLE_EQ(
                r->cpu_cores_effective,
                quota->value / fixture_value(e.node, "container_spec_cpu_period", e.pod, e.container)->value);
        } else {
            EXPECT_EQ(r->cores_source, "machine");
            EXPECT_EQ(r->cpu_cores_effective, 4.0);
        }
        ASSERT_TRUE(r->cpu_percent.has_value());
        const double cores = rates["cores"][ws->labels.at("id")].get<double>();
        EXPECT_NEAR(*r->cpu_percent, cores * 100.0, 1e-6 * std::max(1.0, cores * 100.0));
        EXPECT_FALSE(r->stale);
        EXPECT_FALSE(r->counter_reset);
    }
    ASSERT_EQ(reading.hosts.size(), 2U);
    for (const auto& host : reading.hosts) {
        SCOPED_TRACE(host.name);
        double root_ws = 0;
        double machine_memory = 0;
        for (const auto& l : pages[host.name]) {
            if (l.metric == "container_memory_working_set_bytes" && l.labels.at("id") == "/") {
                root_ws = l.value;
            }
            if (l.metric == "machine_memory_bytes") {
                machine_memory = l.value;
            }
        }
        EXPECT_EQ(host.num_cores, 4);
        EXPECT_DOUBLE_EQ(*host.memory_used_mb, root_ws / 1048576.0);
        EXPECT_DOUBLE_EQ(*host.memory_total_mb, machine_memory / 1048576.0);
        const double root_cores = rates["cores"]["/" + host.name].get<double>();
        EXPECT_NEAR(*host.cpu_percent, root_cores * 100.0, 1e-4);
        EXPECT_NEAR(*host.cpu_percent_of_host, root_cores * 100.0 / 4.0, 1e-4);
    }
    std::printf(
        "[kubelet] %zu containers on 2 nodes, 1 missing, one instant query (%zu requests incl. targets)\n",
        reading.containers.size(), sampler.client().requests_sent());
}
