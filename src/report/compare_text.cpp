// The CI-log text of `perfrunner compare`: one aligned row per comparison as benchstat prints it ("~" when
// not significant), then capacity, speed, leaks, OOM events, notes, and the regressions with the exit code.
#include <algorithm>
#include <array>
#include <sstream>

#include <fmt/format.h>

#include "compare_format.hpp"
#include "perfrunner/report/compare_report.hpp"

namespace perfrunner::report {

namespace {

constexpr std::size_t kColumns = 8;
using Row = std::array<std::string, kColumns>;

std::string optional_long(const std::optional<long>& v) {
    return v ? std::to_string(*v) : "n/a";
}

std::string capacity_line(const analysis::CompareResult& r) {
    const auto& c = r.capacity;
    std::string line = fmt::format("capacity ({}): last healthy {} -> {}", r.capacity_kind,
                                   optional_long(c.base.last_healthy), optional_long(c.next.last_healthy));
    if (c.last_healthy_change) {
        line += fmt::format(" ({:+.1f}%)", *c.last_healthy_change * 100.0);
    }
    if (c.base.breaking_point || c.next.breaking_point) {
        line += fmt::format("; breaking point {} -> {}", optional_long(c.base.breaking_point),
                            optional_long(c.next.breaking_point));
    }
    if (c.base.peak_load || c.next.peak_load) {
        const auto n = [](const std::optional<double>& v) { return v ? fmt::format("{:.0f}", *v) : "n/a"; };
        line += fmt::format("; USL peak N* {} -> {}", n(c.base.peak_load), n(c.next.peak_load));
    }
    return line + (c.regression ? "  REGRESSION" : "");
}

}  // namespace

std::string render_compare_text(const CompareReportContext& context) {
    const auto& r = context.result;
    std::ostringstream out;
    out << fmt::format("base: {}{}\n", context.base.path,
                       context.base.test_id.empty() ? "" : " (" + context.base.test_id + ")");
    out << fmt::format("new:  {}{}\n", context.next.path,
                       context.next.test_id.empty() ? "" : " (" + context.next.test_id + ")");
    out << fmt::format(
        "change of the median, {:g} % CI; p from the effective sample size (lag-1 autocorrelation), "
        "Holm over the tested comparisons; regression = holm < {:g}, worse, beyond tolerance and floor\n",
        (1.0 - context.settings.alpha) * 100.0, context.settings.alpha);
    if (std::any_of(r.metrics.begin(), r.metrics.end(), [](const auto& m) { return m.pooled(); })) {
        out << compare_text::kPooledNote << '\n';
    }
    out << '\n';

    std::vector<Row> rows;
    rows.push_back({"scenario", "container", "metric", "base", "new", "delta", "", ""});
    for (const auto& m : r.metrics) {
        rows.push_back(
            {compare_text::where(m.key), compare_text::who(m.key), analysis::to_string(m.key.metric),
             compare_text::value(m.shift.base.median, m.shift.base.n, m.key.metric),
             compare_text::value(m.shift.next.median, m.shift.next.n, m.key.metric),
             compare_text::delta(m) + (m.verdict.change_class == analysis::ChangeClass::not_significant
                                           ? ""
                                           : " " + compare_text::interval(m)),
             "(" + compare_text::evidence(m) + ")", compare_text::label(m.verdict.change_class)});
    }
    std::array<std::size_t, kColumns> width{};
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < kColumns; ++i) {
            width[i] = std::max(width[i], row[i].size());
        }
    }
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < kColumns; ++i) {
            line += row[i];
            if (i + 1 < kColumns) {
                line += std::string(width[i] - row[i].size() + 2, ' ');
            }
        }
        line.erase(line.find_last_not_of(' ') + 1);
        out << line << '\n';
    }
    if (r.metrics.empty()) {
        out << "(no series the two runs share)\n";
    }
    out << '\n';

    if (!r.capacity_kind.empty()) {
        out << capacity_line(r) << '\n';
    }
    if (r.speed.base && r.speed.next) {
        out << fmt::format("speed scaling: max speed passed x{} -> x{}{}\n", *r.speed.base, *r.speed.next,
                           r.speed.regression ? "  REGRESSION" : "");
    }
    for (const auto& l : r.leaks) {
        out << fmt::format("leak {}: {} -> {}{}\n", l.container, l.base.empty() ? "not analysed" : l.base,
                           l.next.empty() ? "not analysed" : l.next, l.regression ? "  REGRESSION" : "");
    }
    if (r.ooms.empty()) {
        out << "OOM events: none in either run\n";
    }
    for (const auto& o : r.ooms) {
        out << fmt::format("OOM events {}: {} -> {}{}\n", o.container, o.base, o.next,
                           o.regression ? "  REGRESSION" : "");
    }
    for (const auto& n : r.notes) {
        out << "note: " << n << '\n';
    }
    out << '\n';
    if (r.regression()) {
        out << fmt::format("{} regression{} (exit {}):\n", r.regressions.size(),
                           r.regressions.size() == 1 ? "" : "s", kCompareExitRegression);
        for (const auto& line : r.regressions) {
            out << "  " << line << '\n';
        }
    } else {
        out << "no regression (exit 0)\n";
    }
    return out.str();
}

}  // namespace perfrunner::report
