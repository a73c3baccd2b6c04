// analyze_bench: how fast and how lean is `perfrunner analyze` on a big results.json?
//
// Generates a results.json of 1,000,000 container samples (20 containers x 50,000 ticks, spread over the four
// scenarios with valid metadata, values rounded like the reference's), then runs `perfrunner analyze --png
// never` on it as a child process and prints wall time, peak RSS (wait4 ru_maxrss), file size and peak RSS /
// file size. Goal (issue 2): < 5 s wall and peak RSS < 3x the file size on 2 cores.
//
// Usage: analyze_bench [--dir DIR] [--ticks N] [--containers N] [--binary PATH] [--keep]
//   --layers-only   time only the model layer (read + atomic rewrite, in a child process) instead of analyze
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "perfrunner/model/results_json.hpp"
#include "perfrunner/model/scenario_metadata_json.hpp"
#include "perfrunner/model/timestamps.hpp"

namespace fs = std::filesystem;
using namespace perfrunner::model;

namespace {

struct Options {
    fs::path dir = fs::temp_directory_path() / "perfrunner-analyze-bench";
    long ticks = 50'000;
    int containers = 20;
    std::string binary = PERFRUNNER_BINARY;
    bool keep = false;
    bool layers_only = false;
};

double round1(double x) {
    return std::round(x * 10.0) / 10.0;
}
double round2(double x) {
    return std::round(x * 100.0) / 100.0;
}

struct Generator {
    std::mt19937_64 rng{20260212};
    std::normal_distribution<double> noise{0.0, 1.0};
    double t0 = 1795722558.0;
    long tick = 0;

    Sample sample(RunResult& run, const std::vector<ContainerId>& ids, double load) {
        Sample s;
        s.timestamp = t0 + 2.0 * static_cast<double>(tick);
        s.timestamp_iso = iso_utc(s.timestamp);
        s.containers.reserve(ids.size());
        for (std::size_t i = 0; i < ids.size(); ++i) {
            ContainerSample c;
            c.container = ids[i];
            c.memory_limit_mb = i % 3 == 0 ? 1024.0 : 512.0;
            const double drift =
                i == 0 ? 0.0004 * static_cast<double>(tick) : 0.0;  // the simulation leaks a little
            c.memory_used_mb = round1(std::max(
                1.0, 100.0 + 10.0 * static_cast<double>(i) + 150.0 * load + drift + 2.0 * noise(rng)));
            c.memory_percent = round1(c.memory_used_mb / c.memory_limit_mb * 100.0);
            c.cpu_percent = round1(std::max(0.0, 2.0 + 60.0 * load * (i < 3 ? 1.0 : 0.1) + 3.0 * noise(rng)));
            s.containers.push_back(c);
        }
        (void)run;
        ++tick;
        return s;
    }
};

RunResult generate(const Options& o) {
    RunResult run;
    Generator g;
    std::vector<ContainerId> ids;
    for (int i = 0; i < o.containers; ++i) {
        static const char* known[] = {"rideshare-simulation", "rideshare-kafka", "rideshare-redis",
                                      "rideshare-osrm", "rideshare-stream-processor"};
        ids.push_back(run.intern(i < 5 ? std::string(known[i]) : "rideshare-service-" + std::to_string(i)));
    }
    run.test_id = test_id_utc(g.t0);
    run.started_at = iso_utc(g.t0);
    run.config = nlohmann::json::parse(R"({"api": {"base_url": "http://127.0.0.1:8000"},
        "docker": {"compose_file": "infrastructure/docker/compose.yml", "profiles": ["core", "data-pipeline", "monitoring"]},
        "sampling": {"interval_seconds": 2.0, "warmup_seconds": 10.0},
        "scenarios": {"duration_active_minutes": 5, "duration_cooldown_minutes": 10, "duration_drain_timeout_seconds": 600,
                      "stress_cpu_threshold_percent": 90.0, "stress_memory_threshold_percent": 90.0,
                      "speed_scaling_step_duration_minutes": 8, "speed_scaling_max_multiplier": 1024}})");

    const long n_base = o.ticks * 4 / 100, n_stress = o.ticks * 16 / 100, n_speed = o.ticks * 20 / 100;
    const long n_duration = o.ticks - n_base - n_stress - n_speed;
    auto scenario = [&](const char* name, long n, auto&& load_of) {
        ScenarioResult s;
        s.scenario_name = name;
        s.started_at = iso_utc(g.t0 + 2.0 * static_cast<double>(g.tick));
        s.samples.reserve(static_cast<std::size_t>(n));
        for (long k = 0; k < n; ++k) s.samples.push_back(g.sample(run, ids, load_of(k, n)));
        s.completed_at = iso_utc(g.t0 + 2.0 * static_cast<double>(g.tick));
        s.duration_seconds = 2.0 * static_cast<double>(n) + 12.5;
        return s;
    };

