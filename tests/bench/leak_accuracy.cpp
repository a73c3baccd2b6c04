// Accuracy benchmark of the leak verdict (issue 6 part 3, statistics.md §6 and §8). Not a test: prints a
// table.
//
// Synthetic memory series (2-s samples, base 500 MB; leak_shapes.hpp) for the five noise models of
// statistics.md §8 and the two shapes of issue 10 point 6 (occasional short allocation spikes, a one-time
// jump of retained memory), each with true leaks of 0, 0.5, 1 and 2 MB/min, 200 seeded trials per cell,
// active phases of 5 and 20 minutes. Every series goes through perfrunner's real path: a model::RunResult
// with a `duration_leak` scenario -> analysis::analyze -> the per-container verdict. For each cell it prints
// how often the seed's rule (endpoint slope of the active phase > 1 MB/min) flags a leak, how often the new
// rule says leak / suspect / ok / inconclusive, the mean minimum detectable slope (MDS, vs 0, statistics.md
// §2) and MDSleak = T + MDS, the true slope at which the `leak` verdict (bound above T) has 80 % power.
//
// Usage: leak_accuracy [trials]   (default 200)
// Tuning knobs (environment): LEAK_WARMUP, LEAK_MIN_SAMPLES, LEAK_MIN_NEFF, LEAK_MIN_WINDOWS, LEAK_WINDOW
// override the analysis.* defaults below; LEAK_DEBUG="<noise name>" with LEAK_DEBUG_RATE=<leak> prints the
// statistics JSON of the first 8 (LEAK_DEBUG_TRIALS) trials of that cell.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "leak_shapes.hpp"
#include "perfrunner/analysis/analysis_json.hpp"
#include "perfrunner/config/config.hpp"
#include "perfrunner/model/results.hpp"
#include "perfrunner/model/scenario_metadata_json.hpp"

namespace {

using perfrunner::config::Config;
namespace model = perfrunner::model;

using perfrunner::bench::generate;
using perfrunner::bench::kInterval;
using perfrunner::bench::Noise;
using perfrunner::bench::noise_name;

model::RunResult make_run(const std::vector<double>& y) {
    model::RunResult run;
    run.test_id = "leak_accuracy";
    const auto id = run.intern("rideshare-bench");
    model::ScenarioResult sc;
    sc.scenario_name = "duration_leak";
    const double t0 = 1.8e9;
    for (std::size_t i = 0; i < y.size(); ++i) {
        model::Sample s;
        s.timestamp = t0 + static_cast<double>(i) * kInterval;
        model::ContainerSample c;
        c.container = id;
        c.memory_used_mb = y[i];
        c.memory_limit_mb = 4096.0;
        c.memory_percent = y[i] / 4096.0 * 100.0;
        c.cpu_percent = 10.0;
        s.containers.push_back(c);
        sc.samples.push_back(std::move(s));
    }
    sc.metadata = perfrunner::model::metadata_from_json(
        "duration_leak", {{"phase_sample_counts", {{"active", y.size()}, {"drain", 0}, {"cooldown", 0}}},
                          {"phase_timestamps", {{"active_start", t0}}}});
    run.scenarios.push_back(std::move(sc));
    return run;
}

// The defaults proposed for config/perfrunner.json (statistics.md §6, tuned with this benchmark).
Config bench_config() {
    Config c;
    c.thresholds.memory_leak_mb_per_min = 1.0;
    c.thresholds.memory_leak_monitor_mb_per_min = 0.5;
    c.thresholds.memory_warning_percent = 70;
    c.thresholds.memory_critical_percent = 85;
    c.thresholds.cpu_leak_percent_per_min = 5.0;
    c.thresholds.cpu_warning_percent = 70;
    c.thresholds.cpu_critical_percent = 85;
    c.analysis.leak_alpha = 0.05;
    c.analysis.leak_warmup_seconds = 30;
    c.analysis.leak_min_samples = 50;
    c.analysis.leak_min_neff = 10;
    c.analysis.leak_min_windows = 6;
    c.analysis.leak_envelope_window_seconds = 30;
    c.analysis.cooldown_active_window_seconds = 60;
    c.analysis.cooldown_window_seconds = 120;
    if (const char* e = std::getenv("LEAK_WARMUP")) {
        c.analysis.leak_warmup_seconds = std::atof(e);
    }
    if (const char* e = std::getenv("LEAK_MIN_SAMPLES")) {
        c.analysis.leak_min_samples = std::atoi(e);
    }
    if (const char* e = std::getenv("LEAK_MIN_NEFF")) {
        c.analysis.leak_min_neff = std::atof(e);
    }
    if (const char* e = std::getenv("LEAK_MIN_WINDOWS")) {
        c.analysis.leak_min_windows = std::atoi(e);
    }
    if (const char* e = std::getenv("LEAK_WINDOW")) {
        c.analysis.leak_envelope_window_seconds = std::atof(e);
    }
    return c;
}

}  // namespace

