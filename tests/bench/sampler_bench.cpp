// sampler_bench: samples the real stack with perfrunner's own sampling loop (CadvisorSampler,
// SimulationClient, DockerCli OOM polls, the run journal) for a fixed time and prints what that
// costs perfrunner and how well it keeps its schedule. A program run by hand, not a test.
//
//   sampler_bench [--config config/demo.json] [--seconds 600] [--interval 1] [--out DIR]
//
// Prints: own CPU seconds (user + system, this process only; docker CLI children separately), peak RSS, tick
// lateness p50/p99/max (when each sleep returned vs the tick it waited for), and total drift (last sample's
// time vs first + (n-1)*interval; the anchored schedule should keep it near the poll latency).
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
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

double seconds(const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
    std::string config_file = "config/demo.json";
    double duration = 600.0;
    double interval = 1.0;
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
        else {
            std::fprintf(stderr, "unknown option %s\n", flag.c_str());
            return 2;
        }
    }
    try {
        config::LoadOptions load;
        load.config_file = config_file;
        const config::Config cfg = config::load(load);
        std::filesystem::create_directories(out);

        ports::StopToken stop;
        LatenessClock clock(stop);
        adapters::SimulationClient simulation(adapters::SimulationClient::options_from(cfg));
        adapters::DockerCli docker(adapters::DockerCli::options_from(cfg));
        adapters::CadvisorSampler metrics(adapters::CadvisorSampler::options_from(cfg));
        scenarios::JournalSink sink(out / "journal.jsonl",
                                    static_cast<std::size_t>(cfg.sampling.checkpoint_every_samples));
        progress::NullProgress quiet;

        model::RunResult run;
        run.test_id = model::test_id_utc(clock.now());
        run.started_at = model::iso_utc(clock.now());
        run.scenarios.emplace_back();
        model::ScenarioResult& scenario = run.scenarios.back();
        scenario.scenario_name = "baseline";
        scenarios::ScenarioContext context{{clock, stop, metrics, docker, simulation, sink, quiet}, cfg, run};
        scenarios::Sampler sampler(context, scenario);
        sampler.set_read_status(true);
        docker.begin_oom_watch(clock.now());

        std::printf("sampling %s and %s for %.0f s at %.1f s ...\n", cfg.docker.cadvisor_url.c_str(),
                    cfg.api.base_url.c_str(), duration, interval);
        std::fflush(stdout);
        sampler.collect(duration, interval);
        sampler.checkpoint();

        rusage self{};
        rusage children{};
        getrusage(RUSAGE_SELF, &self);
        getrusage(RUSAGE_CHILDREN, &children);
        const auto& samples = scenario.samples;
        const std::size_t n = samples.size();
        const double drift = n > 1 ? samples.back().timestamp - samples.front().timestamp -
                                         static_cast<double>(n - 1) * interval
                                   : 0.0;
        std::size_t gaps = 0;
        for (const auto& s : samples) gaps += s.containers.empty() ? 1 : 0;
        std::printf("samples                 %zu (expected %.0f), %zu without data\n", n, duration / interval,
                    gaps);
        std::printf("perfrunner CPU          %.2f s user + %.2f s system = %.2f s (%.2f %% of one core)\n",
                    seconds(self.ru_utime), seconds(self.ru_stime),
                    seconds(self.ru_utime) + seconds(self.ru_stime),
                    100.0 * (seconds(self.ru_utime) + seconds(self.ru_stime)) / duration);
        std::printf("docker CLI children CPU %.2f s\n",
                    seconds(children.ru_utime) + seconds(children.ru_stime));
        std::printf("peak RSS                %.1f MiB\n", static_cast<double>(self.ru_maxrss) / 1024.0);
        std::printf("tick lateness           p50 %.2f ms, p99 %.2f ms, max %.2f ms (%zu sleeps)\n",
                    percentile(clock.lateness_ms, 0.50), percentile(clock.lateness_ms, 0.99),
                    percentile(clock.lateness_ms, 1.0), clock.lateness_ms.size());
        std::printf("total drift             %.3f s over %.0f s\n", drift, duration);
        std::printf("results.json            %s\n", (out / "results.json").c_str());
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sampler_bench: %s\n", e.what());
        return 1;
    }
}
