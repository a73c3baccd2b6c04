// sampler_bench: samples the real stack with perfrunner's own sampling loop (CadvisorSampler,
// SimulationClient, the OOM watch, the run journal) for a fixed time per mode and prints, side by side in one
// run, what the old per-tick OOM polling (`docker events --since/--until` + `docker inspect` every tick) and
// the new event stream (one long-lived `docker events`) cost. A program run by hand, not a test.
//
//   sampler_bench [--config config/demo.json] [--seconds 600] [--interval 1] [--out DIR] [--modes old,new]
//
// Per mode: docker processes started per steady-state tick (the watch's setup is counted apart), CPU per tick
// of perfrunner (this process) and of its docker children (reaped children, the stream's process included: it
// is stopped and reaped at the end of its mode), of dockerd (the whole engine, other users of it included),
// peak RSS of the mode (VmHWM, reset between modes), tick lateness p50/p99/max (when each sleep returned vs
// the tick it waited for), and the OOM events and watch notes seen.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "perfrunner/adapters/cadvisor_sampler.hpp"
#include "perfrunner/adapters/docker_cli.hpp"
#include "perfrunner/adapters/simulation_client.hpp"
#include "perfrunner/config/config.hpp"
#include "perfrunner/model/timestamps.hpp"
#include "perfrunner/ports/system_clock.hpp"
#include "perfrunner/progress/listener.hpp"
#include "perfrunner/scenarios/journal_sink.hpp"
#include "perfrunner/scenarios/sampler.hpp"
#include "sampler_bench_legacy.hpp"

namespace {

using namespace perfrunner;

// The real clock, recording how late every sleep returned.
class LatenessClock final : public ports::Clock {
  public:
    explicit LatenessClock(const ports::StopToken& stop) : real_(&stop) {}
    double now() override { return real_.now(); }
    bool sleep_until(double epoch_seconds) override {
        const bool ok = real_.sleep_until(epoch_seconds);
        lateness_ms.push_back(std::max(0.0, (real_.now() - epoch_seconds) * 1000.0));
        return ok;
    }
    std::vector<double> lateness_ms;

  private:
    ports::SystemClock real_;
};

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    const double pos = p * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(pos);
    const auto hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

double cpu_seconds(int who) {
    rusage r{};
    getrusage(who, &r);
    return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
           static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

// utime + stime of every process named `comm` (dockerd), from /proc.
double process_cpu_seconds(const std::string& comm) {
    const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
    double total = 0.0;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream stat(entry.path() / "stat");
        std::string line;
        if (!std::getline(stat, line)) continue;
        const auto open = line.find('(');
        const auto close = line.rfind(')');
        if (open == std::string::npos || close == std::string::npos) continue;
        if (line.substr(open + 1, close - open - 1) != comm) continue;
        std::istringstream rest(line.substr(close + 2));
        std::string field;
        double utime = 0, stime = 0;
        for (int i = 3; i <= 15 && rest >> field; ++i) {
            if (i == 14) utime = std::stod(field);
            if (i == 15) stime = std::stod(field);
        }
        total += (utime + stime) / tick;
    }
    return total;
}

// Resets the peak RSS (VmHWM) so each mode has its own; returns it in MiB.
void reset_peak_rss() {
    std::ofstream("/proc/self/clear_refs") << "5";
}
double peak_rss_mib() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);) {
        if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
    }
    return 0.0;
}

struct ModeFigures {
    std::string name;
    std::size_t ticks = 0;
    std::size_t samples_without_data = 0;
    long setup_processes = 0;
    long tick_processes = 0;
    double self_cpu = 0, children_cpu = 0, dockerd_cpu = 0, peak_rss = 0;
    double p50 = 0, p99 = 0, max = 0;
    std::size_t oom_events = 0, notes = 0;
};

ModeFigures run_mode(const std::string& mode, const config::Config& cfg, double duration, double interval,
                     const std::filesystem::path& out) {
    ModeFigures f;
    f.name = mode;
    std::filesystem::create_directories(out / mode);
    reset_peak_rss();
    ports::StopToken stop;
    LatenessClock clock(stop);
    adapters::SimulationClient simulation(adapters::SimulationClient::options_from(cfg));
    adapters::CadvisorSampler metrics(adapters::CadvisorSampler::options_from(cfg));
    scenarios::JournalSink sink(out / mode / "journal.jsonl",
                                static_cast<std::size_t>(cfg.sampling.checkpoint_every_samples));
    progress::NullProgress quiet;
    model::RunResult run;
    run.test_id = model::test_id_utc(clock.now());
    run.started_at = model::iso_utc(clock.now());
    run.scenarios.emplace_back();
    model::ScenarioResult& scenario = run.scenarios.back();
    scenario.scenario_name = "baseline";
    double self0 = 0, children0 = 0, dockerd0 = 0;
    {
        auto docker = std::make_unique<adapters::DockerCli>(adapters::DockerCli::options_from(cfg));
        std::optional<bench::PerTickOomPolling> legacy;
        ports::StackController* stack = docker.get();
        if (mode == "old") {
            legacy.emplace(*docker);
            stack = &*legacy;
        }
        auto started = [&] { return legacy ? legacy->processes_started() : docker->processes_started(); };
        stack->begin_oom_watch(clock.now());
        f.setup_processes = started();
        scenarios::ScenarioContext context{{clock, stop, metrics, *stack, simulation, sink, quiet}, cfg, run};
        scenarios::Sampler sampler(context, scenario);
        sampler.set_read_status(true);
        self0 = cpu_seconds(RUSAGE_SELF);
        children0 = cpu_seconds(RUSAGE_CHILDREN);
        dockerd0 = process_cpu_seconds("dockerd");
        sampler.collect(duration, interval);
        sampler.checkpoint();
        f.tick_processes = started() - f.setup_processes;
    }  // the event stream's process is stopped and reaped here: its CPU joins RUSAGE_CHILDREN
    f.self_cpu = cpu_seconds(RUSAGE_SELF) - self0;
    f.children_cpu = cpu_seconds(RUSAGE_CHILDREN) - children0;
    f.dockerd_cpu = process_cpu_seconds("dockerd") - dockerd0;
    f.peak_rss = peak_rss_mib();
    f.ticks = scenario.samples.size();
    for (const auto& s : scenario.samples) f.samples_without_data += s.containers.empty() ? 1 : 0;
    f.p50 = percentile(clock.lateness_ms, 0.50);
    f.p99 = percentile(clock.lateness_ms, 0.99);
    f.max = percentile(clock.lateness_ms, 1.0);
    f.oom_events = scenario.oom_events.size();
    if (scenario.extra.contains("oom_watch_notes")) f.notes = scenario.extra["oom_watch_notes"].size();
    return f;
}

