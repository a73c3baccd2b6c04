// Two Docker hosts read through ONE Prometheus (issue 13's test topology): the stack's Prometheus (on main)
// scrapes both engines' cAdvisors, each target labelled with its host (`host=main`, `host=edge`: the names of
// docker.hosts, perfrunner's metrics.host_label), and the simulation's /metrics on edge. A short baseline run
// with metrics.source "prometheus": every container sample names the host it really runs on (the stack's
// cAdvisor exists on both engines: two containers), with figures (memory and CPU) and the throughput from the
// simulation's counter. Then `perfrunner check` on the split stack, left up by --keep-stack: every host has
// its own lines (docker@HOST, container@HOST, cadvisor@HOST; Prometheus targets by host); a container
// configured on the wrong host is named (its series carry the other host); with the edge engine's cAdvisor
// stopped, check names edge and exits 1 (README "Exit codes"), with either source.
#include <chrono>
#include <thread>

#include "perfrunner/adapters/process.hpp"
#include "two_hosts_support.hpp"

namespace e2e = perfrunner::e2e;
using perfrunner::e2e::TwoHostsE2E;
namespace ad = perfrunner::adapters;
using nlohmann::json;

namespace {

// The Prometheus scrape targets, as tests/stack/prometheus-entrypoint.sh reads them ("host=address ...").
const std::map<std::string, std::string> kPrometheusOverBothEngines = {
    {"PROMETHEUS_CADVISOR_TARGETS",
     std::string("main=") + e2e::kMainCadvisorAddress + " edge=" + e2e::kEdgeCadvisorAddress},
    {"PROMETHEUS_SIMULATION_TARGETS", "edge=127.0.0.1:18000"}};

// `perfrunner check --json` with the demo config and `sets`; stdout parsed (null when it is not JSON).
struct CheckRun {
    int exit_code = -1;
    json doc;
    std::string text;
};

CheckRun check(const std::vector<std::string>& sets) {
    std::vector<std::string> argv{e2e::perfrunner_binary(), "--config",
                                  (e2e::source_dir() / "config/demo.json").string(), "--set",
                                  "api.api_key=dev-api-key-change-in-production"};
    for (const auto& s : sets) {
        argv.push_back("--set");
        argv.push_back(s);
    }
    argv.emplace_back("check");
    argv.emplace_back("--json");
    ad::ProcessOptions o;
    o.timeout_seconds = 120.0;
    o.working_directory = e2e::source_dir();
    const auto r = ad::run_process(argv, o);
    CheckRun out;
    out.exit_code = r.exit_code;
    out.text = r.out + r.err;
    out.doc = json::parse(r.out, nullptr, false);
    return out;
}

// The check rows of `area` as "item: status detail" lines (printed, and searched by the test).
std::vector<std::string> rows_of(const CheckRun& c, const std::string& area) {
    std::vector<std::string> rows;
    if (!c.doc.is_object()) return rows;
    for (const auto& r : c.doc.at("checks")) {
        if (r.at("area") == area) {
            rows.push_back(r.at("item").get<std::string>() + ": " + r.at("status").get<std::string>() + " " +
                           r.at("detail").get<std::string>());
        }
    }
    return rows;
}

// The problem lines (the text output's end).
std::vector<std::string> problems_of(const CheckRun& c) {
    std::vector<std::string> lines;
    if (c.doc.is_object()) {
        for (const auto& p : c.doc.at("problems")) lines.push_back(p.get<std::string>());
    }
    return lines;
}

bool any_contains(const std::vector<std::string>& lines, const std::string& text) {
    for (const auto& l : lines) {
        if (l.find(text) != std::string::npos) return true;
    }
    return false;
}

void print_rows(const char* what, const CheckRun& c) {
    if (!c.doc.is_object()) return;
    for (const auto& r : c.doc.at("checks")) {
        std::printf("TWO-HOSTS CHECK %s | %s | %s | %s | %s\n", what, r.at("area").get<std::string>().c_str(),
                    r.at("item").get<std::string>().c_str(), r.at("status").get<std::string>().c_str(),
                    r.at("detail").get<std::string>().c_str());
    }
}

}  // namespace

