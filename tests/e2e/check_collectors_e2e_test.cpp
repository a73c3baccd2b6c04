// The collectors against the real engine and the real cAdvisor of tests/stack: CPU of a CPU-limited busy
// loop, memory against `docker stats`, and an OOM kill of a child process inside a container that keeps
// running.
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "e2e/check_support.hpp"
#include "perfrunner/adapters/cadvisor_sampler.hpp"
#include "perfrunner/adapters/docker_cli.hpp"

namespace ad = perfrunner::adapters;
using namespace perfrunner::e2e_check;

namespace {

double epoch_now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

ad::CadvisorSampler sampler_for(const std::string& name) {
    ad::CadvisorSamplerOptions o;
    o.base_url = kCadvisorUrl;
    o.containers.push_back({name, std::nullopt});
    return ad::CadvisorSampler(o);
}

// Polls until cAdvisor reports the container with a CPU figure (it needs two polls with new stats).
std::optional<perfrunner::ports::ContainerReading> wait_for_reading(ad::CadvisorSampler& sampler,
                                                                    double timeout) {
    const double until = epoch_now() + timeout;
    while (epoch_now() < until) {
        const auto r = sampler.poll();
        if (r.ok && !r.containers.empty() && r.containers[0].cpu_percent) return r.containers[0];
        std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    return std::nullopt;
}

// This process's own `docker events` children (the OOM watch's stream), by /proc: parent pid and argv.
std::vector<pid_t> own_event_streams() {
    std::vector<pid_t> out;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string pid = entry.path().filename().string();
        if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream stat(entry.path() / "stat");
        std::string line;
        std::getline(stat, line);
        const auto close = line.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream rest(line.substr(close + 2));
        std::string state;
        long ppid = 0;
        rest >> state >> ppid;
        if (ppid != ::getpid()) continue;
        std::ifstream cmd(entry.path() / "cmdline");
        const std::string argv((std::istreambuf_iterator<char>(cmd)), std::istreambuf_iterator<char>());
        if (argv.rfind(std::string("docker\0events\0", 14), 0) == 0) out.push_back(std::stoi(pid));
    }
    return out;
}

// "30.52MiB / 128MiB" -> 30.52 (MiB).
double docker_stats_mib(const std::string& mem_usage) {
    std::smatch m;
    const std::regex re(R"(^\s*([0-9.]+)\s*([KMG]i?B|B))");
    if (!std::regex_search(mem_usage, m, re)) return -1;
    const double v = std::stod(m[1].str());
    const std::string unit = m[2].str();
    if (unit == "B") return v / 1048576.0;
    if (unit[0] == 'K') return v / 1024.0;
    if (unit[0] == 'M') return v;
    return v * 1024.0;
}

}  // namespace

TEST(CollectorsE2E, BusyLoopLimitedToHalfACpuReads45To55Percent) {
    PERFRUNNER_REQUIRE_REAL_STACK();
    ScopedContainer burner("pr-e2e-burner");
    const auto started =
        run({"docker", "run", "-d", "--name", burner.name(), "--network", "host", "--cpus", "0.5", "--memory",
             "64m", "--init", kBusybox, "sh", "-c", "while :; do :; done"});
    ASSERT_TRUE(started.ok()) << started.err;
    auto sampler = sampler_for(burner.name());
    const auto first = wait_for_reading(sampler, 30.0);
    ASSERT_TRUE(first) << "cAdvisor never reported " << burner.name();
    EXPECT_EQ(first->cores_source, "quota");
    EXPECT_DOUBLE_EQ(first->cpu_cores_effective, 0.5);
    EXPECT_DOUBLE_EQ(first->memory_limit_mb, 64.0);

    std::vector<double> values;
    for (int i = 0; i < 6; ++i) {
        std::this_thread::sleep_for(std::chrono::seconds(2));
        const auto r = sampler.poll();
        ASSERT_TRUE(r.ok) << r.error;
        ASSERT_EQ(r.containers.size(), 1u);
        if (r.containers[0].cpu_percent) values.push_back(*r.containers[0].cpu_percent);
    }
    ASSERT_GE(values.size(), 4u);
    double sum = 0;
    for (double v : values) {
        sum += v;
        RecordProperty("cpu_percent", std::to_string(v));
        EXPECT_GE(v, 45.0);
        EXPECT_LE(v, 55.0);
    }
    const double mean = sum / static_cast<double>(values.size());
    std::printf("busy loop under --cpus 0.5: cAdvisor CPU %% per poll:");
    for (double v : values) std::printf(" %.2f", v);
    std::printf(" (mean %.2f)\n", mean);
    EXPECT_GE(mean, 45.0);
    EXPECT_LE(mean, 55.0);
}

