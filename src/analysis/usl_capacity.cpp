#include "perfrunner/analysis/usl_capacity.hpp"

#include <cmath>
#include <variant>

#include <fmt/format.h>

#include "perfrunner/model/scenario_names.hpp"

namespace perfrunner::analysis {

std::optional<double> window_throughput(std::span<const model::Sample> window) {
    double sum = 0;
    std::size_t n = 0;
    for (const auto& s : window) {
        if (s.pace && s.pace->events_per_sec && std::isfinite(*s.pace->events_per_sec)) {
            sum += *s.pace->events_per_sec;
            ++n;
        }
    }
    if (n == 0) {
        return std::nullopt;
    }
    return sum / static_cast<double>(n);
}

namespace {

void add_point(UslCapacity& out, long live_drivers, const std::optional<double>& throughput,
               const std::optional<std::string>& critical, std::string source) {
    // A level an OOM kill or critical memory cut short has no steady-state window.
    if (critical || !throughput || live_drivers <= 0) {
        return;
    }
    out.points.push_back({static_cast<double>(live_drivers), *throughput, std::move(source)});
}

}  // namespace

std::optional<UslCapacity> usl_capacity(const model::RunResult& run) {
    const auto* stress = run.find_scenario(model::scenario_names::kStress);
    const auto* md = stress == nullptr ? nullptr : std::get_if<model::StressMetadata>(&stress->metadata);
    if (md == nullptr || !md->step_mode) {
        return std::nullopt;
    }
    const auto& steps = *md->step_mode;
    UslCapacity out;
    out.last_healthy = steps.last_healthy;
    out.breaking_point = steps.breaking_point;
    bool any = false;
    for (const auto& s : steps.steps) {
        any = any || s.window_throughput.has_value();
        if (s.breach) {  // an interrupted level (no verdict) has no complete window either
            add_point(out, s.live_drivers, s.window_throughput, s.critical, fmt::format("level {}", s.level));
        }
    }
    for (const auto& r : steps.refinement) {
        any = any || r.window_throughput.has_value();
        add_point(out, r.live_drivers, r.window_throughput, r.critical, fmt::format("refine {}", r.probe));
    }
    std::vector<stats::UslPoint> pts;
    pts.reserve(out.points.size());
    for (const auto& p : out.points) {
        pts.push_back({p.load, p.throughput});
    }
    out.fit = stats::fit_usl(pts);
    if (!out.fit.valid) {
        if (!any) {
            out.fit.why_not +=
                " (no load level recorded a throughput: GET /metrics/performance did not answer, "
                "or the run predates throughput per sample)";
        }
    } else if (out.fit.peak_load && out.last_healthy && *out.last_healthy > 0) {
        const double ratio = *out.fit.peak_load / static_cast<double>(*out.last_healthy);
        if (ratio > 2.0 || ratio < 0.5) {
            out.disagreement = fmt::format(
                "N* = {:.0f} and the last healthy load {} differ by more than 2x: the thresholds and the "
                "throughput curve disagree on where the limit is",
                *out.fit.peak_load, *out.last_healthy);
        }
    }
    return out;
}

}  // namespace perfrunner::analysis
