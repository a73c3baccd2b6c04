// junit.xml of `perfrunner compare`: one test case per comparison and per figure, a failure per regression,
// so CI systems list what got worse by name.
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "compare_format.hpp"
#include "perfrunner/report/compare_report.hpp"
#include "perfrunner/report/escape.hpp"

namespace perfrunner::report {

namespace {

// XML 1.0 forbids most control characters even as references: drop them, then escape.
std::string x(std::string_view s) {
    std::string clean;
    clean.reserve(s.size());
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            continue;
        }
        clean += c;
    }
    return html_escape(clean);
}

struct Case {
    std::string suite, name, message;
    bool failed = false;
};

}  // namespace

std::string render_compare_junit(const CompareReportContext& context) {
    const auto& r = context.result;
    std::vector<Case> cases;
    for (const auto& m : r.metrics) {
        const bool failed = m.verdict.change_class == analysis::ChangeClass::regression;
        std::string message = fmt::format(
            "{} -> {}: {} {} ({}) {}", compare_text::value(m.shift.base.median, m.shift.base.n, m.key.metric),
            compare_text::value(m.shift.next.median, m.shift.next.n, m.key.metric), compare_text::delta(m),
            compare_text::interval(m), compare_text::evidence(m),
            compare_text::label(m.verdict.change_class));
        cases.push_back({"compare." + compare_text::where(m.key),
                         compare_text::who(m.key) + " " + analysis::to_string(m.key.metric),
                         std::move(message), failed});
    }
    if (!r.capacity_kind.empty()) {
        const auto& c = r.capacity;
        const auto n = [](const std::optional<long>& v) { return v ? std::to_string(*v) : "n/a"; };
        cases.push_back(
            {"compare.stress_test", "capacity last healthy",
             fmt::format("{} -> {} ({})", n(c.base.last_healthy), n(c.next.last_healthy), r.capacity_kind),
             c.regression});
    }
    if (r.speed.base && r.speed.next) {
        cases.push_back({"compare.speed_scaling", "max speed passed",
                         fmt::format("x{} -> x{}", *r.speed.base, *r.speed.next), r.speed.regression});
    }
    for (const auto& l : r.leaks) {
        cases.push_back({"compare.duration_leak", l.container + " leak verdict",
                         fmt::format("{} -> {}", l.base.empty() ? "not analysed" : l.base,
                                     l.next.empty() ? "not analysed" : l.next),
                         l.regression});
    }
    for (const auto& o : r.ooms) {
        cases.push_back({"compare.oom", o.container + " OOM events", fmt::format("{} -> {}", o.base, o.next),
                         o.regression});
    }
    if (r.ooms.empty()) {
        cases.push_back({"compare.oom", "OOM events", "none in either run", false});
    }

    std::size_t failures = 0;
    for (const auto& c : cases) {
        failures += c.failed ? 1 : 0;
    }
    std::ostringstream b;
    b << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    b << fmt::format("<testsuites name=\"perfrunner compare\" tests=\"{}\" failures=\"{}\">\n", cases.size(),
                     failures);
    b << fmt::format("  <testsuite name=\"compare\" tests=\"{}\" failures=\"{}\">\n", cases.size(), failures);
    for (const auto& c : cases) {
        b << "    <testcase classname=\"" << x(c.suite) << "\" name=\"" << x(c.name) << "\">";
        if (c.failed) {
            b << "<failure type=\"regression\" message=\"" << x(c.message) << "\"/>";
        } else {
            b << "<system-out>" << x(c.message) << "</system-out>";
        }
        b << "</testcase>\n";
    }
    b << "  </testsuite>\n</testsuites>\n";
    return b.str();
}

}  // namespace perfrunner::report
