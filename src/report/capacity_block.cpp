#include "perfrunner/report/capacity_block.hpp"

#include <fmt/format.h>

#include "perfrunner/analysis/analysis_json.hpp"
#include "perfrunner/model/scenario_names.hpp"
#include "perfrunner/report/format.hpp"
#include "perfrunner/report/trigger_text.hpp"

namespace perfrunner::report {
namespace {

const model::StressMetadata* stress_metadata(const model::RunResult& run) {
    const auto* s = run.find_scenario(model::scenario_names::kStress);
    return s != nullptr ? std::get_if<model::StressMetadata>(&s->metadata) : nullptr;
}

// "Simulation memory window mean 91.20 % >= 90.00 % (4 of the last 5 samples over)".
std::string breach_text(const ReportContext& ctx, const model::Trigger& t) {
    const std::string who =
        t.container == "host" ? std::string("host") : display_name(ctx.config, t.container);
    const std::string unit = t.metric == "rtr" ? "" : t.metric == "latency" ? " ms" : " %";
    if (!t.detail) {
        return who + " " + t.metric + " at " + format_number(t.value, 2) + unit + " (threshold " +
               format_number(t.threshold, 2) + unit + ")";
    }
    const auto& d = *t.detail;
    if (d.critical) {
        return fmt::format("{} {} reached {}{} in one sample (critical stop at {}{})", who, t.metric,
                           format_number(t.value, 2), unit, format_number(t.threshold, 2), unit);
    }
    const char* cmp = t.metric == "rtr" ? "≤" : "≥";
    return fmt::format(
        "{} {} window mean {}{} {} {}{} ({} of the last {} samples over; breach rule {} of {})", who,
        t.metric, format_number(d.window_mean, 2), unit, cmp, format_number(t.threshold, 2), unit,
        d.samples_over, d.m, d.k, d.m);
}

std::string text_of(const nlohmann::json& obj, const char* key) {
    if (!obj.is_object() || !obj.contains(key)) {
        return "?";
    }
    const auto& v = obj[key];
    return v.is_string() ? v.get<std::string>() : v.dump();
}

// "12.3 [11.9, 12.7]": a USL parameter with its 95 % interval, at the precision of the JSON files.
std::string parameter_text(const analysis::stats::UslParameter& p, int digits) {
    std::string text = format_number(p.value, digits);
    if (p.lower && p.upper) {
        text += " [" + format_number(p.lower, digits) + ", " + format_number(p.upper, digits) + "]";
    }
    return text + (p.at_bound ? " (at its bound)" : "");
}

void usl_rows(const analysis::UslCapacity& usl, CapacityBlock& out) {
    namespace dec = analysis::decimals;
    const auto& f = usl.fit;
    if (!f.valid) {
        out.rows.push_back({"Scalability (USL)", "no fit: " + f.why_not});
        return;
    }
    out.rows.push_back(
        {"Scalability (USL)",
         fmt::format("λ {} events/s per driver, σ {}, κ {} (95 % intervals); RMSE {} events/s over {} levels",
                     parameter_text(f.lambda, dec::kUslLambda), parameter_text(f.sigma, dec::kUslSigma),
                     parameter_text(f.kappa, dec::kUslKappa), format_number(f.rmse, dec::kThroughput),
                     f.levels)});
    out.rows.push_back({"Throughput peak N*",
                        f.peak_load ? format_number(f.peak_load, dec::kUslLoad) + " live drivers at " +
                                          format_number(f.peak_throughput, dec::kThroughput) + " events/s"
                                    : f.peak_note});
    if (usl.disagreement) {
        out.warnings.push_back(*usl.disagreement);
    }
}

// The baseline's status figures, the limits derived from them, and each scenario against them.
void calibration_rows(const analysis::CalibrationReport& r, CapacityBlock& out) {
    namespace dec = analysis::decimals;
    const auto& c = r.calibration;
    std::string base = "status latency p50 " + format_number(c.latency_p50_ms, dec::kLatencyMs) +
                       " ms, p95 " + format_number(c.latency_p95_ms, dec::kLatencyMs) + " ms";
    if (c.mean_real_time_ratio) {
        base += "; real-time ratio " + format_number(c.mean_real_time_ratio, dec::kRealTimeRatio) + " (" +
                c.real_time_ratio_source + ")";
    }
    out.rows.push_back({"Baseline calibration", base});
    out.rows.push_back(
        {"Derived limits", "latency degraded ≥ " + format_number(c.latency_degraded_ms, dec::kLatencyMs) +
                               " ms, unhealthy ≥ " + format_number(c.latency_unhealthy_ms, dec::kLatencyMs) +
                               " ms (p95 ×1.25 / ×1.5); real-time ratio floor " +
                               format_number(c.real_time_ratio_floor, dec::kRealTimeRatio) + " (×0.8)"});
    for (const auto& s : r.scenarios) {
        const auto& a = s.assessment;
        out.rows.push_back({"Pace: " + s.scenario_name,
                            "latency p95 " + format_number(a.latency_p95_ms, dec::kLatencyMs) + " ms (" +
                                analysis::to_string(a.latency) + "), real-time ratio " +
                                format_number(a.mean_real_time_ratio, dec::kRealTimeRatio) + " (" +
                                analysis::to_string(a.real_time) + ")"});
    }
}

void stress_rows(const ReportContext& ctx, CapacityBlock& out) {
    const auto& a = ctx.analysis;
    const auto* md = stress_metadata(ctx.run);
    if (!a.stress || md == nullptr) {
        const auto why = unsampled_reason(a, model::scenario_names::kStress);
        out.rows.push_back(
            {"Capacity", why ? "not measured: stress test " + *why : "not measured (no stress test)"});
        return;
    }
    if (md->step_mode) {
        const auto& step = *md->step_mode;
        out.rows.push_back({"Last healthy load",
                            step.last_healthy
                                ? std::to_string(*step.last_healthy) + " live drivers (and as many riders)"
                                : std::string("none: the first level breached")});
        std::string broke = "none within the stress test's time limit";
        if (step.breaking_point) {
            broke = std::to_string(*step.breaking_point) + " live drivers";
            if (step.trigger_detail) {
                broke += ": " + breach_text(ctx, *step.trigger_detail);
            } else if (md->stop_reason == std::optional<std::string>("oom")) {
                broke += ": an OOM kill";
            }
        }
        out.rows.push_back({"Breaking point", broke});
        out.rows.push_back({"Recommended load", step.headroom_recommendation
                                                    ? std::to_string(*step.headroom_recommendation) +
                                                          " live drivers (80 % of the last healthy load)"
                                                    : std::string("n/a")});
        if (!step.refinement.empty()) {
            out.rows.push_back({"Bisection probes", std::to_string(step.refinement.size())});
        }
        if (a.stress->usl) {
            usl_rows(*a.stress->usl, out);
        }
        return;
    }
    // Ramp mode: the reference's rule counts queued agents.
    std::string trigger = md->trigger ? breach_text(ctx, *md->trigger) : std::string("none (time limit)");
    std::string load = std::to_string(md->drivers_queued) + " drivers queued";
    if (md->live_drivers_at_trigger) {
        load += ", " + std::to_string(*md->live_drivers_at_trigger) + " live";
    }
    out.rows.push_back({"Stress trigger (ramp)", trigger + " at " + load});
    out.warnings.push_back(
        "Ramp mode (the reference's rule) sizes the duration and speed tests from queued agents, which run "
        "ahead of the live ones: the platform may never have held that load. scenarios.stress_mode=step "
        "measures the last healthy load in live agents.");
}

}  // namespace

CapacityBlock capacity_block(const ReportContext& context) {
    CapacityBlock out;
    const auto& a = context.analysis;
    stress_rows(context, out);
    const auto& d = context.run.derived_config;
    if (d && d->is_object() && d->contains("duration_agent_count")) {
        std::string source = text_of(*d, "agent_count_source");
        if (source == "?") {
            source = "half the drivers queued (reference rule)";
        }
        out.rows.push_back({"Duration and speed load", text_of(*d, "duration_agent_count") +
                                                           " drivers and as many riders (" + source + ")"});
    }
    if (a.speed) {
        out.rows.push_back({"Max speed passed", std::to_string(a.speed->max_speed_passed) +
                                                    "x (last step run " +
                                                    std::to_string(a.speed->max_speed_achieved) + "x)"});
    } else if (const auto why = unsampled_reason(a, model::scenario_names::kSpeed)) {
        out.rows.push_back({"Max speed passed", "not measured: speed scaling " + *why});
    }
    if (a.duration) {
        std::string leaks;
        for (const auto& l : a.duration->leaks) {
            if (!leaks.empty()) {
                leaks += "; ";
            }
            leaks += display_name(context.config, l.container) + " " + l.verdict;
            if (l.verdict == "leak" || l.verdict == "suspect") {
                leaks += " (" + format_number(l.ols_memory_slope_mb_per_min, analysis::decimals::kSlope) +
                         " MB/min)";
            }
        }
        out.rows.push_back({"Leak verdicts", leaks.empty() ? std::string("no containers judged") : leaks});
    } else if (const auto why = unsampled_reason(a, model::scenario_names::kDuration)) {
        out.rows.push_back({"Leak verdicts", "not judged: duration test " + *why});
    }
    if (a.calibration) {
        calibration_rows(*a.calibration, out);
    }
    return out;
}

}  // namespace perfrunner::report