TEST_F(TwoHostsE2E, OnePrometheusOverBothEnginesThenCheckPerHost) {
    if (e2e::run_quiet({"docker", "image", "inspect", "perfrunner/prometheus:local"}) != 0) {
        const char* req = std::getenv("PERFRUNNER_REQUIRE_STACK");
        if (req != nullptr && std::string(req) == "1") FAIL() << "image perfrunner/prometheus:local missing";
        GTEST_SKIP() << "image perfrunner/prometheus:local missing (tests/stack/up.sh builds it)";
    }
    const auto started = std::chrono::steady_clock::now();
    const auto out = e2e::fresh_dir("two-hosts-prometheus");
    std::vector<std::string> sets = split_stack_sets(true);
    for (const char* s :
         {"metrics.source=prometheus", "metrics.host_label=host", "sampling.interval_seconds=1",
          "sampling.warmup_seconds=2", "scenarios.baseline_duration_seconds=15"}) {
        sets.emplace_back(s);
    }
    const auto log = out.parent_path() / (out.filename().string() + ".log");
    // perfrunner's clean restart recreates the stack's Prometheus on main with these targets (compose reads
    // them from perfrunner's environment); --keep-stack leaves the split stack up for check.
    e2e::Process p(e2e::run_argv(out, {"--scenarios", "baseline", "--keep-stack"}, sets),
                   kPrometheusOverBothEngines, log, e2e::source_dir());
    const auto code = p.wait(240.0);
    ASSERT_TRUE(code.has_value()) << e2e::read_text(log);
    EXPECT_EQ(*code, 0) << e2e::read_text(log);
    const auto run = e2e::read_json(out / "results.json");
    ASSERT_TRUE(run.has_value()) << e2e::read_text(log);
    const json& samples = (*run)["scenarios"][0].at("samples");

    const std::map<std::string, std::string> expected = {
        {"rideshare-simulation@edge", "edge"}, {"rideshare-kafka@main", "main"},
        {"rideshare-redis@main", "main"},      {"rideshare-cadvisor@main", "main"},
        {"rideshare-cadvisor@edge", "edge"},   {"rideshare-prometheus@main", "main"}};
    auto hosts = e2e::attribute_hosts(samples, expected);
    EXPECT_TRUE(hosts.unexpected.empty()) << hosts.unexpected.front();
    for (const auto& [key, host] : expected) {
        std::size_t with_cpu = 0;
        double cpu = 0.0;
        double memory = 0.0;
        for (const auto& sample : samples) {
            const auto& cs = sample.at("containers");
            if (!cs.is_object() || !cs.contains(key) || cs.at(key).value("missing", false)) continue;
            memory += cs.at(key).value("memory_used_mb", 0.0);
            if (cs.at(key).contains("cpu_percent") && cs.at(key).at("cpu_percent").is_number()) {
                cpu += cs.at(key).at("cpu_percent").get<double>();
                ++with_cpu;
            }
        }
        const std::size_t n = hosts.with_figures[key];
        EXPECT_GE(n, 8u) << key << " on " << host;
        EXPECT_GE(with_cpu, 5u) << key << " on " << host;
        EXPECT_GT(memory, 0.0) << key;
        std::printf(
            "TWO-HOSTS PROMETHEUS | %s | %zu samples with figures, %zu with CPU | mean CPU %.2f %% | "
            "mean memory %.2f MB\n",
            key.c_str(), n, with_cpu, with_cpu > 0 ? cpu / static_cast<double>(with_cpu) : 0.0,
            n > 0 ? memory / static_cast<double>(n) : 0.0);
    }
    // The throughput comes from the simulation's counter on edge, through the same Prometheus.
    std::size_t with_throughput = 0;
    for (const auto& sample : samples) {
        if (sample.contains("pace") && sample.at("pace").contains("events_per_sec") &&
            sample.at("pace").at("events_per_sec").is_number()) {
            ++with_throughput;
        }
    }
    EXPECT_GE(with_throughput, 5u);
    std::printf("TWO-HOSTS PROMETHEUS | %zu samples, %zu with events_per_sec | run %.1f s\n", samples.size(),
                with_throughput,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());

    // check over the two real engines, both sources: every host has its own lines.
    const std::vector<std::string> prometheus_sets = sets;
    std::vector<std::string> cadvisor_sets = split_stack_sets(true);
    cadvisor_sets.emplace_back("sampling.interval_seconds=1");
    const auto via_cadvisor = check(cadvisor_sets);
    print_rows("cadvisor", via_cadvisor);
    EXPECT_EQ(via_cadvisor.exit_code, 0) << via_cadvisor.text;
    for (const char* host : {"main", "edge"}) {
        EXPECT_FALSE(rows_of(via_cadvisor, std::string("docker@") + host).empty()) << host;
        EXPECT_FALSE(rows_of(via_cadvisor, std::string("cadvisor@") + host).empty()) << host;
    }
    EXPECT_TRUE(any_contains(rows_of(via_cadvisor, "container@edge"), "rideshare-simulation: ok"));
    EXPECT_TRUE(any_contains(rows_of(via_cadvisor, "cadvisor@edge"), "rideshare-simulation: ok"));
    EXPECT_TRUE(any_contains(rows_of(via_cadvisor, "container@main"), "rideshare-kafka: ok"));
    const auto via_prometheus = check(prometheus_sets);
    print_rows("prometheus", via_prometheus);
    EXPECT_EQ(via_prometheus.exit_code, 0) << via_prometheus.text;
    const auto targets = rows_of(via_prometheus, "prometheus");
    EXPECT_TRUE(any_contains(targets, std::string(e2e::kEdgeCadvisorAddress) + ": ok up (host edge)"));
    EXPECT_TRUE(any_contains(targets, std::string(e2e::kMainCadvisorAddress) + ": ok up (host main)"));
    EXPECT_TRUE(any_contains(targets, "rideshare-simulation: ok host edge"));

    // Kafka configured on edge although it runs on main: its series name main, and check says so.
    std::vector<std::string> misplaced = prometheus_sets;
    for (auto& set : misplaced) {
        const std::string kafka_on_main =
            R"("rideshare-kafka","profile":"core","cpu_cores":0.5,"host":"main")";
        if (const auto at = set.find(kafka_on_main); at != std::string::npos) {
            set.replace(at, kafka_on_main.size(),
                        R"("rideshare-kafka","profile":"core","cpu_cores":0.5,"host":"edge")");
        }
    }
    const auto kafka_misplaced = check(misplaced);
    print_rows("prometheus, kafka configured on edge", kafka_misplaced);
    EXPECT_EQ(kafka_misplaced.exit_code, 1) << kafka_misplaced.text;
    EXPECT_TRUE(any_contains(rows_of(kafka_misplaced, "prometheus"),
                             "rideshare-kafka: problem series on host main, configured on edge"));

    // The edge engine's cAdvisor stopped: check names that host and exits 1, with either source.
    ASSERT_EQ(e2e::run_quiet({"sh", "-c", edge_docker() + " stop -t 1 rideshare-cadvisor"}, 60.0), 0);
    std::this_thread::sleep_for(std::chrono::seconds(3));  // a few failed scrapes: the target is down
    const auto edge_down_cadvisor = check(cadvisor_sets);
    print_rows("cadvisor, edge cAdvisor stopped", edge_down_cadvisor);
    EXPECT_EQ(edge_down_cadvisor.exit_code, 1) << edge_down_cadvisor.text;
    EXPECT_TRUE(any_contains(rows_of(edge_down_cadvisor, "cadvisor@edge"), "problem"));
    EXPECT_FALSE(any_contains(rows_of(edge_down_cadvisor, "cadvisor@main"), "problem"));
    EXPECT_TRUE(any_contains(problems_of(edge_down_cadvisor), "cAdvisor of host edge: not reachable"));
    const auto edge_down_prometheus = check(prometheus_sets);
    print_rows("prometheus, edge cAdvisor stopped", edge_down_prometheus);
    EXPECT_EQ(edge_down_prometheus.exit_code, 1) << edge_down_prometheus.text;
    EXPECT_TRUE(any_contains(rows_of(edge_down_prometheus, "prometheus"),
                             std::string(e2e::kEdgeCadvisorAddress) + ": problem down (host edge)"));
    EXPECT_FALSE(any_contains(rows_of(edge_down_prometheus, "prometheus"),
                              std::string(e2e::kMainCadvisorAddress) + ": problem"));
    // the simulation's series are stale by then, or by the figures' poll: a problem row either way
    EXPECT_TRUE(any_contains(rows_of(edge_down_prometheus, "prometheus"), "rideshare-simulation: problem"));
    EXPECT_TRUE(any_contains(problems_of(edge_down_prometheus),
                             std::string(e2e::kEdgeCadvisorAddress) + " (host edge) is down"));
    std::printf("TWO-HOSTS PROMETHEUS | whole test %.1f s\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
}