TEST(CollectorsE2E, WorkingSetMatchesDockerStatsWithin5Percent) {
    PERFRUNNER_REQUIRE_REAL_STACK();
    ScopedContainer holder("pr-e2e-memholder");
    // awk keeps a 40 MB string alive while it waits.
    const auto started =
        run({"docker", "run", "-d", "--name", holder.name(), "--network", "host", "--memory", "128m",
             "--init", kBusybox, "awk", "BEGIN{s=sprintf(\"%40000000s\",\"\"); system(\"sleep 600\")}"});
    ASSERT_TRUE(started.ok()) << started.err;
    auto sampler = sampler_for(holder.name());
    ASSERT_TRUE(wait_for_reading(sampler, 30.0)) << "cAdvisor never reported " << holder.name();
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const auto before = sampler.poll();
    const auto stats = run({"docker", "stats", "--no-stream", "--format", "{{json .}}", holder.name()}, 30.0);
    const auto after = sampler.poll();
    ASSERT_TRUE(stats.ok()) << stats.err;
    ASSERT_TRUE(before.ok && after.ok && !before.containers.empty() && !after.containers.empty());
    const auto doc = nlohmann::json::parse(stats.out);
    const double docker_mib = docker_stats_mib(doc.at("MemUsage").get<std::string>());
    const double cadvisor_mib =
        (before.containers[0].memory_used_mb + after.containers[0].memory_used_mb) / 2.0;
    std::printf("memory: cAdvisor working set %.2f MiB, docker stats %.2f MiB (%s), limit %.0f MiB\n",
                cadvisor_mib, docker_mib, doc.at("MemUsage").get<std::string>().c_str(),
                after.containers[0].memory_limit_mb);
    EXPECT_GT(cadvisor_mib, 35.0) << "the 40 MB string should be resident";
    EXPECT_NEAR(cadvisor_mib, docker_mib, 0.05 * docker_mib);
    EXPECT_DOUBLE_EQ(after.containers[0].memory_limit_mb, 128.0);
    EXPECT_NEAR(after.containers[0].memory_percent, 100.0 * after.containers[0].memory_used_mb / 128.0, 1e-9);
    ASSERT_TRUE(after.containers[0].memory_rss_mb);
    EXPECT_GT(*after.containers[0].memory_rss_mb, 35.0);
}