int main(int argc, char** argv) {
    const int trials = argc > 1 ? std::max(1, std::atoi(argv[1])) : 200;
    const Config config = bench_config();
    const int debug_trials =
        std::getenv("LEAK_DEBUG_TRIALS") ? std::atoi(std::getenv("LEAK_DEBUG_TRIALS")) : 8;
    const Noise noises[] = {Noise::white,  Noise::ar1,    Noise::fast_gc, Noise::slow_gc,
                            Noise::warmup, Noise::spikes, Noise::jump};
    const double leaks[] = {0.0, 0.5, 1.0, 2.0};
    const double phases[] = {5.0, 20.0};
    std::printf(
        "leak accuracy: %d trials per cell, 2-s samples, threshold %.1f MB/min, warm-up %.0f s, "
        "envelope %.0f s, min_samples %d, min_neff %.0f, min_windows %d\n",
        trials, config.thresholds.memory_leak_mb_per_min, config.analysis.leak_warmup_seconds,
        config.analysis.leak_envelope_window_seconds, config.analysis.leak_min_samples,
        config.analysis.leak_min_neff, config.analysis.leak_min_windows);
    std::printf(
        "seed = endpoint slope > T (reference); new = statistics.md §6 rule. Rates in %%. "
        "leak=0 rows: a `leak` is a false positive.\n\n");
    std::vector<std::string> spec_misses, mds_misses, mds_leak_misses;
    for (const double minutes : phases) {
        const auto n = static_cast<std::size_t>(minutes * 60.0 / kInterval);
        std::printf("active phase %.0f min (n = %zu)\n", minutes, n);
        std::printf("%-13s %5s | %6s | %6s %7s %6s %6s | %7s %7s %6s | %s\n", "noise", "leak", "seed", "leak",
                    "suspect", "ok", "inconc", "MDS", "MDSleak", "env%", "inconclusive reasons (count)");
        for (const Noise noise : noises) {
            for (const double leak : leaks) {
                std::mt19937_64 rng(0x5eed'0000ULL + static_cast<unsigned>(noise) * 1000 +
                                    static_cast<unsigned>(leak * 10) * 10 + static_cast<unsigned>(minutes));
                std::map<std::string, int> reasons;
                int seed_hits = 0, n_leak = 0, n_suspect = 0, n_ok = 0, n_inconclusive = 0, n_env = 0,
                    n_mds = 0;
                double mds_sum = 0, mds_leak_sum = 0;
                for (int k = 0; k < trials; ++k) {
                    const auto run = make_run(generate(noise, leak, n, rng));
                    const auto analysis = perfrunner::analysis::analyze(run, config);
                    const auto& l = analysis.duration->leaks.at(0);
                    if (std::getenv("LEAK_DEBUG") && k < debug_trials &&
                        std::string(noise_name(noise)) == std::getenv("LEAK_DEBUG") &&
                        leak == std::atof(std::getenv("LEAK_DEBUG_RATE") ? std::getenv("LEAK_DEBUG_RATE")
                                                                         : "0")) {
                        std::printf("%s\n",
                                    perfrunner::analysis::leak_result_json(l)["statistics"].dump().c_str());
                    }
                    if (l.seed_memory_leak_detected) {
                        ++seed_hits;
                    }
                    if (l.verdict == "leak") {
                        ++n_leak;
                    } else if (l.verdict == "suspect") {
                        ++n_suspect;
                    } else if (l.verdict == "ok") {
                        ++n_ok;
                    } else {
                        ++n_inconclusive;
                        ++reasons[l.reason];
                    }
                    if (l.memory.envelope_used) {
                        ++n_env;
                    }
                    // MDS averaged over the trials with a full-size used series (at least leak_min_samples);
                    // shorter ones get statistics only for the size-judged verdict.
                    if (l.memory.computed && std::isfinite(l.memory.mds) &&
                        l.memory.n_used >= static_cast<std::size_t>(config.analysis.leak_min_samples)) {
                        mds_sum += l.memory.mds;
                        mds_leak_sum += l.memory.mds_leak;
                        ++n_mds;
                    }
                }
                const auto pct = [&](int v) { return 100.0 * v / trials; };
                const double mds = n_mds > 0 ? mds_sum / n_mds : NAN;
                const double mds_leak = n_mds > 0 ? mds_leak_sum / n_mds : NAN;
                std::string why;
                for (const auto& [r, c] : reasons) {
                    why += " " + r + ":" + std::to_string(c);
                }
                std::printf("%-13s %5.1f | %6.1f | %6.1f %7.1f %6.1f %6.1f | %7.3f %7.3f %6.1f |%s\n",
                            noise_name(noise), leak, pct(seed_hits), pct(n_leak), pct(n_suspect), pct(n_ok),
                            pct(n_inconclusive), mds, mds_leak, pct(n_env), why.c_str());
                const std::string cell =
                    std::string(noise_name(noise)) + " " + std::to_string(int(minutes)) + " min";
                // statistics.md §6: <= 2 % false leak for every noise model (spikes included, issue 10);
                // a one-time jump of retained memory: <= 10 % (issue 10 point 6).
                const double fp_limit = noise == Noise::jump ? 10.0 : 2.0;
                if (leak == 0.0 && pct(n_leak) > fp_limit) {
                    spec_misses.push_back("FP " + cell);
                }
                if (leak == 2.0 && n_ok > 0) {
                    spec_misses.push_back("ok at 2 MB/min " + cell);
                }
                const bool spec_cell = minutes == 5.0 && (noise == Noise::white || noise == Noise::fast_gc ||
                                                          noise == Noise::spikes);
                if (leak == 2.0 && spec_cell && pct(n_leak) < 95.0) {
                    spec_misses.push_back("detection " + cell);
                }
                if (leak == 2.0 && mds < 2.0 && pct(n_leak) < 95.0) {
                    mds_misses.push_back(cell);
                }
                if (leak == 2.0 && mds_leak < 2.0 && pct(n_leak) < 95.0) {
                    mds_leak_misses.push_back(cell);
                }
            }
        }
        std::printf("\n");
    }
    std::printf(
        "statistics.md §6 and issue 10 goals (leak on <= 2%% of no-leak series in every cell, <= 10%% for "
        "the "
        "one-time jump; >= 95%% leak at 2 MB/min for white noise, the 30-s sawtooth and spikes at 5 min; "
        "never "
        "ok at 2 MB/min): %s\n",
        spec_misses.empty() ? "met" : "NOT met");
    for (const auto& m : spec_misses) {
        std::printf("  miss: %s\n", m.c_str());
    }
    std::printf("issue 6 stricter reading (>= 95%% leak at 2 MB/min wherever the mean MDS < 2): %s\n",
                mds_misses.empty() ? "met" : "NOT met");
    for (const auto& m : mds_misses) {
        std::printf("  below 95%%: %s\n", m.c_str());
    }
    std::printf(
        "same with the rule's own power (>= 95%% leak at 2 MB/min wherever MDSleak = T + MDS < 2): %s\n",
        mds_leak_misses.empty() ? "met" : "NOT met");
    for (const auto& m : mds_leak_misses) {
        std::printf("  below 95%%: %s\n", m.c_str());
    }
    return 0;
}
