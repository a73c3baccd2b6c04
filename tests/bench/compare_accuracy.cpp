// Accuracy benchmark of `perfrunner compare`'s regression rule (issue 14). Not a test: prints a table.
//
// Two tables. ONE PHASE: a "pair of runs" is a family of m comparisons (default 50) of one phase length, the
// first of them shifted: what one phase alone can detect. WHOLE RUNS: a pair of runs is every window that
// compare_runs.cpp takes from a run of the default config (baseline, the duration scenario's active phase,
// each speed step x2…x1024), each with CPU and memory of every configured container plus the simulation's
// throughput, status latency and real-time ratio; a CPU increase of one container is a shift of its CPU in
// every loaded window (duration active and each speed step, not the idle baseline), and it is detected when
// compare reports it in at least one window or in the pooled comparison of that series over the loaded
// windows — the gate's exit 3. The same whole-run family without speed scaling (one loaded window: nothing to
// pool) shows what a shorter run gives up. Each comparison draws a base series and a new series of 2-s
// samples (values rounded to 0.1 like results.json) around a level of 50 (a CPU %) with a marginal standard
// deviation of CV × level: white noise, or AR(1) with ρ = 0.9 started in its stationary distribution. Every
// series is judged as a CPU % (the smallest floor: the strictest case for false alarms). In "same" pairs
// every comparison has the same distribution on both sides; in "+x %" pairs the shifted comparisons' new
// level is 50·(1 + x) (higher is worse). Every family goes through analysis::compare_series, the path of
// `perfrunner compare`: stats::median_shift per comparison, the Holm adjustment over the family, the
// regression rule with the default CPU tolerance (10 %) and floor (2 points). Phase lengths are the defaults
// of config/perfrunner.json; COMPARE_EXTRA_SAMPLES="30,60" adds one-phase rows of other lengths (in samples).
//
// Columns: fwer = pairs with at least one false regression (the compare gate's false alarm, exit 3 on a same
// build); cmp = false regressions per null comparison; sig = null comparisons with raw p < 0.05 (the test's
// own calibration, before Holm and tolerance: ≈ 5 % when exact, less when conservative); +x % = pairs in
// which a shifted comparison (or the pooled comparison of the shifted series) is reported as a regression;
// "+20% win" = the +20 % pairs in which a comparison of one window reports it (without the pooled one);
// "+20% ρ=" = the same +20 % pairs when the test
// is given the true lag-1 autocorrelation instead of estimating it (0 for white noise): the ceiling, what
// estimating ρ costs. No real run knows its ρ; the column says how far the estimate is from the limit.
//
// Usage: compare_accuracy [trials]   (default 400 pairs per cell; ~7 min on one core)
// Environment: COMPARE_FAMILY=m (one-phase table), COMPARE_CVS="0.05,0.10" (marginal SD / level),
// COMPARE_RHO=0.9.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "perfrunner/analysis/compare.hpp"
#include "perfrunner/config/config.hpp"
#include "perfrunner/scenarios/speed_scaling.hpp"

