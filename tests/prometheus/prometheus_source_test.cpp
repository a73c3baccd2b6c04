// The Prometheus source against the real Prometheus binary scraping a cAdvisor-like exporter served from this
// process (standalone cAdvisor's labels: name, id, compose labels; explicit timestamps like cAdvisor's),
// whose state the tests change: CPU from rate() over real scrapes, a restart (counter reset), a container
// that goes away (its series lingers: no staleness marker for timestamped samples), NaN and +Inf values,
// backfill.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "perfrunner/adapters/prometheus_sampler.hpp"
#include "prometheus/real_prometheus.hpp"

namespace ad = perfrunner::adapters;
namespace pr = perfrunner::adapters::prometheus;
namespace pt = perfrunner::testing;

namespace {

struct FakeContainer {
    std::string name;
    std::string id;
    double cores = 0.0;  // CPU it burns
    double counter_base = 10.0;
    long long base_ms = 0;  // counter = base + cores x (t - base_ms)
    std::string working_set = "52428800";
    std::string limit = "134217728";
    bool exported = true;
};

// A standalone cAdvisor's /metrics for the containers (and the root cgroup, and the machine).
class FakeCadvisor {
  public:
    std::map<std::string, FakeContainer> containers;

    std::string render(double now) const {
        const long long ms = static_cast<long long>(now * 1000.0);
        std::string out = "# TYPE container_cpu_usage_seconds_total counter\n";
        auto line = [&](const std::string& metric, const std::string& labels, const std::string& value) {
            out += metric + "{" + labels + "} " + value + " " + std::to_string(ms) + "\n";
        };
        line("container_cpu_usage_seconds_total", R"(cpu="total",id="/")",
             std::to_string(1000.0 + 0.5 * static_cast<double>(ms) / 1000.0));
        line("container_memory_working_set_bytes", R"(id="/")", "4000000000");
        for (const auto& [key, c] : containers) {
            if (!c.exported) {
                continue;
            }
            const std::string labels =
                "container_label_com_docker_compose_project=\"proj\","
                "container_label_com_docker_compose_service=\"" +
                c.name + "\",id=\"/docker/" + c.id + "\",image=\"x:1\",name=\"" + c.name + "\"";
            char counter[64];
            std::snprintf(counter, sizeof counter, "%.9f",
                          c.counter_base + c.cores * static_cast<double>(ms - c.base_ms) / 1000.0);
            line("container_cpu_usage_seconds_total", "cpu=\"total\"," + labels, counter);
            line("container_memory_working_set_bytes", labels, c.working_set);
            line("container_memory_rss", labels, "41943040");
            line("container_memory_usage_bytes", labels, "62914560");
            line("container_spec_memory_limit_bytes", labels, c.limit);
            line("container_spec_cpu_quota", labels, "50000");
            line("container_spec_cpu_period", labels, "100000");
        }
        out += "machine_cpu_cores 2\nmachine_memory_bytes 25276026880\n";
        return out;
    }
};

// One Prometheus and one exporter for the whole suite (a Prometheus start costs seconds); every test adds its
// own two containers, named after the test, so what one test does to its series cannot touch another's.
class PrometheusSource : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        if (access(pt::prometheus_binary().c_str(), X_OK) != 0) {
            return;
        }
        cadvisor_ = new FakeCadvisor();
        exporter_ = new pt::ExporterServer("/metrics", [](double now) { return cadvisor_->render(now); });
        prometheus_ =
            new pt::RealPrometheus("1s", "  - job_name: cadvisor\n    static_configs:\n      - targets: ['" +
                                             exporter_->address() + "']\n        labels: {host: docker-1}\n");
    }
    static void TearDownTestSuite() {
        delete prometheus_;
        delete exporter_;
        delete cadvisor_;
        prometheus_ = nullptr;
        exporter_ = nullptr;
        cadvisor_ = nullptr;
    }

    void SetUp() override {
        REQUIRE_PROMETHEUS_OR_SKIP();
        ASSERT_TRUE(prometheus_->ready()) << prometheus_->log();
        ASSERT_TRUE(prometheus_->wait_targets_up(20)) << prometheus_->log();
        const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
        a_ = "svc-a-" + test;
        b_ = "svc-b-" + test;
        const long long now_ms = static_cast<long long>(pt::unix_now() * 1000.0);
        change([&](FakeContainer& a, FakeContainer& b) {
            a = {a_, "aaaa" + test, 0.25, 10.0, now_ms};
            b = {b_, "bbbb" + test, 1.5, 500.0, now_ms};
        });
    }

    ad::PrometheusSamplerOptions options(double stale_after = 0.0) const {
        ad::PrometheusSamplerOptions o;
        o.client.base_url = prometheus_->url();
        o.containers = {{a_, std::nullopt}, {b_, std::nullopt}};
        o.compose_project = "proj";
        o.labels.host_label = "host";
        o.stale_after_seconds = stale_after;
        return o;
    }

    // Changes this test's two containers while no scrape reads them.
    template <typename F>
    void change(F&& f) {
        std::lock_guard<std::mutex> guard(exporter_->lock());
        f(cadvisor_->containers[a_], cadvisor_->containers[b_]);
    }

    static const perfrunner::ports::ContainerReading* find(const perfrunner::ports::MetricsReading& r,
                                                           const std::string& name) {
        for (const auto& c : r.containers) {
            if (c.name == name) {
                return &c;
            }
        }
        return nullptr;
    }

    static void sleep_s(double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); }

    std::string a_;
    std::string b_;
    static FakeCadvisor* cadvisor_;
    static pt::ExporterServer* exporter_;
    static pt::RealPrometheus* prometheus_;
};

