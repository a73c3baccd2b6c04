// Two Docker hosts on one machine (issue 13, must show): the default engine ("main") and a second engine
// ("edge", tests/stack/dockerd2.sh) with its own cAdvisor. The bundled stand-in is split across them by
// docker.hosts + containers[].host: the simulation on edge, Kafka, Redis and the monitoring on main. A short
// baseline run: every container sample in results.json names the host the container really runs on (the
// stack's cAdvisor container exists on both engines: two containers), and a process OOM-killed inside the
// simulation's container on edge is detected, attributed to edge, and ends the run with exit 3.
#include "two_hosts_support.hpp"

namespace e2e = perfrunner::e2e;
using nlohmann::json;
using perfrunner::e2e::TwoHostsE2E;

TEST_F(TwoHostsE2E, EveryContainerOnItsHostAndAnOomOnTheSecondHost) {
    const auto out = e2e::fresh_dir("two-hosts");
    std::vector<std::string> sets = split_stack_sets(false);
    for (const char* s : {"sampling.interval_seconds=1", "sampling.warmup_seconds=1",
                          "scenarios.baseline_duration_seconds=40", "sampling.checkpoint_every_samples=5"}) {
        sets.emplace_back(s);
    }
    const auto log = out.parent_path() / (out.filename().string() + ".log");
    // The simulation's memory limit is low enough for a memory hog to be OOM-killed quickly.
    e2e::Process p(e2e::run_argv(out, {"--scenarios", "baseline"}, sets), {{"SIM_MEM_LIMIT", "128m"}}, log,
                   e2e::source_dir());
    const std::size_t seen = e2e::wait_for_journal_samples(out, 6, 150.0);
    ASSERT_GE(seen, 6u) << e2e::read_text(log);
    // Only the edge engine has a rideshare-simulation: the hog can only run there.
    ASSERT_EQ(
        e2e::run_quiet({"sh", "-c", edge_docker() + " exec -d rideshare-simulation sh -c 'tail /dev/zero'"}),
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
    auto hosts = e2e::attribute_hosts(s.at("samples"), expected);
    EXPECT_TRUE(hosts.unexpected.empty()) << hosts.unexpected.front();
    for (const auto& [key, host] : expected) {
        EXPECT_GE(hosts.with_figures[key], 3u) << key << " on " << host;
        std::printf("TWO-HOSTS | %s | %zu samples with figures\n", key.c_str(), hosts.with_figures[key]);
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
}
