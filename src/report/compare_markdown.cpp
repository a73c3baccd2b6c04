// compare.md: the comparison as a Markdown page (the table of the CI text, figures, notes, regressions).
#include <sstream>

#include <fmt/format.h>

#include "compare_format.hpp"
#include "perfrunner/report/compare_report.hpp"
#include "perfrunner/report/escape.hpp"

namespace perfrunner::report {

namespace {

std::string md(std::string_view s) {
    return markdown_escape(s);
}

std::string optional_long(const std::optional<long>& v) {
    return v ? std::to_string(*v) : "n/a";
}

std::string optional_load(const std::optional<double>& v) {
    return v ? fmt::format("{:.0f}", *v) : "n/a";
}

std::string verdict_cell(bool regression) {
    return regression ? "**REGRESSION**" : "";
}

}  // namespace

std::string render_compare_markdown(const CompareReportContext& context) {
    const auto& r = context.result;
    std::ostringstream b;
    b << "# Comparison: " << (r.regression() ? "REGRESSION" : "no regression") << "\n\n";
    b << "| | file | test id | started |\n|---|---|---|---|\n";
    b << "| base | " << md(context.base.path) << " | " << md(context.base.test_id) << " | "
      << md(context.base.started_at) << " |\n";
    b << "| new | " << md(context.next.path) << " | " << md(context.next.test_id) << " | "
      << md(context.next.started_at) << " |\n\n";

    if (r.regression()) {
        b << "## Regressions\n\n";
        for (const auto& line : r.regressions) {
            b << "- " << md(line) << "\n";
        }
        b << "\n";
    }

    b << "## Series\n\n";
    b << fmt::format(
        "Change of the median with its {:g} % confidence interval. The p-value comes from the medians' "
        "standard errors with the effective sample size n(1 − ρ)/(1 + ρ) of the lag-1 autocorrelation ρ "
        "(samples 2 s apart are not independent); `holm` is Holm-adjusted over every tested comparison. A "
        "change is a regression only when holm < {:g}, it is in the worse direction, and it is beyond the "
        "metric's tolerance and absolute floor. `~`: not significant. {}\n\n",
        (1.0 - context.settings.alpha) * 100.0, context.settings.alpha, compare_text::kPooledNote);
    if (r.metrics.empty()) {
        b << "No series the two runs share.\n\n";
    } else {
        b << "| scenario | container | metric | base | new | delta | CI | evidence | |\n"
             "|---|---|---|---:|---:|---:|---|---|---|\n";
        for (const auto& m : r.metrics) {
            const bool tested = m.verdict.change_class != analysis::ChangeClass::not_significant;
            b << "| " << md(compare_text::where(m.key)) << " | " << md(compare_text::who(m.key)) << " | "
              << analysis::to_string(m.key.metric) << " | "
              << md(compare_text::value(m.shift.base.median, m.shift.base.n, m.key.metric)) << " | "
              << md(compare_text::value(m.shift.next.median, m.shift.next.n, m.key.metric)) << " | "
              << md(compare_text::delta(m)) << " | " << md(tested ? compare_text::interval(m) : "") << " | "
              << md(compare_text::evidence(m)) << " | "
              << (m.verdict.change_class == analysis::ChangeClass::regression
                      ? "**REGRESSION**"
                      : md(compare_text::label(m.verdict.change_class)))
              << " |\n";
        }
        b << "\n";
    }

    b << "## Capacity, speed, leaks, OOM events\n\n| figure | base | new | |\n|---|---:|---:|---|\n";
    if (!r.capacity_kind.empty()) {
        const auto& c = r.capacity;
        b << "| last healthy, " << md(r.capacity_kind) << " | " << optional_long(c.base.last_healthy) << " | "
          << optional_long(c.next.last_healthy) << " | " << verdict_cell(c.regression) << " |\n";
        b << "| breaking point | " << optional_long(c.base.breaking_point) << " | "
          << optional_long(c.next.breaking_point) << " | |\n";
        if (c.base.peak_load || c.next.peak_load) {
            b << "| USL peak N* | " << optional_load(c.base.peak_load) << " | "
              << optional_load(c.next.peak_load) << " | |\n";
        }
    }
    if (r.speed.base && r.speed.next) {
        b << "| max speed passed | x" << *r.speed.base << " | x" << *r.speed.next << " | "
          << verdict_cell(r.speed.regression) << " |\n";
    }
    for (const auto& l : r.leaks) {
        b << "| leak verdict " << md(l.container) << " | " << md(l.base.empty() ? "not analysed" : l.base)
          << " | " << md(l.next.empty() ? "not analysed" : l.next) << " | " << verdict_cell(l.regression)
          << " |\n";
    }
    for (const auto& o : r.ooms) {
        b << "| OOM events " << md(o.container) << " | " << o.base << " | " << o.next << " | "
          << verdict_cell(o.regression) << " |\n";
    }
    if (r.ooms.empty()) {
        b << "| OOM events | 0 | 0 | |\n";
    }
    b << "\n";
    if (!r.notes.empty()) {
        b << "## Notes\n\n";
        for (const auto& n : r.notes) {
            b << "- " << md(n) << "\n";
        }
        b << "\n";
    }
    return b.str();
}

}  // namespace perfrunner::report