namespace {

namespace analysis = perfrunner::analysis;

constexpr double kLevel = 50.0;
constexpr double kAlpha = 0.05;

enum class Noise { white, ar1 };

struct Phase {
    std::string name;
    std::size_t samples;
};

struct Rates {
    int pairs = 0, pairs_with_false_regression = 0, detected = 0;
    int detected_by_a_window = 0;  // by the comparison of one window (not only by a pooled one)
    long null_comparisons = 0, false_regressions = 0, raw_significant = 0;
};

std::vector<double> generate(Noise noise, double rho, double level, double sd, std::size_t n,
                             std::mt19937_64& rng) {
    std::normal_distribution<double> normal(0.0, 1.0);
    std::vector<double> y(n);
    double state = sd * normal(rng);  // stationary start
    for (std::size_t i = 0; i < n; ++i) {
        double e = 0;
        if (noise == Noise::white) {
            e = sd * normal(rng);
        } else {
            if (i > 0) {
                state = rho * state + sd * std::sqrt(1.0 - rho * rho) * normal(rng);
            }
            e = state;
        }
        y[i] = std::round((level + e) * 10.0) / 10.0;
    }
    return y;
}

// One comparison of a family: its length in samples, whether the new run's level is shifted in it, the window
// it belongs to and its series in that window (a container and metric: compare pools one series over the
// loaded windows), and whether the window is loaded.
struct Comparison {
    std::size_t samples = 0;
    bool shifted = false;
    std::size_t window = 0, series = 0;
    bool loaded = true;
};

// A family of comparisons = what `perfrunner compare` compares for one pair of runs, followed by the pooled
// comparisons compare_series adds (a series over the loaded windows). Detected = a shifted comparison, or the
// pooled comparison of a shifted series, is reported as a regression (the gate's exit 3 names it); every
// other comparison is a null one, and a regression there is a false alarm.
Rates run_family(Noise noise, double cv, double shift, const std::vector<Comparison>& family, double rho,
                 int trials, std::uint64_t seed, bool rho_known = false) {
    std::mt19937_64 rng(seed);
    Rates rates;
    analysis::CompareSettings settings;  // defaults: α 0.05, CPU tolerance 10 %, floor 2 points
    settings.alpha = kAlpha;
    if (rho_known) {
        settings.known_lag1 = noise == Noise::ar1 ? rho : 0.0;
    }
    std::vector<analysis::SeriesPair> pairs(family.size());
    std::vector<std::string> shifted_series;  // key.container of the series shifted in some window
    for (const auto& c : family) {
        if (c.shifted) {
            shifted_series.push_back("c" + std::to_string(c.series));
        }
    }
    for (int trial = 0; trial < trials; ++trial) {
        for (std::size_t k = 0; k < family.size(); ++k) {
            auto& pair = pairs[k];
            pair.key = {"bench", "w" + std::to_string(family[k].window),
                        "c" + std::to_string(family[k].series), analysis::CompareMetric::cpu_percent};
            pair.loaded = family[k].loaded;
            const double new_level = family[k].shifted ? kLevel * (1.0 + shift) : kLevel;
            pair.base = generate(noise, rho, kLevel, cv * kLevel, family[k].samples, rng);
            pair.next = generate(noise, rho, new_level, cv * kLevel, family[k].samples, rng);
        }
        const auto comparisons = analysis::compare_series(pairs, settings);
        bool false_alarm = false, detected = false, by_a_window = false;
        for (std::size_t k = 0; k < comparisons.size(); ++k) {
            const bool regression = comparisons[k].verdict.change_class == analysis::ChangeClass::regression;
            const bool shifted = k < family.size()
                                     ? family[k].shifted
                                     : std::find(shifted_series.begin(), shifted_series.end(),
                                                 comparisons[k].key.container) != shifted_series.end();
            if (shifted && shift > 0) {
                detected = detected || regression;
                by_a_window = by_a_window || (regression && k < family.size());
                continue;
            }
            ++rates.null_comparisons;
            rates.false_regressions += regression ? 1 : 0;
            rates.raw_significant += comparisons[k].shift.valid && comparisons[k].shift.p < kAlpha ? 1 : 0;
            false_alarm = false_alarm || regression;
        }
        rates.detected += detected ? 1 : 0;
        rates.detected_by_a_window += by_a_window ? 1 : 0;
        rates.pairs_with_false_regression += false_alarm ? 1 : 0;
        ++rates.pairs;
    }
    return rates;
}

// Prints one table row per noise model and CV for a family; collects the cells that miss the targets.
void print_rows(const std::string& name, const std::vector<Comparison>& family, double rho, int trials,
                const std::vector<double>& cvs, std::vector<std::string>& misses) {
    const double shifts[] = {0.05, 0.10, 0.20, 0.40};
    std::printf("%-10s %5s | %6s %6s %6s | %6s %6s %6s %6s | %9s %9s\n", "noise", "CV", "fwer", "cmp", "sig",
                "+5%", "+10%", "+20%", "+40%", "+20% win", "+20% ρ=");
    std::size_t total_samples = 0;
    for (const auto& c : family) {
        total_samples += c.samples;
    }
    for (const Noise noise : {Noise::white, Noise::ar1}) {
        for (const double cv : cvs) {
            const auto seed = [&](double shift) {
                return 0xc0'3a'7eULL * 1000003ULL + total_samples * 7919ULL + family.size() * 613ULL +
                       static_cast<std::uint64_t>(noise) * 104729ULL +
                       static_cast<std::uint64_t>(cv * 1000) * 31ULL +
                       static_cast<std::uint64_t>(shift * 100);
            };
            const Rates same = run_family(noise, cv, 0.0, family, rho, trials, seed(0.0));
            const auto pct = [](long v, long total) {
                return total > 0 ? 100.0 * static_cast<double>(v) / static_cast<double>(total) : 0.0;
            };
            const double fwer = pct(same.pairs_with_false_regression, same.pairs);
            std::printf("%-10s %4.0f%% | %6.1f %6.2f %6.2f |", noise == Noise::white ? "white" : "AR(1)",
                        cv * 100, fwer, pct(same.false_regressions, same.null_comparisons),
                        pct(same.raw_significant, same.null_comparisons));
            const std::string cell = name + ", " + (noise == Noise::white ? "white" : "AR(1)") + ", CV " +
                                     std::to_string(static_cast<int>(cv * 100)) + " %";
            if (fwer > 2.0) {
                misses.push_back("false regressions " + cell);
            }
            double by_a_window = 0;
            for (const double shift : shifts) {
                const Rates r = run_family(noise, cv, shift, family, rho, trials, seed(shift));
                const double detected = pct(r.detected, r.pairs);
                std::printf(" %6.1f", detected);
                if (shift == 0.20) {
                    by_a_window = pct(r.detected_by_a_window, r.pairs);
                }
                if (shift == 0.20 && detected < 95.0) {
                    misses.push_back("+20 % detected " + std::to_string(detected).substr(0, 5) +
                                     " %: " + cell);
                }
            }
            // The ceiling: the same pairs (same seed) with the true ρ given to the test instead of estimated.
            const Rates ceiling =
                run_family(noise, cv, 0.20, family, rho, trials, seed(0.20), /*rho_known=*/true);
            std::printf(" | %9.1f %9.1f\n", by_a_window, pct(ceiling.detected, ceiling.pairs));
        }
    }
    std::printf("\n");
}

std::vector<double> parse_list(const char* text, std::vector<double> fallback) {
    if (text == nullptr) {
        return fallback;
    }
    std::vector<double> out;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        out.push_back(std::atof(item.c_str()));
    }
    return out.empty() ? fallback : out;
}

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // rows as they are computed (the whole table takes minutes)
    const int trials = argc > 1 ? std::max(1, std::atoi(argv[1])) : 400;
    const int family_size =
        std::getenv("COMPARE_FAMILY") ? std::max(1, std::atoi(std::getenv("COMPARE_FAMILY"))) : 50;
    const double rho = std::getenv("COMPARE_RHO") ? std::atof(std::getenv("COMPARE_RHO")) : 0.9;
    const auto cvs = parse_list(std::getenv("COMPARE_CVS"), {0.05, 0.10});
    const auto config = perfrunner::config::defaults();
    const double interval = config.sampling.interval_seconds;
    const auto samples_of = [&](double seconds) { return static_cast<std::size_t>(seconds / interval); };
    const std::size_t baseline = samples_of(config.scenarios.baseline_duration_seconds);
    const std::size_t active = samples_of(config.scenarios.duration_active_minutes * 60.0);
    const std::size_t speed_step = samples_of(config.scenarios.speed_scaling_step_duration_minutes * 60.0);
    std::vector<Phase> phases{
        {"baseline " + std::to_string(static_cast<int>(config.scenarios.baseline_duration_seconds)) + " s",
         baseline},
        {"duration active " + std::to_string(static_cast<int>(config.scenarios.duration_active_minutes)) +
             " min",
         active},
        {"speed step " +
             std::to_string(static_cast<int>(config.scenarios.speed_scaling_step_duration_minutes)) + " min",
         speed_step},
    };
    for (const double samples : parse_list(std::getenv("COMPARE_EXTRA_SAMPLES"), {})) {
        phases.push_back(
            {std::to_string(static_cast<int>(samples * interval)) + " s", static_cast<std::size_t>(samples)});
    }
    std::printf(
        "compare accuracy: %d pairs of runs per cell, %.0f-s samples, level %.0f, tolerance 10 %%, floor 2, "
        "alpha %.2f, AR(1) rho %.2f\n",
        trials, interval, kLevel, kAlpha, rho);
    std::printf(
        "same: fwer = pairs with >= 1 false regression, cmp = per null comparison, sig = raw p < .05 per "
        "null comparison; +x %%: the shifted series reported as a regression. Rates in %%.\n\n");
    // The targets (issue 14: false regressions <= 2 % of same-build pairs, +20 % detected in >= 95 %) are for
    // runs of the default config; a single phase and a run without speed scaling are shown for what they give
    // up, and their cells below the targets are listed apart.
    std::vector<std::string> misses, shorter_below;

    std::printf(
        "ONE PHASE: a family of %d comparisons of that length, one of them shifted (what one phase alone "
        "detects)\n\n",
        family_size);
    for (const auto& phase : phases) {
        std::printf("%s (n = %zu per side)\n", phase.name.c_str(), phase.samples);
        std::vector<Comparison> family;
        for (int k = 0; k < family_size; ++k) {
            family.push_back({phase.samples, k == 0, 0, static_cast<std::size_t>(k), true});
        }
        print_rows(phase.name, family, rho, trials, cvs, shorter_below);
    }

    // Whole runs: the windows `perfrunner compare` takes from a run (compare_runs.cpp: baseline, the duration
    // scenario's active phase, each speed step), each with CPU and memory of every configured container and
    // the simulation's throughput, status latency and real-time ratio, all at the default phase lengths. A
    // CPU increase of the simulation container shows in every loaded window (duration active, each speed
    // step), not in the idle baseline. Every series is modelled as a CPU % (the smallest floor: the strictest
    // case for false alarms).
    const std::size_t containers = config.containers.size();
    const std::size_t per_window = containers * 2 + 3;
    const auto speed_steps = static_cast<int>(perfrunner::scenarios::SpeedScalingScenario::multipliers(
                                                  config.scenarios.speed_scaling_max_multiplier)
                                                  .size());
    const auto run_family_of = [&](int steps) {
        std::vector<Comparison> family;
        std::size_t windows = 0;
        const auto window = [&](std::size_t samples, bool loaded) {
            for (std::size_t k = 0; k < per_window; ++k) {
                family.push_back({samples, loaded && k == 0, windows, k, loaded});
            }
            ++windows;
        };
        window(baseline, false);
        window(active, true);
        for (int s = 0; s < steps; ++s) {
            window(speed_step, true);
        }
        return family;
    };
    std::printf(
        "WHOLE RUNS: every window compare takes from a run of the default config (%zu containers x CPU, "
        "memory + 3 simulation figures = %zu series per window), the simulation's CPU shifted in every "
        "loaded window; detected = compare reports it in at least one\n\n",
        containers, per_window);
    struct RunShape {
        std::string name;
        int steps;
    };
    const std::vector<RunShape> shapes{
        {"default run: baseline, duration, speed x2..x" +
             std::to_string(config.scenarios.speed_scaling_max_multiplier),
         speed_steps},
        {"run without speed scaling (--scenarios baseline,stress,duration)", 0},
    };
    for (const auto& shape : shapes) {
        const auto family = run_family_of(shape.steps);
        std::size_t shifted = 0;
        for (const auto& c : family) {
            shifted += c.shifted ? 1 : 0;
        }
        // compare_series adds one pooled comparison per series when two or more windows are loaded.
        const std::size_t pooled = shape.steps + 1 >= 2 ? per_window : 0;
        std::printf("%s (%zu comparisons + %zu pooled, %zu shifted)\n", shape.name.c_str(), family.size(),
                    pooled, shifted);
        print_rows(shape.name, family, rho, trials, cvs, shape.steps == speed_steps ? misses : shorter_below);
    }
    std::printf(
        "default run: cells outside the targets (false regressions <= 2 %% per pair, +20 %% detected >= 95 "
        "%%):%s\n",
        misses.empty() ? " none" : "");
    for (const auto& m : misses) {
        std::printf("  %s\n", m.c_str());
    }
    std::printf("one phase alone, run without speed scaling: cells below the same targets:%s\n",
                shorter_below.empty() ? " none" : "");
    for (const auto& m : shorter_below) {
        std::printf("  %s\n", m.c_str());
    }
    return 0;
}
