#include "perfrunner/analysis/leak_rule.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "perfrunner/analysis/json_numbers.hpp"
#include "perfrunner/analysis/stats/distributions.hpp"
#include "perfrunner/analysis/stats/envelope.hpp"
#include "perfrunner/analysis/stats/power.hpp"

namespace perfrunner::analysis {

namespace {

double skewness_of_differences(std::span<const double> y) {
    if (y.size() < 4) return 0.0;
    std::vector<double> d(y.size() - 1);
    for (std::size_t i = 1; i < y.size(); ++i) d[i - 1] = y[i] - y[i - 1];
    double mean = 0;
    for (double v : d) mean += v;
    mean /= static_cast<double>(d.size());
    double m2 = 0, m3 = 0;
    for (double v : d) {
        m2 += (v - mean) * (v - mean);
        m3 += (v - mean) * (v - mean) * (v - mean);
    }
    m2 /= static_cast<double>(d.size());
    m3 /= static_cast<double>(d.size());
    if (!(m2 > 0)) return 0.0;
    return m3 / std::pow(m2, 1.5);
}

// Batch means of consecutive points (keeps the trend, bounds the O(n²) statistics).
void reduce(std::vector<double>& t, std::vector<double>& y, std::size_t batch) {
    if (batch <= 1) return;
    std::vector<double> bt, by;
    for (std::size_t i = 0; i < t.size(); i += batch) {
        const std::size_t end = std::min(i + batch, t.size());
        double st = 0, sy = 0;
        for (std::size_t k = i; k < end; ++k) {
            st += t[k];
            sy += y[k];
        }
        const auto c = static_cast<double>(end - i);
        bt.push_back(st / c);
        by.push_back(sy / c);
    }
    t.swap(bt);
    y.swap(by);
}

}  // namespace

LeakAssessment assess_leak(std::span<const double> t_seconds, std::span<const double> y_in,
                           std::size_t expected_samples, const LeakRuleSettings& s,
                           std::optional<double> phase_start) {
    LeakAssessment a;
    const std::size_t n = std::min(t_seconds.size(), y_in.size());
    a.n_input = n;
    a.expected_samples = expected_samples;
    a.verdict = "inconclusive";
    if (expected_samples > 0 && n < expected_samples) {
        a.missing_fraction = 1.0 - static_cast<double>(n) / static_cast<double>(expected_samples);
    }
    if (n == 0) {
        a.reason = "no_data";
        return a;
    }
    std::string blocker;  // first reason that forbids a verdict
    if (a.missing_fraction > s.max_missing_fraction) blocker = "missing_data";

    // 1. warm-up, steady-state check, then MSER-5 (around a linear steady state).
    const double start = phase_start.value_or(t_seconds[0]);
    std::size_t first = 0;
    while (first < n && t_seconds[first] < start + s.warmup_seconds) ++first;
    a.warmup_samples = first;
    std::vector<double> t, y;
    for (std::size_t i = first; i < n; ++i) {
        t.push_back((t_seconds[i] - t_seconds[first]) / 60.0);
        y.push_back(y_in[i]);
    }
    // Steady-state check (a decelerating curve is a transient, a leak has a constant slope): while the first
    // half grows significantly faster than the second, drop the first half.
    for (int round = 0; s.settle_check && round < 3 && t.size() >= 24; ++round) {
        const std::size_t half = t.size() / 2;
        const auto f1 =
            stats::ols_fit(std::span<const double>(t).first(half), std::span<const double>(y).first(half));
        const auto f2 = stats::ols_fit(std::span<const double>(t).subspan(half),
                                       std::span<const double>(y).subspan(half));
        if (!f1.valid || !f2.valid) break;
        const double se = std::sqrt(f1.se_eff * f1.se_eff + f2.se_eff * f2.se_eff);
        const double z = se > 0 ? (f1.slope - f2.slope) / se : 0.0;
        if (round == 0) a.settle_z = z;
        if (!(z > stats::normal_quantile(1.0 - s.settle_alpha))) break;
        a.settling_detected = true;
        a.settle_samples += half;
        t.erase(t.begin(), t.begin() + static_cast<std::ptrdiff_t>(half));
        y.erase(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(half));
    }
    first += a.settle_samples;
    // MSER-5 around a linear steady state.
    a.mser = stats::mser5_linear(y);
    if (a.mser.valid) {
        a.mser_samples = a.mser.truncate_samples;
        if (a.mser.at_boundary && blocker.empty()) blocker = "no_steady_state";
    }
    first += a.mser_samples;
    t.erase(t.begin(), t.begin() + static_cast<std::ptrdiff_t>(a.mser_samples));
    y.erase(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(a.mser_samples));
    for (std::size_t i = 0; i < t.size(); ++i) t[i] = (t_seconds[first + i] - t_seconds[first]) / 60.0;
    a.n_used = t.size();
    if (a.n_used < static_cast<std::size_t>(std::max(s.min_samples, 3))) {
        if (a.settling_detected && blocker.empty()) blocker = "no_steady_state";
        a.reason = blocker.empty() ? "too_few_samples" : blocker;
        if (a.reason == "too_few_samples" && n >= 2) {
            // the truncated start plus min_samples at the observed sampling interval
            const double interval = (t_seconds[n - 1] - t_seconds[0]) / static_cast<double>(n - 1);
            a.needed_active_minutes = ((t_seconds[std::min(first, n - 1)] - start) +
                                       static_cast<double>(s.min_samples) * interval) /
                                      60.0;
        }
        return a;
    }
    a.duration_minutes = t.back() - t.front();

    // 2. raw statistics: OLS with autocorrelation-corrected SE.
    a.ols = stats::ols_fit(t, y);
    if (!a.ols.valid) {
        a.reason = blocker.empty() ? "too_few_samples" : blocker;
        return a;
    }
    a.ols_ci_half_width = stats::ols_ci_half_width(a.ols, s.alpha);
    {
        const auto nn = static_cast<double>(a.ols.n);
        a.rho_corrected = std::clamp(a.ols.rho + (1.0 + 3.0 * a.ols.rho) / nn, 0.0, 0.99);
        a.n_eff_corrected = nn * (1.0 - a.rho_corrected) / (1.0 + a.rho_corrected);
    }

    // 3. series to judge: the lower envelope where a sawtooth is present or configured.
    a.diff_skewness = skewness_of_differences(y);
    a.sawtooth_detected = a.diff_skewness <= s.sawtooth_skewness;
    std::vector<double> jt = t, jy = y;
    if (s.envelope_allowed && (s.envelope_configured || a.sawtooth_detected) &&
        s.envelope_window_seconds > 0) {
        a.envelope_used = true;
        a.envelope_window_seconds = s.envelope_window_seconds;
        auto env = stats::lower_envelope(t, y, s.envelope_window_seconds / 60.0);
        a.envelope_windows = env.t.size();
        jt = std::move(env.t);
        jy = std::move(env.y);
        if (a.envelope_windows < static_cast<std::size_t>(std::max(s.min_windows, 3)) && blocker.empty()) {
            blocker = "too_few_windows";
        }
    } else if (a.n_eff_corrected < s.min_neff && blocker.empty()) {
        blocker = "too_few_effective_samples";
    }
    if (jt.size() > s.max_points) {
        a.batch_size = (jt.size() + s.max_points - 1) / s.max_points;
        reduce(jt, jy, a.batch_size);
    }
    if (jt.size() < 3) {
        a.reason = blocker.empty() ? "too_few_windows" : blocker;
        return a;
    }

    // 4. trend statistics on the judged series.
    a.judged_ols = stats::ols_fit(jt, jy);
    const auto ts_naive = stats::theil_sen(jt, jy, s.alpha);
    a.mann_kendall = stats::mann_kendall(jt, jy, ts_naive.slope, s.alpha);
    a.theil_sen = s.autocorrelation_corrected_ci ? stats::theil_sen(jt, jy, s.alpha, a.mann_kendall.var_s_hr)
                                                 : ts_naive;
    {
        // MDS of the judged series with the bias-corrected ρ (ρ̂ underestimates strong autocorrelation).
        const auto& f = a.judged_ols.valid ? a.judged_ols : a.ols;
        const double rho = std::clamp(f.rho + (1.0 + 3.0 * f.rho) / static_cast<double>(f.n), 0.0, 0.99);
        a.mds = stats::minimum_detectable_slope(f.se * std::sqrt((1.0 + rho) / (1.0 - rho)));
        a.mds_leak = s.threshold + a.mds;
        a.upper_bound = std::max(a.theil_sen.upper, f.slope + stats::ols_ci_half_width(f, s.alpha));
    }
    {
        // On the raw series `leak` needs both lower bounds above the threshold: Sen's (robust to outliers,
        // but its Hamed–Rao widening underestimates strong AR(1) dependence) and OLS's with the
        // bias-corrected ρ (calibrated for autocorrelated noise, not robust). One-sided at alpha, or the
        // lower end of the two-sided 1 − α CI.
        const double level_alpha = s.one_sided_lower_bound ? 2 * s.alpha : s.alpha;
        const double sen_lower = s.one_sided_lower_bound
                                     ? (s.autocorrelation_corrected_ci
                                            ? stats::theil_sen(jt, jy, level_alpha, a.mann_kendall.var_s_hr)
                                            : stats::theil_sen(jt, jy, level_alpha))
                                           .lower
                                     : a.theil_sen.lower;
        const auto& f = a.judged_ols.valid ? a.judged_ols : a.ols;
        const double rho = std::clamp(f.rho + (1.0 + 3.0 * f.rho) / static_cast<double>(f.n), 0.0, 0.99);
        stats::OlsFit corrected = f;
        corrected.se_eff = f.se * std::sqrt((1.0 + rho) / (1.0 - rho));
        corrected.n_eff = static_cast<double>(f.n) * (1.0 - rho) / (1.0 + rho);
        corrected.df_eff = std::max(corrected.n_eff - 2.0, 1.0);
        const double ols_lower = f.slope - stats::ols_ci_half_width(corrected, level_alpha);
        // On the envelope (a few window minima) ρ̂ and the t quantile are too unstable: Sen's bound alone.
        a.decision_lower_bound = a.envelope_used ? sen_lower : std::min(sen_lower, ols_lower);
    }
    a.computed = true;
    if (s.limit && *s.limit > 0 && a.theil_sen.slope > 0) {
        const double y_end = a.theil_sen.intercept + a.theil_sen.slope * jt.back();
        a.t_limit_minutes = std::max(0.0, (*s.limit - y_end) / a.theil_sen.slope);
    }
    if (a.mds > s.threshold) {
        a.needed_active_minutes = (t_seconds[first] - start) / 60.0 +
                                  stats::duration_for_mds(a.duration_minutes, a.mds, s.threshold);
    }

    if (!blocker.empty()) {
        if (blocker == "too_few_windows") {
            a.needed_active_minutes =
                ((t_seconds[first] - start) +
                 static_cast<double>(std::max(s.min_windows, 3)) * a.envelope_window_seconds) /
                60.0;
        }
        if (blocker == "too_few_effective_samples" && !a.needed_active_minutes) {
            // n_eff scales with the length too: n_eff ∝ D.
            a.needed_active_minutes = (t_seconds[first] - start) / 60.0 +
                                      a.duration_minutes * s.min_neff / std::max(a.n_eff_corrected, 0.1);
        }
        a.reason = blocker;
        return a;
    }

    // 5. verdict.
    const bool significant = a.mann_kendall.p_hr < s.alpha;
    const double b = a.theil_sen.slope;
    if (s.leak_allowed && significant && a.decision_lower_bound > s.threshold) {
        a.verdict = "leak";
        a.reason = "significant_trend_above_threshold";
    } else if ((significant && b > s.monitor_threshold) || b > s.threshold) {
        a.verdict = "suspect";
        a.reason = b > s.threshold ? "slope_above_threshold" : "significant_trend_above_monitor";
    } else if (a.mds > s.threshold || !(a.upper_bound < s.threshold)) {
        // `ok` only when the phase could have seen a leak and the data exclude one at the threshold.
        a.verdict = "inconclusive";
        a.reason = "underpowered";
    } else {
        a.verdict = "ok";
        a.reason = "no_trend_above_threshold";
    }
    return a;
}

nlohmann::json LeakAssessment::to_json() const {
    using nlohmann::json;
    json j = json::object();
    j["verdict"] = verdict;
    j["reason"] = reason;
    j["n"] = n_input;
    j["expected_samples"] = expected_samples;
    j["n_used"] = n_used;
    j["truncated_samples"] = warmup_samples + settle_samples + mser_samples;
    j["settle_samples"] = settle_samples;
    j["warmup_samples"] = warmup_samples;
    j["mser_samples"] = mser_samples;
    j["mser_batches"] = mser.batches;
    j["mser_d_star"] = mser.d_star;
    j["missing_fraction"] = rounded(missing_fraction, 4);
    j["duration_minutes"] = rounded(duration_minutes, 3);
    j["diff_skewness"] = rounded(diff_skewness, 3);
    j["sawtooth_detected"] = sawtooth_detected;
    j["envelope_used"] = envelope_used;
    j["envelope_window_seconds"] = envelope_used ? json(rounded(envelope_window_seconds, 1)) : json(nullptr);
    j["envelope_windows"] = envelope_used ? json(envelope_windows) : json(nullptr);
    j["batch_size"] = batch_size;
    const bool have_ols = ols.valid;
    j["ols_slope"] = have_ols ? rounded(ols.slope, 4) : json(nullptr);
    j["ols_se"] = have_ols ? rounded(ols.se, 4) : json(nullptr);
    j["ols_se_eff"] = have_ols ? rounded(ols.se_eff, 4) : json(nullptr);
    j["ols_ci95"] = have_ols ? json::array({rounded(ols.slope - ols_ci_half_width, 4),
                                            rounded(ols.slope + ols_ci_half_width, 4)})
                             : json(nullptr);
    j["residual_sd"] = have_ols ? rounded(ols.residual_sd, 4) : json(nullptr);
    j["rho"] = have_ols ? rounded(ols.rho, 4) : json(nullptr);
    j["n_eff"] = have_ols ? rounded(ols.n_eff, 2) : json(nullptr);
    j["rho_corrected"] = have_ols ? rounded(rho_corrected, 4) : json(nullptr);
    j["n_eff_corrected"] = have_ols ? rounded(n_eff_corrected, 2) : json(nullptr);
    j["settling_detected"] = settling_detected;
    j["settle_z"] = rounded(settle_z, 3);
    j["decision_lower_bound"] = computed ? rounded(decision_lower_bound, 4) : json(nullptr);
    j["upper_bound"] = computed ? rounded(upper_bound, 4) : json(nullptr);
    j["sen_slope"] = computed ? rounded(theil_sen.slope, 4) : json(nullptr);
    j["sen_ci95"] =
        computed ? json::array({rounded(theil_sen.lower, 4), rounded(theil_sen.upper, 4)}) : json(nullptr);
    j["mk_s"] = computed ? json(mann_kendall.s) : json(nullptr);
    j["mk_tau"] = computed ? rounded(mann_kendall.tau, 4) : json(nullptr);
    j["mk_z"] = computed ? rounded(mann_kendall.z, 4) : json(nullptr);
    j["mk_p"] = computed ? rounded(mann_kendall.p, 6) : json(nullptr);
    j["mk_z_hr"] = computed ? rounded(mann_kendall.z_hr, 4) : json(nullptr);
    j["p_hr"] = computed ? rounded(mann_kendall.p_hr, 6) : json(nullptr);
    j["n_ns_ratio"] = computed ? rounded(mann_kendall.n_ns_ratio, 4) : json(nullptr);
    j["hr_correction_invalid"] = computed ? json(mann_kendall.hr_correction_invalid) : json(nullptr);
    j["mds"] = computed ? rounded(mds, 4) : json(nullptr);
    j["mds_leak"] = computed ? rounded(mds_leak, 4) : json(nullptr);
    j["needed_active_minutes"] = needed_active_minutes ? rounded(*needed_active_minutes, 1) : json(nullptr);
    j["t_limit_minutes"] = t_limit_minutes ? rounded(*t_limit_minutes, 1) : json(nullptr);
    return j;
}

}  // namespace perfrunner::analysis
