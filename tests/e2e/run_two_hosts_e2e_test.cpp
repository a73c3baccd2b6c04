// Two Docker hosts on one machine (issue 13, must show): the default engine ("main") and a second engine
// ("edge", tests/stack/dockerd2.sh) with its own cAdvisor. The bundled stand-in is split across them by
// docker.hosts + containers[].host: the simulation on edge, Kafka, Redis and the monitoring on main. A short
// baseline run: every container sample in results.json names the host the container really runs on (the
// stack's cAdvisor container exists on both engines: two containers), and a process OOM-killed inside the
// simulation's container on edge is detected, attributed to edge, and ends the run with exit 3.
#include <cstdio>
#include <set>

#include "run_e2e_support.hpp"

namespace e2e = perfrunner::e2e;
using nlohmann::json;

namespace {

constexpr const char* kEngine = "hosts";  // dockerd2.sh's engine name (its own folders and socket)
constexpr const char* kEdgeCadvisor = "http://127.0.0.1:18189";

std::string stack_script(const std::string& name) {
    return (e2e::source_dir() / "tests/stack" / name).string();
}

// stdout of a short shell command (test setup only; perfrunner itself never goes through a shell).
std::string shell_out(const std::string& command) {
    std::string out;
    if (FILE* p = ::popen(command.c_str(), "r")) {
        char buf[512];
        while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
        ::pclose(p);
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

struct SecondEngine {
    std::string socket;
    bool started = false;
    SecondEngine() {
        started = e2e::run_quiet({"bash", stack_script("dockerd2.sh"), "start", kEngine}, 90.0) == 0;
        socket = shell_out("bash " + stack_script("dockerd2.sh") + " socket " + kEngine);
    }
    ~SecondEngine() { e2e::run_quiet({"bash", stack_script("dockerd2.sh"), "stop", kEngine}, 90.0); }
    std::string endpoint() const { return "unix://" + socket; }
};

}  // namespace

TEST(TwoHostsE2E, EveryContainerOnItsHostAndAnOomOnTheSecondHost) {
    PERFRUNNER_REQUIRE_STACK_OR_SKIP();
    SecondEngine edge;
    ASSERT_TRUE(edge.started) << "tests/stack/dockerd2.sh start " << kEngine;
    const std::string engine2 = "docker -H " + edge.endpoint();
    // Images move without a registry; the edge cAdvisor is the stack's cAdvisor service on that engine (its
    // own compose project, another port), naming that engine's containers.
    ASSERT_EQ(e2e::run_quiet({"sh", "-c",
                              "docker save perfrunner/standin-simulation:local perfrunner/cadvisor:local | " +
                                  engine2 + " load -q"},
                             180.0),
              0);
    ASSERT_EQ(e2e::run_quiet({"bash", "-c",
                              "cd " + stack_script("") +
                                  " && . ./lib.sh && STACK_PROJECT=perfrunner-stack-edge "
                                  "DOCKER_HOST=" +
                                  edge.endpoint() + " CADVISOR_PORT=18189 CADVISOR_DOCKER_ENDPOINT=" +
                                  edge.endpoint() + " compose --profile monitoring up -d cadvisor"},
                             120.0),
              0);

    const auto out = e2e::fresh_dir("two-hosts");
    const std::vector<std::string> sets = {
        "docker.hosts=[\"main=unix:///var/run/docker.sock\",\"edge=" + edge.endpoint() + "\"]",
        std::string("docker.host_cadvisor_urls=[\"edge=") + kEdgeCadvisor + "\"]",
        "containers=[{\"name\":\"rideshare-simulation\",\"profile\":\"core\",\"cpu_cores\":1.0,\"host\":"
        "\"edge\"},"
        "{\"name\":\"rideshare-kafka\",\"profile\":\"core\",\"cpu_cores\":0.5,\"host\":\"main\"},"
        "{\"name\":\"rideshare-redis\",\"profile\":\"core\",\"cpu_cores\":0.25,\"host\":\"main\"},"
        "{\"name\":\"rideshare-cadvisor\",\"profile\":\"monitoring\",\"cpu_cores\":0.5,\"host\":\"main\"}]",
        "docker.profiles=[\"core\",\"monitoring\"]",
        "sampling.interval_seconds=1",
        "sampling.warmup_seconds=1",
        "scenarios.baseline_duration_seconds=40",
        "sampling.checkpoint_every_samples=5"};
    const auto log = out.parent_path() / (out.filename().string() + ".log");
    // The simulation's memory limit is low enough for a memory hog to be OOM-killed quickly.
    e2e::Process p(e2e::run_argv(out, {"--scenarios", "baseline"}, sets), {{"SIM_MEM_LIMIT", "128m"}}, log,
                   e2e::source_dir());
    const std::size_t seen = e2e::wait_for_journal_samples(out, 6, 150.0);
    ASSERT_GE(seen, 6u) << e2e::read_text(log);
    // Only the edge engine has a rideshare-simulation: the hog can only run there.
    ASSERT_EQ(e2e::run_quiet({"sh", "-c", engine2 + " exec -d rideshare-simulation sh -c 'tail /dev/zero'"}),
              0);
    const auto code = p.wait(150.0);
    ASSERT_TRUE(code.has_value()) << e2e::read_text(log);
    const auto run = e2e::read_json(out / "results.json");
    ASSERT_TRUE(run.has_value()) << e2e::read_text(log);
    const json& s = (*run)["scenarios"][0];

    // Every container sample names its host, and the host is the one it runs on.
    const std::map<std::string, std::string> expected = {{"rideshare-simulation@edge", "edge"},
                                                         {"rideshare-kafka@main", "main"},
                                                         {"rideshare-redis@main", "main"},
                                                         {"rideshare-cadvisor@main", "main"},
                                                         {"rideshare-cadvisor@edge", "edge"}};
    std::map<std::string, std::size_t> seen_with_figures;
    std::set<std::string> unexpected;
    for (const auto& sample : s.at("samples")) {
        if (!sample.at("containers").is_object()) continue;
        for (const auto& [key, c] : sample.at("containers").items()) {
            const auto it = expected.find(key);
            if (it == expected.end() || c.value("host", "") != it->second) {
                unexpected.insert(key + " host " + c.value("host", "(none)"));
            } else if (!c.value("missing", false)) {
                ++seen_with_figures[key];
            }
        }
    }
    EXPECT_TRUE(unexpected.empty()) << *unexpected.begin();
    for (const auto& [key, host] : expected) {
        EXPECT_GE(seen_with_figures[key], 3u) << key << " on " << host;
        std::printf("TWO-HOSTS | %s | %zu samples with figures\n", key.c_str(), seen_with_figures[key]);
    }

    // The OOM on the second host: detected, named with that host, the run ends by rule.
    ASSERT_FALSE(s.at("oom_events").empty()) << e2e::read_text(log);
    const json& oom = s.at("oom_events")[0];
    EXPECT_EQ(oom.at("container_name"), "rideshare-simulation");
    EXPECT_EQ(oom.value("host", ""), "edge");
    EXPECT_EQ(*code, 3) << e2e::read_text(log);
    EXPECT_NE(s.value("abort_reason", std::string()).find("rideshare-simulation@edge"), std::string::npos)
        << s.value("abort_reason", std::string());
    std::printf("TWO-HOSTS | OOM | %s on %s, source %s, exit %d\n",
                oom.at("container_name").get<std::string>().c_str(), oom.value("host", "").c_str(),
                oom.value("source", "").c_str(), *code);

    // The next test expects the bundled stack up on the default engine, as always.
    e2e::run_quiet({"bash", stack_script("up.sh")}, 240.0);
}
