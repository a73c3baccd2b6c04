// Accuracy benchmark of `perfrunner compare`'s regression rule (issue 14). Not a test: prints a table.
//
// A "pair of runs" is a family of m comparisons (default 50: the bundled stack's 4 containers × CPU and
// memory plus the simulation's throughput, latency and real-time ratio, over baseline, duration and a few
// speed steps). Each comparison draws a base series and a new series of 2-s samples (values rounded to 0.1
// like results.json) around a level of 50 (a CPU %) with a marginal standard deviation of CV × level: white
// noise, or AR(1) with ρ = 0.9 started in its stationary distribution. In "same" pairs every comparison has
// the same distribution on both sides; in "+x %" pairs the first comparison's new level is 50·(1 + x) (a CPU
// increase, higher is worse). Every family goes through analysis::compare_series, the path of `perfrunner
// compare`: stats::median_shift per comparison, the Holm adjustment over the family, the regression rule with
// the default CPU tolerance (10 %) and floor (2 points). Phase lengths are the defaults of
// config/perfrunner.json: baseline, the duration scenario's active phase and one speed-scaling step;
// COMPARE_EXTRA_SAMPLES="30,60" adds rows of other lengths (in samples).
//
// Columns: fwer = pairs with at least one false regression (the compare gate's false alarm, exit 3 on a same
// build); cmp = false regressions per null comparison; sig = null comparisons with raw p < 0.05 (the test's
// own calibration, before Holm and tolerance: ≈ 5 % when exact, less when conservative); +x % = pairs in
// which the shifted comparison is reported as a regression; "+20% ρ=" = the same +20 % pairs when the test
// is given the true lag-1 autocorrelation instead of estimating it (0 for white noise): the ceiling, what
// estimating ρ costs. No real run knows its ρ; the column says how far the estimate is from the limit.
//
// Usage: compare_accuracy [trials]   (default 400 pairs per cell)
// Environment: COMPARE_FAMILY=m, COMPARE_CVS="0.05,0.10" (marginal SD / level), COMPARE_RHO=0.9.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "perfrunner/analysis/compare.hpp"
#include "perfrunner/config/config.hpp"

