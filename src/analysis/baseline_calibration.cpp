#include "perfrunner/analysis/baseline_calibration.hpp"

#include <algorithm>
#include <vector>

#include "perfrunner/analysis/stats/descriptive.hpp"
#include "perfrunner/model/scenario_names.hpp"

namespace perfrunner::analysis {

namespace {

struct PaceFigures {
    std::vector<double> latency;  // sorted
    std::optional<double> mean_ratio;
};

PaceFigures pace_figures(std::span<const model::Sample> samples) {
    PaceFigures f;
    double ratio_sum = 0;
    std::size_t ratios = 0;
    for (const auto& s : samples) {
        if (!s.pace) {
            continue;
        }
        if (s.pace->status_latency_ms) {
            f.latency.push_back(*s.pace->status_latency_ms);
        }
        if (s.pace->real_time_ratio) {
            ratio_sum += *s.pace->real_time_ratio;
            ++ratios;
        }
    }
    std::sort(f.latency.begin(), f.latency.end());
    if (ratios > 0) {
        f.mean_ratio = ratio_sum / static_cast<double>(ratios);
    }
    return f;
}

}  // namespace

BaselineCalibration calibrate_baseline(std::span<const model::Sample> baseline) {
    BaselineCalibration c;
    const auto f = pace_figures(baseline);
    c.latency_samples = f.latency.size();
    if (!f.latency.empty()) {
        c.latency_p50_ms = stats::percentile_sorted(f.latency, 50);
        c.latency_p95_ms = stats::percentile_sorted(f.latency, 95);
        c.latency_degraded_ms = *c.latency_p95_ms * kLatencyDegradedFactor;
        c.latency_unhealthy_ms = *c.latency_p95_ms * kLatencyUnhealthyFactor;
    }
    if (f.mean_ratio) {
        c.mean_real_time_ratio = f.mean_ratio;
        c.real_time_ratio_source = "baseline";
        c.real_time_ratio_floor = *f.mean_ratio * kRealTimeRatioFloorFactor;
    }
    return c;
}

void use_real_time_reference(BaselineCalibration& calibration, std::span<const model::Sample> window,
                             const std::string& source) {
    if (calibration.mean_real_time_ratio) {
        return;
    }
    const auto f = pace_figures(window);
    if (f.mean_ratio) {
        calibration.mean_real_time_ratio = f.mean_ratio;
        calibration.real_time_ratio_source = source;
        calibration.real_time_ratio_floor = *f.mean_ratio * kRealTimeRatioFloorFactor;
    }
}

const char* to_string(PaceState s) {
    switch (s) {
        case PaceState::ok:
            return "ok";
        case PaceState::degraded:
            return "degraded";
        case PaceState::unhealthy:
            return "unhealthy";
        case PaceState::no_data:
            return "no_data";
    }
    return "no_data";
}

PaceAssessment assess_pace(std::span<const model::Sample> samples, const BaselineCalibration& calibration) {
    PaceAssessment a;
    const auto f = pace_figures(samples);
    a.latency_samples = f.latency.size();
    if (!f.latency.empty()) {
        a.latency_p50_ms = stats::percentile_sorted(f.latency, 50);
        a.latency_p95_ms = stats::percentile_sorted(f.latency, 95);
        if (calibration.latency_unhealthy_ms && calibration.latency_degraded_ms) {
            a.latency = *a.latency_p95_ms >= *calibration.latency_unhealthy_ms  ? PaceState::unhealthy
                        : *a.latency_p95_ms >= *calibration.latency_degraded_ms ? PaceState::degraded
                                                                                : PaceState::ok;
        }
    }
    a.mean_real_time_ratio = f.mean_ratio;
    if (f.mean_ratio && calibration.real_time_ratio_floor) {
        a.real_time =
            *f.mean_ratio < *calibration.real_time_ratio_floor ? PaceState::unhealthy : PaceState::ok;
    }
    return a;
}

std::optional<BaselineCalibration> run_calibration(const model::RunResult& run) {
    const auto* baseline = run.find_scenario(model::scenario_names::kBaseline);
    if (baseline == nullptr) {
        return std::nullopt;
    }
    auto c = calibrate_baseline(baseline->samples);
    if (c.latency_samples == 0 && !c.mean_real_time_ratio) {
        return std::nullopt;
    }
    return c;
}

void apply_baseline_triggers(StressRuleSettings& rule, const BaselineCalibration& calibration) {
    if (calibration.real_time_ratio_floor) {
        rule.rtr_floor = std::max(rule.rtr_floor, *calibration.real_time_ratio_floor);
    }
    if (calibration.latency_unhealthy_ms) {
        rule.latency_limit_ms = *calibration.latency_unhealthy_ms;
    }
}

std::optional<CalibrationReport> calibration_report(const model::RunResult& run) {
    auto calibration = run_calibration(run);
    if (!calibration) {
        return std::nullopt;
    }
    CalibrationReport out;
    // The reference framework's baseline never starts the simulation: without a ratio of its own, the
    // lightest loaded window measured (the stress test's first level) is the reference.
    if (!calibration->mean_real_time_ratio) {
        if (const auto* stress = run.find_scenario(model::scenario_names::kStress)) {
            const auto* md = std::get_if<model::StressMetadata>(&stress->metadata);
            if (md != nullptr && !md->step_mode) {
                // Ramp mode: its warm-up, the samples before the first batch (they carry no queued counts).
                std::vector<model::Sample> warmup;
                for (const auto& s : stress->samples) {
                    if (s.agents_queued) {
                        break;
                    }
                    if (s.pace && s.pace->real_time_ratio) {
                        warmup.push_back(s);
                    }
                }
                use_real_time_reference(*calibration, warmup, "stress_test warm-up");
            } else if (md != nullptr && !md->step_mode->steps.empty()) {
                // The first W samples with a ratio: level 1's settle, at the lightest load measured.
                const std::size_t w = md->step_mode->steps.front().window_samples;
                std::vector<model::Sample> first;
                for (const auto& s : stress->samples) {
                    if (s.pace && s.pace->real_time_ratio) {
                        first.push_back(s);
                        if (first.size() == w) {
                            break;
                        }
                    }
                }
                use_real_time_reference(*calibration, first, "stress_test level 1");
            }
        }
    }
    out.calibration = *calibration;
    for (const auto& s : run.scenarios) {
        if (s.scenario_name == model::scenario_names::kBaseline) {
            continue;
        }
        auto a = assess_pace(s.samples, out.calibration);
        if (a.latency_samples == 0 && !a.mean_real_time_ratio) {
            continue;
        }
        out.scenarios.push_back({s.scenario_name, a});
    }
    return out;
}

}  // namespace perfrunner::analysis