TEST(CollectorsE2E, OomKillOfAChildInARunningContainerIsReportedOnce) {
    PERFRUNNER_REQUIRE_REAL_STACK();
    ScopedContainer hog("pr-e2e-oomchild");
    ad::DockerCliOptions o;
    o.compose_file = compose_file();
    o.profiles = {"core", "monitoring"};
    o.expected_containers = {hog.name()};
    ad::DockerCli docker(o);
    const double t0 = epoch_now();
    docker.begin_oom_watch(t0);
    // dd allocates a 100 MB buffer under a 32 MB limit: the kernel kills dd, the shell keeps running.
    const auto started = run({"docker", "run", "-d", "--name", hog.name(), "--network", "host", "--memory",
                              "32m", "--memory-swap", "32m", "--init", kBusybox, "sh", "-c",
                              "dd if=/dev/zero of=/dev/null bs=100M count=1; sleep 600"});
    ASSERT_TRUE(started.ok()) << started.err;
    std::vector<perfrunner::model::OomEvent> events;
    for (int i = 0; i < 15 && events.empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::seconds(1));
        auto got = docker.poll_oom(epoch_now());
        events.insert(events.end(), got.begin(), got.end());
    }
    ASSERT_EQ(events.size(), 1u);
    const auto& e = events[0];
    EXPECT_EQ(e.container_name, hog.name());
    EXPECT_EQ(e.source.value_or(""), "docker_event");
    EXPECT_GE(e.timestamp, t0 - 1.0);
    EXPECT_LE(e.timestamp, epoch_now());
    std::printf("OOM event: %s at %s source %s evidence: %s\n", e.container_name.c_str(),
                e.timestamp_iso.c_str(), e.source->c_str(), e.evidence->c_str());
    // The container is still running and OOMKilled is still false: only the events show the kill.
    const auto states = docker.inspect({hog.name()});
    ASSERT_EQ(states.size(), 1u);
    EXPECT_TRUE(states[0].running);
    EXPECT_FALSE(states[0].oom_killed);
    // Reported once.
    std::this_thread::sleep_for(std::chrono::seconds(1));
    EXPECT_TRUE(docker.poll_oom(epoch_now()).empty());
}

TEST(CollectorsE2E, AKilledEventStreamIsRestartedAndAKillDuringTheGapIsStillReported) {
    PERFRUNNER_REQUIRE_REAL_STACK();
    ScopedContainer hog("pr-e2e-oomgap");
    ad::DockerCliOptions o;
    o.compose_file = compose_file();
    o.profiles = {"core", "monitoring"};
    o.expected_containers = {hog.name()};
    ad::DockerCli docker(o);
    docker.begin_oom_watch(epoch_now());
    EXPECT_TRUE(docker.poll_oom(epoch_now()).empty());
    const auto streams = own_event_streams();
    ASSERT_EQ(streams.size(), 1u) << "one docker events process for the watch";
    const long started = docker.processes_started();
    ASSERT_EQ(::kill(streams[0], SIGKILL), 0);
    // The kill happens while no stream runs; the next poll finds the stream dead.
    const auto run_hog = run({"docker", "run", "-d", "--name", hog.name(), "--network", "host", "--memory",
                              "32m", "--memory-swap", "32m", "--init", kBusybox, "sh", "-c",
                              "dd if=/dev/zero of=/dev/null bs=100M count=1; sleep 600"});
    ASSERT_TRUE(run_hog.ok()) << run_hog.err;
    std::this_thread::sleep_for(std::chrono::seconds(2));
    std::vector<perfrunner::model::OomEvent> events;
    std::vector<std::string> notes;
    for (int i = 0; i < 15 && events.empty(); ++i) {
        auto got = docker.poll_oom(epoch_now());
        events.insert(events.end(), got.begin(), got.end());
        for (auto& n : docker.take_notes()) notes.push_back(n);
        std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].container_name, hog.name());
    EXPECT_EQ(events[0].source.value_or(""), "docker_event");
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_NE(notes[0].find("docker events stream ended (killed by signal 9)"), std::string::npos)
        << notes[0];
    std::printf("stream killed: note \"%s\"; OOM event %s at %s, evidence: %s\n", notes[0].c_str(),
                events[0].container_name.c_str(), events[0].timestamp_iso.c_str(),
                events[0].evidence->c_str());
    const auto restarted = own_event_streams();
    ASSERT_EQ(restarted.size(), 1u);
    EXPECT_NE(restarted[0], streams[0]);
    // One new stream and the gap's one inspect of every container (plus the inspect the oom event asked for).
    EXPECT_LE(docker.processes_started() - started, 3);
    std::this_thread::sleep_for(std::chrono::seconds(1));
    EXPECT_TRUE(docker.poll_oom(epoch_now()).empty());
}