namespace {

namespace analysis = perfrunner::analysis;

constexpr double kLevel = 50.0;
constexpr double kAlpha = 0.05;

enum class Noise { white, ar1 };

struct Phase {
    std::string name;
    std::size_t samples;
};

struct Cell {
    Noise noise;
    double cv;
    double shift;
};

struct Rates {
    int pairs = 0, pairs_with_false_regression = 0, detected = 0;
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

Rates run_cell(const Cell& cell, std::size_t n, int family, double rho, int trials, std::uint64_t seed,
               bool rho_known = false) {
    std::mt19937_64 rng(seed);
    Rates rates;
    analysis::CompareSettings settings;  // defaults: α 0.05, CPU tolerance 10 %, floor 2 points
    settings.alpha = kAlpha;
    if (rho_known) {
        settings.known_lag1 = cell.noise == Noise::ar1 ? rho : 0.0;
    }
    std::vector<analysis::SeriesPair> pairs(static_cast<std::size_t>(family));
    for (int trial = 0; trial < trials; ++trial) {
        for (int k = 0; k < family; ++k) {
            auto& pair = pairs[static_cast<std::size_t>(k)];
            pair.key = {"bench", "phase", "c" + std::to_string(k), analysis::CompareMetric::cpu_percent};
            const double new_level = k == 0 ? kLevel * (1.0 + cell.shift) : kLevel;
            pair.base = generate(cell.noise, rho, kLevel, cell.cv * kLevel, n, rng);
            pair.next = generate(cell.noise, rho, new_level, cell.cv * kLevel, n, rng);
        }
        const auto comparisons = analysis::compare_series(pairs, settings);
        bool false_alarm = false;
        for (std::size_t k = 0; k < comparisons.size(); ++k) {
            const bool regression = comparisons[k].verdict.change_class == analysis::ChangeClass::regression;
            if (k == 0 && cell.shift > 0) {
                rates.detected += regression ? 1 : 0;
                continue;
            }
            ++rates.null_comparisons;
            rates.false_regressions += regression ? 1 : 0;
            rates.raw_significant += comparisons[k].shift.valid && comparisons[k].shift.p < kAlpha ? 1 : 0;
            false_alarm = false_alarm || regression;
        }
        rates.pairs_with_false_regression += false_alarm ? 1 : 0;
        ++rates.pairs;
    }
    return rates;
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
    const int trials = argc > 1 ? std::max(1, std::atoi(argv[1])) : 400;
    const int family =
        std::getenv("COMPARE_FAMILY") ? std::max(1, std::atoi(std::getenv("COMPARE_FAMILY"))) : 50;
    const double rho = std::getenv("COMPARE_RHO") ? std::atof(std::getenv("COMPARE_RHO")) : 0.9;
    const auto cvs = parse_list(std::getenv("COMPARE_CVS"), {0.05, 0.10});
    const auto config = perfrunner::config::defaults();
    const double interval = config.sampling.interval_seconds;
    std::vector<Phase> phases{
        {"baseline " + std::to_string(static_cast<int>(config.scenarios.baseline_duration_seconds)) + " s",
         static_cast<std::size_t>(config.scenarios.baseline_duration_seconds / interval)},
        {"duration active " + std::to_string(static_cast<int>(config.scenarios.duration_active_minutes)) +
             " min",
         static_cast<std::size_t>(config.scenarios.duration_active_minutes * 60.0 / interval)},
        {"speed step " +
             std::to_string(static_cast<int>(config.scenarios.speed_scaling_step_duration_minutes)) + " min",
         static_cast<std::size_t>(config.scenarios.speed_scaling_step_duration_minutes * 60.0 / interval)},
    };
    for (const double samples : parse_list(std::getenv("COMPARE_EXTRA_SAMPLES"), {})) {
        phases.push_back(
            {std::to_string(static_cast<int>(samples * interval)) + " s", static_cast<std::size_t>(samples)});
    }
    const double shifts[] = {0.05, 0.10, 0.20, 0.40};
    std::printf(
        "compare accuracy: %d pairs of runs per cell, family of %d comparisons per pair (Holm), "
        "%.0f-s samples, level %.0f, tolerance 10 %%, floor 2, alpha %.2f, AR(1) rho %.2f\n",
        trials, family, interval, kLevel, kAlpha, rho);
    std::printf(
        "same: fwer = pairs with >= 1 false regression, cmp = per null comparison, sig = raw p < .05 per "
        "null comparison; +x %%: shifted comparison reported as a regression. Rates in %%.\n\n");
    std::vector<std::string> misses;
    for (const auto& phase : phases) {
        std::printf("%s (n = %zu per side)\n", phase.name.c_str(), phase.samples);
        std::printf("%-10s %5s | %6s %6s %6s | %6s %6s %6s %6s | %9s\n", "noise", "CV", "fwer", "cmp", "sig",
                    "+5%", "+10%", "+20%", "+40%", "+20% ρ=");
        for (const Noise noise : {Noise::white, Noise::ar1}) {
            for (const double cv : cvs) {
                const auto cell_seed = [&](double shift) {
                    return 0xc0'3a'7eULL * 1000003ULL + phase.samples * 7919ULL +
                           static_cast<std::uint64_t>(noise) * 104729ULL +
                           static_cast<std::uint64_t>(cv * 1000) * 31ULL +
                           static_cast<std::uint64_t>(shift * 100);
                };
                const Rates same =
                    run_cell({noise, cv, 0.0}, phase.samples, family, rho, trials, cell_seed(0.0));
                const auto pct = [](long v, long total) {
                    return total > 0 ? 100.0 * static_cast<double>(v) / static_cast<double>(total) : 0.0;
                };
                const double fwer = pct(same.pairs_with_false_regression, same.pairs);
                std::printf("%-10s %4.0f%% | %6.1f %6.2f %6.2f |", noise == Noise::white ? "white" : "AR(1)",
                            cv * 100, fwer, pct(same.false_regressions, same.null_comparisons),
                            pct(same.raw_significant, same.null_comparisons));
                const std::string cell = phase.name + ", " + (noise == Noise::white ? "white" : "AR(1)") +
                                         ", CV " + std::to_string(static_cast<int>(cv * 100)) + " %";
                if (fwer > 2.0) {
                    misses.push_back("false regressions " + cell);
                }
                for (const double shift : shifts) {
                    const Rates r =
                        run_cell({noise, cv, shift}, phase.samples, family, rho, trials, cell_seed(shift));
                    const double detected = pct(r.detected, r.pairs);
                    std::printf(" %6.1f", detected);
                    if (shift == 0.20 && detected < 95.0) {
                        misses.push_back("+20 % detected " + std::to_string(detected).substr(0, 5) +
                                         " %: " + cell);
                    }
                }
                // The ceiling: the same pairs (same seed) with the true ρ given to the test instead of
                // estimated.
                const Rates ceiling = run_cell({noise, cv, 0.20}, phase.samples, family, rho, trials,
                                               cell_seed(0.20), /*rho_known=*/true);
                std::printf(" | %9.1f\n", pct(ceiling.detected, ceiling.pairs));
            }
        }
        std::printf("\n");
    }
    std::printf(
        "cells outside the targets (false regressions <= 2 %% per pair, +20 %% detected >= 95 %%):%s\n",
        misses.empty() ? " none" : "");
    for (const auto& m : misses) {
        std::printf("  %s\n", m.c_str());
    }
    return 0;
}
