// metrics_sources_bench: the cost of one tick of each metrics source, side by side in one run against the
// bundled stack: perfrunner's cAdvisor source (cAdvisor's REST API) and its Prometheus source (the stack's
// Prometheus). Each tick polls both, in alternating order. A program run by hand, not a test.
//
//   metrics_sources_bench [--seconds 120] [--interval 2] [--cadvisor http://127.0.0.1:18089]
//                         [--prometheus http://127.0.0.1:19090]
//
// Prints per source: requests per tick and KiB of one tick's answers, perfrunner's CPU per tick (this
// thread's CPU time inside poll()), poll latency p50/p95; and the CPU the stack's cAdvisor and Prometheus
// containers used meanwhile (their own figures, from the cAdvisor source), i.e. what the monitoring side
// costs at the stack's scrape interval.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "perfrunner/adapters/cadvisor_sampler.hpp"
#include "perfrunner/adapters/prometheus_sampler.hpp"

namespace {

namespace ad = perfrunner::adapters;

double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double wall_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) {
        return 0.0;
    }
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

struct Cost {
    std::vector<double> cpu_ms;
    std::vector<double> latency_ms;
};

// Bytes of one answer to the request a source sends (same method, URL and body).
std::size_t answer_bytes(const std::string& url, const std::optional<std::string>& body) {
    ad::HttpClient http(ad::HttpClientOptions{});
    ad::HttpRequest request;
    request.url = url;
    request.body = body;
    return http.send_ok(request).body.size();
}

}  // namespace

int main(int argc, char** argv) {
    double duration = 120.0;
    double interval = 2.0;
    std::string cadvisor_url = "http://127.0.0.1:18089";
    std::string prometheus_url = "http://127.0.0.1:19090";
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--seconds") {
            duration = std::stod(argv[i + 1]);
        } else if (flag == "--interval") {
            interval = std::stod(argv[i + 1]);
        } else if (flag == "--cadvisor") {
            cadvisor_url = argv[i + 1];
        } else if (flag == "--prometheus") {
            prometheus_url = argv[i + 1];
        } else {
            std::fprintf(stderr, "unknown option %s\n", flag.c_str());
            return 2;
        }
    }
    const std::vector<std::string> containers = {"rideshare-simulation", "rideshare-kafka", "rideshare-redis",
                                                 "rideshare-cadvisor", "rideshare-prometheus"};
    ad::CadvisorSamplerOptions co;
    co.base_url = cadvisor_url;
    ad::PrometheusSamplerOptions po;
    po.client.base_url = prometheus_url;
    po.labels.host_label = "host";
    for (const auto& name : containers) {
        co.containers.push_back({name, std::nullopt});
        po.containers.push_back({name, std::nullopt});
    }
    ad::CadvisorSampler cadvisor(co);
    ad::PrometheusSampler prometheus(po);
    // one-time requests (machine info, targets) before counting
    cadvisor.poll();
    prometheus.poll();
    const std::size_t p0 = prometheus.client().requests_sent();

    Cost cost_c;
    Cost cost_p;
    std::map<std::string, std::pair<double, int>> monitoring_cpu;
    int failures = 0;
    const double start = wall_seconds();
    long ticks = 0;
    for (long k = 1; wall_seconds() - start < duration; ++k) {
        for (int which = 0; which < 2; ++which) {
            const bool cadvisor_first = (k % 2) == 0;
            const bool do_cadvisor = (which == 0) == cadvisor_first;
            const double w0 = wall_seconds();
            const double t0 = thread_cpu_seconds();
            const auto reading = do_cadvisor ? cadvisor.poll() : prometheus.poll();
            const double t1 = thread_cpu_seconds();
            const double w1 = wall_seconds();
            Cost& cost = do_cadvisor ? cost_c : cost_p;
            cost.cpu_ms.push_back((t1 - t0) * 1000.0);
            cost.latency_ms.push_back((w1 - w0) * 1000.0);
            failures += reading.ok ? 0 : 1;
            if (do_cadvisor) {
                for (const auto& c : reading.containers) {
                    if ((c.name == "rideshare-cadvisor" || c.name == "rideshare-prometheus") &&
                        c.cpu_percent) {
                        monitoring_cpu[c.name].first += *c.cpu_percent;
                        ++monitoring_cpu[c.name].second;
                    }
                }
            }
        }
        ++ticks;
        const double due = start + static_cast<double>(k) * interval;
        const double wait = due - wall_seconds();
        if (wait > 0) {
            std::this_thread::sleep_for(std::chrono::duration<double>(wait));
        }
    }
    auto mean = [](const std::vector<double>& v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.empty() ? 0.0 : s / static_cast<double>(v.size());
    };
    const double n = static_cast<double>(ticks);
    std::printf("metrics_sources_bench: %ld ticks at %.1f s, %zu containers, %d failed polls\n", ticks,
                interval, containers.size(), failures);
    std::printf("%-11s %13s %9s %22s %18s\n", "source", "requests/tick", "KiB/tick", "perfrunner CPU ms/tick",
                "latency ms p50/p95");
    // the cAdvisor source sends GET /api/v1.3/docker/ and GET /api/v1.3/containers/ (root) per tick, each
    // with the body {"num_stats":2} (cadvisor_sampler.cpp); the Prometheus source one GET /api/v1/query
    const std::string stats_body = R"({"num_stats":2})";
    const double cadvisor_kib =
        static_cast<double>(answer_bytes(cadvisor_url + "/api/v1.3/docker/", stats_body) +
                            answer_bytes(cadvisor_url + "/api/v1.3/containers/", stats_body)) /
        1024.0;
    const double prometheus_kib =
        static_cast<double>(
            answer_bytes(prometheus_url + "/api/v1/query?query=" + ad::url_encode(prometheus.tick_query()),
                         std::nullopt)) /
        1024.0;
    std::printf("%-11s %13.2f %9.1f %22.3f %10.1f / %5.1f\n", "cadvisor", 2.0, cadvisor_kib,
                mean(cost_c.cpu_ms), percentile(cost_c.latency_ms, 0.5), percentile(cost_c.latency_ms, 0.95));
    std::printf("%-11s %13.2f %9.1f %22.3f %10.1f / %5.1f\n", "prometheus",
                static_cast<double>(prometheus.client().requests_sent() - p0) / n, prometheus_kib,
                mean(cost_p.cpu_ms), percentile(cost_p.latency_ms, 0.5), percentile(cost_p.latency_ms, 0.95));
    for (const auto& [name, sum] : monitoring_cpu) {
        std::printf("server side: %-20s mean CPU %.2f %% of one core\n", name.c_str(),
                    sum.second > 0 ? sum.first / sum.second : 0.0);
    }
    std::printf(
        "(Prometheus window %.0f s, scrape interval %.0f s; cAdvisor source requests per tick from its "
        "code)\n",
        prometheus.window_seconds(), prometheus.scrape_interval_seconds().value_or(0.0));
    return failures == 0 ? 0 : 1;
}