void print_row(const char* label, const std::vector<ModeFigures>& modes,
               const std::function<double(const ModeFigures&)>& value, const char* unit, bool ratio) {
    std::printf("%-34s", label);
    for (const auto& m : modes) std::printf(" %14.3f", value(m));
    if (ratio && modes.size() == 2) {
        const double old_v = value(modes[0]);
        const double new_v = value(modes[1]);
        if (old_v > 0) {
            std::printf("   new/old %.3f", new_v / old_v);
        }
    }
    std::printf("  %s\n", unit);
}

}  // namespace

int main(int argc, char** argv) {
    std::string config_file = "config/demo.json";
    double duration = 600.0;
    double interval = 1.0;
    std::string modes_arg = "old,new";
    std::filesystem::path out = std::filesystem::temp_directory_path() / "perfrunner-sampler-bench";
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--config")
            config_file = argv[i + 1];
        else if (flag == "--seconds")
            duration = std::stod(argv[i + 1]);
        else if (flag == "--interval")
            interval = std::stod(argv[i + 1]);
        else if (flag == "--out")
            out = argv[i + 1];
        else if (flag == "--modes")
            modes_arg = argv[i + 1];
        else {
            std::fprintf(stderr, "unknown option %s\n", flag.c_str());
            return 2;
        }
    }
    try {
        config::LoadOptions load;
        load.config_file = config_file;
        const config::Config cfg = config::load(load);
        std::vector<ModeFigures> figures;
        std::istringstream modes(modes_arg);
        for (std::string mode; std::getline(modes, mode, ',');) {
            if (mode != "old" && mode != "new") {
                std::fprintf(stderr, "unknown mode %s (old, new)\n", mode.c_str());
                return 2;
            }
            std::printf("%s: sampling %s and %s for %.0f s at %.1f s ...\n", mode.c_str(),
                        cfg.docker.cadvisor_url.c_str(), cfg.api.base_url.c_str(), duration, interval);
            std::fflush(stdout);
            figures.push_back(run_mode(mode, cfg, duration, interval, out));
        }
        std::printf("\n%-34s", "");
        for (const auto& m : figures)
            std::printf(" %14s", m.name == "old" ? "old (per tick)" : "new (stream)");
        std::printf("\n");
        const auto per_tick = [](double v, const ModeFigures& m) {
            return m.ticks ? v / static_cast<double>(m.ticks) : 0.0;
        };
        print_row(
            "ticks (samples)", figures, [](const auto& m) { return static_cast<double>(m.ticks); }, "",
            false);
        print_row(
            "samples without data", figures,
            [](const auto& m) { return static_cast<double>(m.samples_without_data); }, "", false);
        print_row(
            "docker processes at watch start", figures,
            [](const auto& m) { return static_cast<double>(m.setup_processes); }, "", false);
        print_row(
            "docker processes per tick", figures,
            [&](const auto& m) { return per_tick(static_cast<double>(m.tick_processes), m); }, "", false);
        print_row(
            "perfrunner CPU per tick", figures, [&](const auto& m) { return per_tick(m.self_cpu, m) * 1e3; },
            "ms", true);
        print_row(
            "docker children CPU per tick", figures,
            [&](const auto& m) { return per_tick(m.children_cpu, m) * 1e3; }, "ms", true);
        print_row(
            "perfrunner + children per tick", figures,
            [&](const auto& m) { return per_tick(m.self_cpu + m.children_cpu, m) * 1e3; }, "ms", true);
        print_row(
            "dockerd CPU per tick (whole engine)", figures,
            [&](const auto& m) { return per_tick(m.dockerd_cpu, m) * 1e3; }, "ms", true);
        print_row(
            "peak RSS", figures, [](const auto& m) { return m.peak_rss; }, "MiB", true);
        print_row(
            "tick lateness p50", figures, [](const auto& m) { return m.p50; }, "ms", false);
        print_row(
            "tick lateness p99", figures, [](const auto& m) { return m.p99; }, "ms", false);
        print_row(
            "tick lateness max", figures, [](const auto& m) { return m.max; }, "ms", false);
        print_row(
            "OOM events", figures, [](const auto& m) { return static_cast<double>(m.oom_events); }, "",
            false);
        print_row(
            "OOM watch notes", figures, [](const auto& m) { return static_cast<double>(m.notes); }, "",
            false);
        std::printf("journals                           %s/{old,new}/journal.jsonl\n", out.c_str());
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sampler_bench: %s\n", e.what());
        return 1;
    }
}