    run.scenarios.push_back(scenario("baseline", n_base, [](long, long) { return 0.0; }));

    ScenarioResult stress = scenario("stress_test", n_stress, [](long k, long n) {
        return static_cast<double>(k) / static_cast<double>(n);
    });
    stress.scenario_params = {{"cpu_threshold_percent", 90.0}, {"memory_threshold_percent", 90.0},
                              {"rolling_window_seconds", 10},  {"rolling_window_samples", 5},
                              {"spawn_batch_size", 10},        {"spawn_interval_seconds", 3.0},
                              {"max_duration_minutes", 30}};
    nlohmann::json peaks = nlohmann::json::object();
    for (std::size_t k = 0; k < stress.samples.size(); ++k) {
        auto& s = stress.samples[k];
        const long drivers = 10 * static_cast<long>(k + 1);
        s.agents_queued = AgentsQueued{drivers, drivers, 2 * drivers};
        for (std::size_t i = 0; i < 5 && i < s.containers.size(); ++i) {
            s.rolling_averages.push_back(RollingAverage{
                s.containers[i].container, s.containers[i].memory_percent, *s.containers[i].cpu_percent});
        }
        for (const auto& c : s.containers) {
            auto& p = peaks[run.container_name(c.container)];
            if (p.is_null()) p = {{"memory_percent", 0.0}, {"cpu_percent", 0.0}};
            p["memory_percent"] = std::max(p.value("memory_percent", 0.0), c.memory_percent);
            p["cpu_percent"] = std::max(p.value("cpu_percent", 0.0), *c.cpu_percent);
        }
    }
    const long drivers = 10 * n_stress;
    stress.metadata = perfrunner::model::metadata_from_json(
        "stress_test",
        {{"trigger",
          {{"container", "rideshare-simulation"}, {"metric", "cpu"}, {"value", 91.23}, {"threshold", 90.0}}},
         {"total_agents_queued", 2 * drivers},
         {"drivers_queued", drivers},
         {"riders_queued", drivers},
         {"peak_values", peaks},
         {"duration_seconds", 3.0 * static_cast<double>(n_stress)},
         {"batch_count", n_stress}});
    run.scenarios.push_back(std::move(stress));
    run.derived_config =
        nlohmann::json{{"duration_agent_count", drivers / 2}, {"stress_drivers_queued", drivers}};

    const long n_active = n_duration / 2, n_drain = n_duration / 20, n_cool = n_duration - n_active - n_drain;
    const double d_start = g.t0 + 2.0 * static_cast<double>(g.tick);
    ScenarioResult duration = scenario("duration_leak", n_duration, [n_active, n_drain](long k, long) {
        return k < n_active ? 0.5 : k < n_active + n_drain ? 0.3 : 0.0;
    });
    duration.scenario_params = {
        {"active_minutes", 5},          {"cooldown_minutes", 10},
        {"drain_timeout_seconds", 600}, {"drivers", drivers / 2},
        {"riders", drivers / 2},        {"agent_count_source", "stress_test_drivers_queued_half"}};
    const double a_end = d_start + 2.0 * static_cast<double>(n_active);
    const double dr_end = a_end + 2.0 * static_cast<double>(n_drain);
    duration.metadata = perfrunner::model::metadata_from_json(
        "duration_leak",
        {{"phase_analysis", nlohmann::json::object()},
         {"leak_analysis", nlohmann::json::object()},
         {"phase_timestamps",
          {{"active_start", d_start},
           {"active_end", a_end},
           {"drain_start", a_end},
           {"drain_end", dr_end},
           {"cooldown_start", dr_end},
           {"cooldown_end", dr_end + 2.0 * static_cast<double>(n_cool)}}},
         {"phase_sample_counts", {{"active", n_active}, {"drain", n_drain}, {"cooldown", n_cool}}},
         {"drain_duration_seconds", round2(dr_end - a_end)}});
    run.scenarios.push_back(std::move(duration));

