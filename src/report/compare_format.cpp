#include "compare_format.hpp"

#include <cmath>

#include <fmt/format.h>

namespace perfrunner::report::compare_text {

namespace {

// Never "-0.0%": a change that rounds to zero is shown unsigned.
std::string signed_percent(double fraction) {
    const double p = std::round(fraction * 1000.0) / 10.0;
    return p == 0.0 ? "0.0%" : fmt::format("{:+.1f}%", p);
}

std::string signed_value(double v, analysis::CompareMetric metric) {
    const std::string unit = analysis::unit_of(metric);
    return fmt::format("{:+.3g}{}{}", v, unit.empty() ? "" : " ", unit);
}

}  // namespace

std::string value(double v, std::size_t n, analysis::CompareMetric metric) {
    if (n == 0 || !std::isfinite(v)) {
        return "n/a";
    }
    const std::string unit = analysis::unit_of(metric);
    return fmt::format("{:.4g}{}{}", v, unit.empty() ? "" : " ", unit);
}

std::string delta(const analysis::MetricComparison& m) {
    switch (m.verdict.change_class) {
        case analysis::ChangeClass::insufficient_data:
            return "n/a";
        case analysis::ChangeClass::not_significant:
            return "~";
        default:
            break;
    }
    return m.verdict.relative ? signed_percent(*m.verdict.relative)
                              : signed_value(m.shift.change, m.key.metric);
}

std::string interval(const analysis::MetricComparison& m) {
    if (!m.shift.valid) {
        return "";
    }
    if (m.verdict.relative_lower && m.verdict.relative_upper) {
        return fmt::format("[{}, {}]", signed_percent(*m.verdict.relative_lower),
                           signed_percent(*m.verdict.relative_upper));
    }
    return fmt::format("[{}, {}]", signed_value(m.shift.lower, m.key.metric),
                       signed_value(m.shift.upper, m.key.metric));
}

std::string evidence(const analysis::MetricComparison& m) {
    if (!m.shift.valid) {
        return m.shift.why_not.empty() ? "no test" : m.shift.why_not;
    }
    if (m.pooled()) {
        return fmt::format("p={:.3f} holm={:.3f} {} windows", m.shift.p, m.verdict.p_adjusted,
                           m.pooled_from.size());
    }
    return fmt::format("p={:.3f} holm={:.3f} n={}+{}", m.shift.p, m.verdict.p_adjusted, m.shift.base.n,
                       m.shift.next.n);
}

std::string label(analysis::ChangeClass c) {
    switch (c) {
        case analysis::ChangeClass::regression:
            return "REGRESSION";
        case analysis::ChangeClass::improvement:
            return "improvement";
        case analysis::ChangeClass::within_tolerance:
            return "within tolerance";
        case analysis::ChangeClass::not_significant:
            return "";
        case analysis::ChangeClass::insufficient_data:
            return "no test";
    }
    return "";
}

std::string where(const analysis::SeriesKey& key) {
    return analysis::window_name(key.scenario, key.phase);
}

std::string who(const analysis::SeriesKey& key) {
    return key.container.empty() ? "simulation" : key.container;
}

}  // namespace perfrunner::report::compare_text
