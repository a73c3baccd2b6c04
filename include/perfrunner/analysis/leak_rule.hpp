#pragma once
// The leak decision rule of statistics.md §6 on one container's active-phase series, as a pure function.
// analysis::analyze feeds it from the results model; tests and the accuracy benchmark use the same path.
#include <cstddef>
#include <optional>
#include <span>
#include <string>

#include <nlohmann/json.hpp>

#include "perfrunner/analysis/stats/mann_kendall.hpp"
#include "perfrunner/analysis/stats/mser.hpp"
#include "perfrunner/analysis/stats/ols.hpp"
#include "perfrunner/analysis/stats/theil_sen.hpp"

namespace perfrunner::analysis {

struct LeakRuleSettings {
    double threshold = 1.0;          // T_fail, per minute (memory_leak_mb_per_min / cpu_leak_percent_per_min)
    double monitor_threshold = 0.5;  // T_monitor
    double alpha = 0.05;
    double warmup_seconds = 30;  // dropped from the start of the phase before MSER-5
    int min_samples = 50;        // after truncation
    double min_neff = 10;        // raw series (no envelope)
    int min_windows = 6;         // envelope windows (a 5-min phase has 9 windows of 30 s after warm-up)
    double max_missing_fraction = 0.2;
    double envelope_window_seconds = 30;
    bool envelope_configured = false;  // the container has a configured GC window: always use the envelope
    bool envelope_allowed = true;      // false for CPU (statistics.md §6: CPU without envelope)
    bool leak_allowed = true;          // false for CPU: never stronger than `suspect`
    // A sawtooth is detected when the skewness of the first differences is at or below this (GC drops are
    // rare, large negative steps; symmetric noise, AR(1) and warm-up curves have skewness near 0).
    double sawtooth_skewness = -1.0;
    // Widen Sen's CI with the Hamed–Rao variance Var*(S) (autocorrelation) instead of the i.i.d. Var(S).
    bool autocorrelation_corrected_ci = true;
    // Steady-state check: when the first half of the used series grows faster than the second half by more
    // than z_{1-settle_alpha} standard errors (a decelerating warm-up, not a constant leak), judge the second
    // half only.
    bool settle_check = true;
    // `leak` needs the one-sided (1 − alpha) lower bound above the threshold (the lower end of the two-sided
    // 1 − 2α interval); false = the lower end of the two-sided 1 − α interval (more conservative).
    bool one_sided_lower_bound = true;
    double settle_alpha = 0.01;
    // Upward spikes (stats/spikes.hpp) more than spike_k robust SDs above the local median are dropped before
    // the statistics; 0 = keep every sample.
    double spike_k = 10.0;
    // Below min_samples (or without a steady state, or with too few effective samples) a `leak` verdict is
    // still given when the slope is at least gross_factor × (T + MDS) and passes the regular leak test: the
    // minimum data a verdict needs depend on the slope's size against the noise, not on a fixed count.
    // Statistics need at least min_statistics_samples used samples.
    double gross_factor = 3.0;
    int min_statistics_samples = 10;
    std::optional<double> limit;    // for the projected time to the limit (same unit as y)
    std::size_t max_points = 1000;  // longer series are reduced to batch means before the O(n²) statistics
};

struct LeakAssessment {
    std::string verdict;  // leak | suspect | ok | inconclusive
    std::string reason;   // why (always set)
    std::size_t n_input = 0, expected_samples = 0, n_used = 0;
    std::size_t warmup_samples = 0, settle_samples = 0, mser_samples = 0;  // truncated at the start
    double missing_fraction = 0;
    stats::Mser mser;
    double diff_skewness = 0;
    bool sawtooth_detected = false;
    bool envelope_used = false;
    double envelope_window_seconds = 0;
    std::size_t envelope_windows = 0;
    std::size_t spike_samples = 0;  // short upward spikes dropped (after the warm-up)
    bool size_judged = false;       // `leak` given although a regular verdict was blocked (gross slope)
    std::string overridden_reason;  // the blocker that size_judged overrode
    std::optional<double>
        linearity_z;                 // halves' slope difference / SE on the used series (size-judged check)
    bool settling_detected = false;  // the first half was dropped by the steady-state check
    double settle_z = 0;             // (b_first − b_second) / SE of the difference
    int settle_rounds = 0;           // first halves dropped by the steady-state check
    double rho_corrected = 0;  // ρ̂ + (1 + 3ρ̂)/n (small-sample bias of the AR(1) estimate), clamped
    double n_eff_corrected = 0;
    double decision_lower_bound = 0;  // the bound compared with the threshold for `leak`
    double upper_bound = 0;           // max(Sen upper, OLS upper): `ok` needs it below the threshold
    std::size_t batch_size = 1;       // > 1 when the series was reduced to batch means
    double duration_minutes = 0;      // of the used series
    stats::OlsFit ols;                // raw used series (MB/min)
    double ols_ci_half_width = 0;
    stats::OlsFit judged_ols;   // the series judged (envelope or raw): basis of the MDS
    stats::TheilSen theil_sen;  // on the judged series
    stats::MannKendall mann_kendall;
    double mds = 0;       // minimum detectable slope of the judged series (vs 0, statistics.md §2)
    double mds_leak = 0;  // true slope at which `leak` (bound above T) has 80 % power: T + MDS
    std::optional<double> needed_active_minutes;  // when underpowered / too few effective samples
    std::optional<double> t_limit_minutes;
    bool computed = false;  // the trend statistics were computed

    nlohmann::json to_json() const;  // every number rounded, no NaN/Inf
};

// t_seconds ascending (epoch or relative), y the values; expected_samples: samples the phase had (for the
// missing fraction; 0 = unknown). The phase starts at t_seconds.front() unless phase_start is given.
LeakAssessment assess_leak(std::span<const double> t_seconds, std::span<const double> y,
                           std::size_t expected_samples, const LeakRuleSettings& settings,
                           std::optional<double> phase_start = std::nullopt);

}  // namespace perfrunner::analysis
