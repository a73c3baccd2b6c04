// compare.json: everything `perfrunner compare` decided, for machines (CI gates, dashboards). Numbers are
// unrounded; NaN and infinities never appear (null instead).
#include <cmath>

#include "compare_format.hpp"
#include "perfrunner/report/compare_report.hpp"

namespace perfrunner::report {

namespace {

using Json = nlohmann::ordered_json;

Json num(double v) {
    return std::isfinite(v) ? Json(v) : Json(nullptr);
}

template <class T>
Json opt(const std::optional<T>& v) {
    if (!v) {
        return Json(nullptr);
    }
    if constexpr (std::is_floating_point_v<T>) {
        return num(*v);
    } else {
        return Json(*v);
    }
}

Json side(const analysis::stats::MedianSide& s) {
    Json j;
    j["n"] = s.n;
    j["median"] = s.n == 0 ? Json(nullptr) : num(s.median);
    j["median_ci"] = s.n == 0 || !(s.se > 0 || s.lower != s.upper)
                         ? Json(nullptr)
                         : Json::array({num(s.lower), num(s.upper)});
    j["n_eff"] = num(s.n_eff);
    return j;
}

Json metric(const analysis::MetricComparison& m) {
    Json j;
    j["scenario"] = m.key.scenario;
    j["phase"] = m.key.phase;
    j["container"] = m.key.container.empty() ? Json(nullptr) : Json(m.key.container);
    j["metric"] = analysis::to_string(m.key.metric);
    j["unit"] = analysis::unit_of(m.key.metric);
    j["class"] = analysis::to_string(m.verdict.change_class);
    j["base"] = side(m.shift.base);
    j["new"] = side(m.shift.next);
    j["change"] = num(m.shift.change);
    j["change_ci"] = m.shift.valid ? Json::array({num(m.shift.lower), num(m.shift.upper)}) : Json(nullptr);
    j["relative_change"] = opt(m.verdict.relative);
    j["relative_change_ci"] =
        m.verdict.relative_lower && m.verdict.relative_upper
            ? Json::array({num(*m.verdict.relative_lower), num(*m.verdict.relative_upper)})
            : Json(nullptr);
    j["lag1_autocorrelation"] = m.shift.valid ? num(m.shift.rho) : Json(nullptr);
    j["df"] = m.shift.valid ? num(m.shift.df) : Json(nullptr);
    j["p"] = m.shift.valid ? num(m.shift.p) : Json(nullptr);
    j["p_holm"] = m.shift.valid ? num(m.verdict.p_adjusted) : Json(nullptr);
    j["why_no_test"] = m.shift.valid ? Json(nullptr) : Json(m.shift.why_not);
    j["pooled_from"] = m.pooled() ? Json(m.pooled_from) : Json(nullptr);
    return j;
}

Json capacity_side(const analysis::CapacityFigures& f) {
    Json j;
    j["last_healthy"] = opt(f.last_healthy);
    j["breaking_point"] = opt(f.breaking_point);
    j["step"] = opt(f.step);
    j["usl_peak_load"] = opt(f.peak_load);
    return j;
}

Json input(const CompareInput& in) {
    return Json{{"path", in.path}, {"test_id", in.test_id}, {"started_at", in.started_at}};
}

}  // namespace

nlohmann::ordered_json compare_json(const CompareReportContext& context) {
    const auto& r = context.result;
    const auto& s = context.settings;
    Json j;
    j["schema_version"] = "perfrunner-compare/1";
    j["base"] = input(context.base);
    j["new"] = input(context.next);
    j["regression"] = r.regression();
    j["exit_code"] = r.regression() ? kCompareExitRegression : 0;
    j["regressions"] = r.regressions;
    Json method;
    method["statistic"] = "change of the median";
    method["test"] =
        "Welch t on the medians' standard errors with the effective sample size n(1-rho)/(1+rho) of a "
        "pooled, "
        "bias-corrected lag-1 autocorrelation";
    method["correction"] = "holm";
    method["alpha"] = s.alpha;
    method["confidence_level"] = 1.0 - s.alpha;
    Json tolerances = Json::object();
    for (const auto m : analysis::kCompareMetrics) {
        const auto& t = s.tolerance_for(m);
        tolerances[analysis::to_string(m)] = {
            {"relative", t.relative},
            {"absolute", t.absolute},
            {"unit", analysis::unit_of(m)},
            {"worse", t.worse == analysis::WorseDirection::higher ? "higher" : "lower"}};
    }
    method["tolerances"] = tolerances;
    method["capacity_tolerance"] = s.capacity_tolerance;
    j["method"] = method;

    j["metrics"] = Json::array();
    for (const auto& m : r.metrics) {
        j["metrics"].push_back(metric(m));
    }
    Json capacity;
    capacity["kind"] = r.capacity_kind.empty() ? Json(nullptr) : Json(r.capacity_kind);
    capacity["base"] = capacity_side(r.capacity.base);
    capacity["new"] = capacity_side(r.capacity.next);
    capacity["last_healthy_change"] = opt(r.capacity.last_healthy_change);
    capacity["usl_peak_load_change"] = opt(r.capacity.peak_load_change);
    capacity["regression"] = r.capacity.regression;
    j["capacity"] = capacity;
    j["speed"] = {{"base_max_speed_passed", opt(r.speed.base)},
                  {"new_max_speed_passed", opt(r.speed.next)},
                  {"regression", r.speed.regression}};
    j["leaks"] = Json::array();
    for (const auto& l : r.leaks) {
        j["leaks"].push_back({{"container", l.container},
                              {"base", l.base.empty() ? Json(nullptr) : Json(l.base)},
                              {"new", l.next.empty() ? Json(nullptr) : Json(l.next)},
                              {"regression", l.regression}});
    }
    j["oom_events"] = Json::array();
    for (const auto& o : r.ooms) {
        j["oom_events"].push_back(
            {{"container", o.container}, {"base", o.base}, {"new", o.next}, {"regression", o.regression}});
    }
    j["notes"] = r.notes;
    return j;
}

}  // namespace perfrunner::report
