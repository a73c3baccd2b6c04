// compare.html: the comparison as one self-contained page — the table of the CI text, the figures, and every
// compared series drawn side by side (base left, new right, one y scale, the medians dashed) as inline SVG,
// so the page opens offline and without plotly.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

#include <fmt/format.h>

#include "compare_format.hpp"
#include "perfrunner/report/compare_report.hpp"
#include "perfrunner/report/escape.hpp"
#include "perfrunner/report/lttb.hpp"

namespace perfrunner::report {

namespace {

constexpr double kWidth = 420, kHeight = 150, kPad = 6;
constexpr std::size_t kMaxPoints = 200;  // per panel: enough for the shape, small for hundreds of series

std::string h(std::string_view s) {
    return html_escape(s);
}

struct Range {
    double lo = 0, hi = 1;
};

Range y_range(const analysis::MetricComparison& m) {
    double lo = INFINITY, hi = -INFINITY;
    for (const auto* v : {&m.base_values, &m.next_values}) {
        for (const double y : *v) {
            lo = std::min(lo, y);
            hi = std::max(hi, y);
        }
    }
    if (!(lo <= hi)) {
        return {};
    }
    const double margin = hi > lo ? (hi - lo) * 0.05 : std::max(1.0, std::fabs(hi) * 0.05);
    return {lo - margin, hi + margin};
}

std::string panel(const std::vector<double>& values, double median, const Range& r,
                  const std::string& title) {
    std::ostringstream b;
    b << fmt::format(
        "<svg class=\"panel\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" role=\"img\">", kWidth,
        kHeight);
    b << "<title>" << h(title) << "</title>";
    b << fmt::format("<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" class=\"frame\"/>", kWidth, kHeight);
    const auto px = [&](double i, double n) {
        return kPad + (kWidth - 2 * kPad) * (n > 1 ? i / (n - 1) : 0.5);
    };
    const auto py = [&](double y) {
        return kHeight - kPad - (kHeight - 2 * kPad) * (y - r.lo) / (r.hi - r.lo);
    };
    if (!values.empty()) {
        std::vector<double> x(values.size());
        std::iota(x.begin(), x.end(), 0.0);
        const auto keep = lttb_indices(x, values, kMaxPoints);
        b << "<polyline class=\"series\" points=\"";
        for (const auto i : keep) {
            b << fmt::format("{:.1f},{:.1f} ", px(static_cast<double>(i), static_cast<double>(values.size())),
                             py(values[i]));
        }
        b << "\"/>";
        b << fmt::format("<line class=\"median\" x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\"/>", kPad,
                         kWidth - kPad, py(median), py(median));
    }
    b << fmt::format("<text x=\"{}\" y=\"14\">{}</text>", kPad + 2, h(title));
    b << fmt::format("<text x=\"{}\" y=\"{}\" class=\"axis\">{:.4g}</text>", kWidth - kPad - 2, 14, r.hi);
    b << fmt::format("<text x=\"{}\" y=\"{}\" class=\"axis\">{:.4g}</text>", kWidth - kPad - 2,
                     kHeight - kPad - 2, r.lo);
    b << "</svg>";
    return b.str();
}

std::string figure_row(const std::string& what, const std::string& base, const std::string& next,
                       bool regression) {
    return "<tr><td>" + h(what) + "</td><td class=\"num\">" + h(base) + "</td><td class=\"num\">" + h(next) +
           "</td><td>" + (regression ? "<b class=\"bad\">REGRESSION</b>" : "") + "</td></tr>\n";
}

std::string optional_long(const std::optional<long>& v) {
    return v ? std::to_string(*v) : "n/a";
}

constexpr const char* kStyle =
    "body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}"
    "td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px}td.num{text-align:right}"
    ".bad{color:#b00020}.good{color:#1b5e20}.verdict{font-size:1.4em;font-weight:bold;padding:.4em}"
    ".verdict.fail{background:#fdecea}.verdict.pass{background:#e8f5e9}.pair{display:flex;gap:12px;"
    "flex-wrap:wrap}svg.panel{background:#fff}svg .frame{fill:none;stroke:#ddd}svg .series{fill:none;"
    "stroke:#1565c0;stroke-width:1.2}svg .median{stroke:#e65100;stroke-dasharray:5 3}svg text{font-size:11px;"
    "fill:#444}svg text.axis{text-anchor:end;fill:#888}details{margin:.3em 0}summary{cursor:pointer}";

}  // namespace

std::string render_compare_html(const CompareReportContext& context) {
    const auto& r = context.result;
    std::ostringstream b;
    b << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>perfrunner compare</title>"
      << "<style>" << kStyle << "</style></head><body>\n";
    b << "<div class=\"verdict " << (r.regression() ? "fail" : "pass") << "\">"
      << (r.regression() ? "REGRESSION" : "No regression") << "</div>\n<h1>Comparison of two runs</h1>\n";
    b << "<table><tr><th></th><th>file</th><th>test id</th><th>started</th></tr>\n";
    for (const auto& [label, in] : {std::pair{"base", &context.base}, std::pair{"new", &context.next}}) {
        b << "<tr><td>" << label << "</td><td>" << h(in->path) << "</td><td>" << h(in->test_id) << "</td><td>"
          << h(in->started_at) << "</td></tr>\n";
    }
    b << "</table>\n";
    if (r.regression()) {
        b << "<h2>Regressions</h2><ul>\n";
        for (const auto& line : r.regressions) {
            b << "<li class=\"bad\">" << h(line) << "</li>\n";
        }
        b << "</ul>\n";
    }

    b << "<h2>Capacity, speed, leaks, OOM events</h2>\n<table><tr><th>figure</th><th>base</th><th>new</th>"
         "<th></th></tr>\n";
    if (!r.capacity_kind.empty()) {
        b << figure_row("last healthy, " + r.capacity_kind, optional_long(r.capacity.base.last_healthy),
                        optional_long(r.capacity.next.last_healthy), r.capacity.regression);
        b << figure_row("breaking point", optional_long(r.capacity.base.breaking_point),
                        optional_long(r.capacity.next.breaking_point), false);
    }
    if (r.speed.base && r.speed.next) {
        b << figure_row("max speed passed", fmt::format("x{}", *r.speed.base),
                        fmt::format("x{}", *r.speed.next), r.speed.regression);
    }
    for (const auto& l : r.leaks) {
        b << figure_row("leak verdict " + l.container, l.base.empty() ? "not analysed" : l.base,
                        l.next.empty() ? "not analysed" : l.next, l.regression);
    }
    for (const auto& o : r.ooms) {
        b << figure_row("OOM events " + o.container, std::to_string(o.base), std::to_string(o.next),
                        o.regression);
    }
    b << "</table>\n";

    b << "<h2>Series</h2>\n<p>"
      << h(fmt::format(
             "Change of the median with its {:g} % confidence interval; p from the effective sample "
             "size (lag-1 autocorrelation), Holm-adjusted over every tested comparison; a regression "
             "needs holm < {:g}, the worse direction, and a change beyond the metric's tolerance and "
             "floor. \"~\": not significant. {}",
             (1.0 - context.settings.alpha) * 100.0, context.settings.alpha, compare_text::kPooledNote))
      << "</p>\n";
    b << "<table><tr><th>scenario</th><th>container</th><th>metric</th><th>base</th><th>new</th><th>delta</"
         "th>"
         "<th>CI</th><th>evidence</th><th></th></tr>\n";
    for (const auto& m : r.metrics) {
        const auto c = m.verdict.change_class;
        const char* cls = c == analysis::ChangeClass::regression    ? " class=\"bad\""
                          : c == analysis::ChangeClass::improvement ? " class=\"good\""
                                                                    : "";
        b << "<tr" << cls << "><td>" << h(compare_text::where(m.key)) << "</td><td>"
          << h(compare_text::who(m.key)) << "</td><td>" << analysis::to_string(m.key.metric)
          << "</td><td class=\"num\">"
          << h(compare_text::value(m.shift.base.median, m.shift.base.n, m.key.metric))
          << "</td><td class=\"num\">"
          << h(compare_text::value(m.shift.next.median, m.shift.next.n, m.key.metric))
          << "</td><td class=\"num\">" << h(compare_text::delta(m)) << "</td><td>"
          << h(c == analysis::ChangeClass::not_significant ? "" : compare_text::interval(m)) << "</td><td>"
          << h(compare_text::evidence(m)) << "</td><td>" << h(compare_text::label(c)) << "</td></tr>\n";
    }
    b << "</table>\n";

    b << "<h2>Side by side</h2>\n";
    for (const auto& m : r.metrics) {
        if (m.base_values.empty() && m.next_values.empty()) {
            continue;
        }
        const auto c = m.verdict.change_class;
        const bool open = c == analysis::ChangeClass::regression || c == analysis::ChangeClass::improvement;
        const Range range = y_range(m);
        b << "<details" << (open ? " open" : "") << "><summary>"
          << h(fmt::format("{} {} {}: {} {}", compare_text::where(m.key), compare_text::who(m.key),
                           analysis::to_string(m.key.metric), compare_text::delta(m), compare_text::label(c)))
          << "</summary><div class=\"pair\">"
          << panel(m.base_values, m.shift.base.median, range,
                   fmt::format("base: median {}",
                               compare_text::value(m.shift.base.median, m.shift.base.n, m.key.metric)))
          << panel(m.next_values, m.shift.next.median, range,
                   fmt::format("new: median {}",
                               compare_text::value(m.shift.next.median, m.shift.next.n, m.key.metric)))
          << "</div></details>\n";
    }
    if (!r.notes.empty()) {
        b << "<h2>Notes</h2><ul>\n";
        for (const auto& n : r.notes) {
            b << "<li>" << h(n) << "</li>\n";
        }
        b << "</ul>\n";
    }
    b << "</body></html>\n";
    return b.str();
}

}  // namespace perfrunner::report
