// journal_bench: what recording one sample costs as a run grows, with the run journal (one appended line per
// sample, fsync every 10 samples) and with the former checkpoints (results.json rewritten every 10 samples),
// at 1 k and at 40 k samples (a 22-hour run at 2 s); and what replaying the 40 k-sample journal costs
// (`perfrunner rebuild`, and the end of every run). A program run by hand that prints figures, not a test.
//
//   journal_bench [--containers 5] [--dir /tmp]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "perfrunner/model/journal.hpp"
#include "perfrunner/model/results_json.hpp"
#include "perfrunner/model/timestamps.hpp"
#include "perfrunner/scenarios/journal_sink.hpp"

using namespace perfrunner;
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

model::Sample make_sample(model::RunResult& run, int containers, long k) {
    model::Sample s;
    s.timestamp = 1'760'000'000.0 + 2.0 * static_cast<double>(k);
    s.timestamp_iso = model::iso_utc(s.timestamp);
    for (int c = 0; c < containers; ++c) {
        model::ContainerSample x;
        x.container = run.intern("rideshare-container-" + std::to_string(c));
        x.memory_used_mb = 100.0 + 0.001 * static_cast<double>(k) + c;
        x.memory_limit_mb = 512.0;
        x.memory_percent = x.memory_used_mb / 5.12;
        x.cpu_percent = 12.5 + c;
        x.memory_rss_mb = 90.0;
        x.memory_usage_mb = 120.0;
        x.cpu_cores_effective = 1.0;
        x.cpu_percent_of_quota = 12.5;
        x.cadvisor_timestamp = s.timestamp_iso;
        s.containers.push_back(x);
    }
    model::PaceSample p;
    p.state = "running";
    p.achieved_speed = 1.0;
    p.requested_speed = 1.0;
    p.real_time_ratio = 1.0;
    p.status_latency_ms = 3.2;
    s.pace = p;
    return s;
}

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
    int containers = 5;
    fs::path dir = fs::temp_directory_path();
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--containers") containers = std::atoi(argv[i + 1]);
        if (a == "--dir") dir = argv[i + 1];
    }
    dir /= "perfrunner-journal-bench-" + std::to_string(::getpid());
    fs::create_directories(dir);
    constexpr long kSamples = 40'000;
    constexpr std::size_t kEvery = 10;

    model::RunResult run;
    run.test_id = "bench";
    run.started_at = model::iso_utc(1'760'000'000.0);
    run.scenarios.emplace_back();
    run.scenarios.back().scenario_name = "duration_leak";
    run.scenarios.back().started_at = run.started_at;
    scenarios::JournalSink sink(dir / "journal.jsonl", kEvery);
    sink.checkpoint(run);

    std::printf("journal_bench: %d containers per sample, fsync every %zu samples, in %s\n", containers,
                kEvery, dir.c_str());
    std::printf("%-10s %-28s %-34s\n", "samples", "journal: us per sample",
                "results.json every 10: us per sample");
    double window_ms = 0.0;
    auto& samples = run.scenarios.back().samples;
    for (long k = 1; k <= kSamples; ++k) {
        samples.push_back(make_sample(run, containers, k));
        const auto t0 = Clock::now();
        sink.sample_taken(run, 0);
        window_ms += ms_since(t0);
        if (k == 1000 || k == 10'000 || k == kSamples) {
            // The former way at this size: one whole rewrite per 10 samples.
            const auto t1 = Clock::now();
            model::write_results_file(dir / "results.json", run);
            const double rewrite_ms = ms_since(t1);
            std::printf("%-10ld %-28.1f %-34.1f\n", k, 1000.0 * window_ms / 1000.0,
                        1000.0 * rewrite_ms / static_cast<double>(kEvery));
        }
        if (k % 1000 == 0) window_ms = 0.0;
    }
    const auto t2 = Clock::now();
    const model::JournalReplay replay = model::read_journal_file(dir / "journal.jsonl");
    const double replay_ms = ms_since(t2);
    std::printf("journal of %zu samples: %.1f MiB, replayed in %.0f ms (%.1f us per sample)\n",
                replay.samples, static_cast<double>(fs::file_size(dir / "journal.jsonl")) / (1 << 20),
                replay_ms, 1000.0 * replay_ms / static_cast<double>(replay.samples));
    fs::remove_all(dir);
    return replay.samples == static_cast<std::size_t>(kSamples) ? 0 : 1;
}