    const int steps = 5;
    ScenarioResult speed = scenario("speed_scaling", n_speed, [n_speed](long k, long) {
        return 0.2 * static_cast<double>(k / (n_speed / steps) + 1);
    });
    speed.scenario_params = {{"base_agent_count", drivers / 2},
                             {"step_duration_minutes", 8},
                             {"max_multiplier", 1024},
                             {"agent_count_source", "stress_test_drivers_queued_half"}};
    nlohmann::json step_results = nlohmann::json::array();
    long assigned = 0;
    for (int st = 1; st <= steps; ++st) {
        const long count = st == steps ? n_speed - assigned : n_speed / steps;
        assigned += count;
        const bool hit = st == steps;
        step_results.push_back({{"step", st},
                                {"multiplier", 1 << st},
                                {"agent_count", std::max(1L, drivers / 2 / (1L << st))},
                                {"sample_count", count},
                                {"duration_seconds", round2(2.0 * static_cast<double>(count))},
                                {"threshold_hit", hit},
                                {"trigger", hit ? nlohmann::json{{"container", "rideshare-simulation"},
                                                                 {"metric", "cpu"},
                                                                 {"value", 92.5},
                                                                 {"threshold", 90.0}}
                                                : nlohmann::json(nullptr)}});
    }
    speed.metadata =
        perfrunner::model::metadata_from_json("speed_scaling", {{"step_results", step_results},
                                                                {"total_steps", steps},
                                                                {"max_speed_achieved", 1 << steps},
                                                                {"stopped_by_threshold", true}});
    run.scenarios.push_back(std::move(speed));
    run.completed_at = iso_utc(g.t0 + 2.0 * static_cast<double>(g.tick));
    run.analysis = {{"scenario_summaries", nlohmann::json::array()}};
    return run;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

struct ChildFigures {
    int exit_code = -1;
    double wall_s = 0;
    double max_rss_mb = 0;
};

// Runs argv as a child (no shell) and measures it with wait4.
ChildFigures measure(const std::vector<std::string>& args) {
    const auto t0 = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid == 0) {
        std::vector<char*> argv;
        std::vector<std::string> copy = args;
        for (auto& a : copy) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        std::perror("execv");
        ::_exit(127);
    }
    int status = 0;
    struct rusage usage {};
    ::wait4(pid, &status, 0, &usage);
    ChildFigures f;
    f.wall_s = seconds_since(t0);
    f.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    f.max_rss_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
    return f;
}

// Child mode for --layers-only: the model layer alone (read, then atomic rewrite), as analyze would do it.
int layers_child(const char* input, const char* output) {
    try {
        const RunResult run = read_results_file(input);
        write_results_file(output, run);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "analyze_bench: %s\n", e.what());
        return 1;
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 4 && std::string(argv[1]) == "--child-layers") return layers_child(argv[2], argv[3]);
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "analyze_bench: %s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--dir")
            o.dir = next();
        else if (a == "--ticks")
            o.ticks = std::stol(next());
        else if (a == "--containers")
            o.containers = std::stoi(next());
        else if (a == "--binary")
            o.binary = next();
        else if (a == "--keep")
            o.keep = true;
        else if (a == "--layers-only")
            o.layers_only = true;
        else {
            std::fprintf(stderr,
                         "usage: analyze_bench [--dir DIR] [--ticks N] [--containers N] [--binary PATH] "
                         "[--keep] [--layers-only]\n");
            return 2;
        }
    }
    fs::create_directories(o.dir);
    const fs::path input = o.dir / "results.json";

    auto t0 = std::chrono::steady_clock::now();
    RunResult run = generate(o);
    const double gen_s = seconds_since(t0);
    std::size_t samples = 0;
    for (const auto& s : run.scenarios) samples += s.samples.size() * static_cast<std::size_t>(o.containers);
    t0 = std::chrono::steady_clock::now();
    write_results_file(input, run);
    const double write_s = seconds_since(t0);
    run = RunResult{};  // free the generator's copy before measuring
    const double file_mb = static_cast<double>(fs::file_size(input)) / (1024.0 * 1024.0);

    std::printf("generated   %zu container samples (%ld ticks x %d containers) in %.2f s\n", samples, o.ticks,
                o.containers, gen_s);
    std::printf("written     %s: %.1f MiB in %.2f s (model writer, atomic)\n", input.c_str(), file_mb,
                write_s);

    ChildFigures f;
    if (o.layers_only) {
        const std::string self = fs::canonical("/proc/self/exe").string();
        f = measure({self, "--child-layers", input.string(), (o.dir / "rewritten.json").string()});
        std::printf("measured    model layer only: read_results_file + write_results_file (child process)\n");
    } else {
        f = measure({o.binary, "analyze", input.string(), "--png", "never", "--output",
                     (o.dir / "out").string(), "--quiet"});
        std::printf("measured    perfrunner analyze --png never (child process, exit code %d)\n",
                    f.exit_code);
    }
    std::printf("wall time   %.2f s   (goal < 5 s)\n", f.wall_s);
    std::printf("peak RSS    %.1f MiB\n", f.max_rss_mb);
    std::printf("file size   %.1f MiB\n", file_mb);
    std::printf("RSS / file  %.2f    (goal < 3)\n", f.max_rss_mb / file_mb);
    if (!o.keep) fs::remove_all(o.dir);
    return f.exit_code == 0 || f.exit_code == 3 ? 0 : 1;
}