FakeCadvisor* PrometheusSource::cadvisor_ = nullptr;
pt::ExporterServer* PrometheusSource::exporter_ = nullptr;
pt::RealPrometheus* PrometheusSource::prometheus_ = nullptr;

}  // namespace

TEST_F(PrometheusSource, CpuFromRateOverRealScrapesAndLimits) {
    ad::PrometheusSampler sampler(options());
    EXPECT_EQ(sampler.window_seconds(), 4.0);
    sleep_s(5.5);
    const auto reading = sampler.poll();
    ASSERT_TRUE(reading.ok) << reading.error;
    const auto* a = find(reading, a_);
    const auto* b = find(reading, b_);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(a->host, "docker-1");
    ASSERT_TRUE(a->cpu_percent && b->cpu_percent);
    EXPECT_NEAR(*a->cpu_percent, 25.0, 0.01);
    EXPECT_NEAR(*b->cpu_percent, 150.0, 0.01);  // not clamped at 100
    EXPECT_EQ(a->memory_used_mb, 50.0);
    EXPECT_EQ(a->memory_limit_mb, 128.0);
    EXPECT_EQ(a->cpu_cores_effective, 0.5);
    ASSERT_TRUE(reading.host.has_value());
    EXPECT_NEAR(*reading.host->cpu_percent, 50.0, 0.01);
    EXPECT_EQ(reading.host->num_cores, 2);
    EXPECT_EQ(sampler.client().requests_sent(), 2U);  // targets (once) + one query per tick
}

TEST_F(PrometheusSource, RestartIsOneTickWithoutCpuThenRatesResume) {
    ad::PrometheusSampler sampler(options());
    sleep_s(5.5);
    ASSERT_TRUE(find(sampler.poll(), a_)->cpu_percent.has_value());
    change([](FakeContainer& a, FakeContainer&) {  // restarted: same id, the counter starts again near 0
        a.counter_base = 0.1;
        a.base_ms = static_cast<long long>(pt::unix_now() * 1000.0);
    });
    sleep_s(1.5);
    const auto after = sampler.poll();
    const auto* a = find(after, a_);
    ASSERT_NE(a, nullptr);
    EXPECT_TRUE(a->counter_reset);
    EXPECT_FALSE(a->cpu_percent.has_value());
    EXPECT_FALSE(find(after, b_)->counter_reset);
    sleep_s(1.5);
    const auto next = sampler.poll();
    EXPECT_FALSE(find(next, a_)->counter_reset);
    // rate() itself handles the reset: the figure stays near the container's real 25 %
    ASSERT_TRUE(find(next, a_)->cpu_percent.has_value());
    EXPECT_NEAR(*find(next, a_)->cpu_percent, 25.0, 3.0);
}

TEST_F(PrometheusSource, GoneContainerLingersInPrometheusButIsMissing) {
    ad::PrometheusSampler sampler(options(/*stale_after=*/3.0));
    sleep_s(2.5);
    EXPECT_TRUE(sampler.poll().missing.empty());
    change([](FakeContainer&, FakeContainer& b) { b.exported = false; });
    sleep_s(4.5);
    // Prometheus still answers for b (its last sample, no staleness marker for timestamped samples) ...
    pr::LabelMapping mapping;
    mapping.host_label = "host";
    const auto raw = sampler.client().query("container_memory_working_set_bytes{name=\"" + b_ + "\"}");
    EXPECT_EQ(raw.series.size(), 1U);
    // ... but the sample is older than stale_after: missing, as a container cAdvisor no longer reports
    const auto reading = sampler.poll();
    EXPECT_EQ(reading.missing, std::vector<std::string>{b_});
    EXPECT_NE(find(reading, a_), nullptr);
}

TEST_F(PrometheusSource, NanWorkingSetAndInfiniteLimit) {
    change([](FakeContainer& a, FakeContainer& b) {
        a.working_set = "NaN";
        b.limit = "+Inf";
    });
    sleep_s(2.5);
    ad::PrometheusSampler sampler(options());
    const auto reading = sampler.poll();
    ASSERT_TRUE(reading.ok);
    EXPECT_EQ(reading.missing, std::vector<std::string>{a_});
    EXPECT_NE(reading.error.find(a_ + ": working set is not a number"), std::string::npos) << reading.error;
    const auto* b = find(reading, b_);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->memory_limit_mb, 0.0);
    EXPECT_EQ(b->memory_percent, 0.0);
}

TEST_F(PrometheusSource, BackfillGivesEveryStepOfAGap) {
    ad::PrometheusSampler sampler(options());
    sleep_s(14.0);  // perfrunner "missed" these seconds
    // the last 6 s, in steps longer than the 1-s scrape interval (each step sees a newer sample than the one
    // before); the backfill also reads the step before them (>= 3 s after the first scrapes) for a CPU
    // baseline
    const double end = 2.0 * std::floor((pt::unix_now() - 1.0) / 2.0);
    const auto readings = sampler.backfill(end - 6.0, end, 2.0);
    ASSERT_EQ(readings.size(), 4U);
    int with_cpu = 0;
    for (const auto& r : readings) {
        SCOPED_TRACE(r.time);
        EXPECT_EQ(std::fmod(r.time, 2.0), 0.0);
        const auto* a = find(r.reading, a_);
        ASSERT_NE(a, nullptr);
        EXPECT_EQ(a->memory_used_mb, 50.0);
        if (!a->cpu_percent) {
            // only when a loaded Prometheus scraped nothing new between two steps: the cAdvisor source's rule
            EXPECT_TRUE(a->stale);
            continue;
        }
        ++with_cpu;
        // counter deltas over the exporter's own timestamps: exact, however irregular the scrapes
        EXPECT_NEAR(*a->cpu_percent, 25.0, 0.01);
    }
    EXPECT_GE(with_cpu, 3);
}
