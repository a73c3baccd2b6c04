#include "perfrunner/report/junit_xml.hpp"

#include <algorithm>
#include <set>
#include <sstream>

#include "perfrunner/analysis/analysis_json.hpp"
#include "perfrunner/model/scenario_names.hpp"
#include "perfrunner/model/utf8.hpp"
#include "perfrunner/report/escape.hpp"
#include "perfrunner/report/format.hpp"
#include "perfrunner/report/text_file.hpp"

namespace perfrunner::report {

namespace {

namespace decimals = analysis::decimals;

// XML 1.0 allows only #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF], even as
// references: the text is made valid UTF-8 (no surrogates), then other control characters and the
// non-characters U+FFFE / U+FFFF are dropped, then escaped.
std::string x(std::string_view s) {
    const std::string valid = model::valid_utf8(s);
    std::string clean;
    clean.reserve(valid.size());
    for (std::size_t i = 0; i < valid.size(); ++i) {
        const auto u = static_cast<unsigned char>(valid[i]);
        if ((u < 0x20 && u != '\t' && u != '\n' && u != '\r') || u == 0x7F) {
            continue;
        }
        if (u == 0xEF && i + 2 < valid.size() && static_cast<unsigned char>(valid[i + 1]) == 0xBF &&
            (static_cast<unsigned char>(valid[i + 2]) == 0xBE ||
             static_cast<unsigned char>(valid[i + 2]) == 0xBF)) {
            i += 2;  // U+FFFE, U+FFFF
            continue;
        }
        clean += valid[i];
    }
    return html_escape(clean);
}

struct TestCase {
    std::string suite;  // scenario name, or "run"
    std::string name;
    bool failed = false;
    std::string failure_type, failure_message, detail;
    std::optional<std::string> skipped;  // the reason the check could not run
};

std::string check_name_of(const analysis::Finding& f) {
    if (!f.check_name.empty()) {
        return f.check_name;
    }
    std::string n = f.scenario_name.empty() ? "run" : f.scenario_name;
    if (!f.container.empty()) {
        n += "/" + f.container;
    }
    return n + "/" + (f.category.empty() ? "finding" : f.category);
}

}  // namespace

std::string render_junit_xml(const ReportContext& context) {
    const auto& run = context.run;
    const auto& a = context.analysis;
    std::vector<TestCase> cases;
    std::set<std::string> finding_checks;
    for (const auto& f : a.findings) {
        finding_checks.insert(check_name_of(f));
    }
    auto passing = [&](const std::string& suite, const std::string& name, std::string detail) {
        if (finding_checks.count(name)) {
            return;  // the finding is the test case for this check
        }
        cases.push_back({suite, name, false, "", "", std::move(detail), std::nullopt});
    };

    for (const auto& s : run.scenarios) {
        TestCase c{s.scenario_name, s.scenario_name + "/completed", s.aborted, "", "", "", std::nullopt};
        if (s.aborted) {
            c.failure_type = "scenario_aborted";
            c.failure_message = "scenario aborted: " + s.abort_reason.value_or("no reason recorded");
        } else {
            c.detail = std::to_string(s.samples.size()) + " samples";
        }
        cases.push_back(std::move(c));
        if (s.samples.empty() && s.oom_events.empty()) {
            // Nothing was measured: the checks are skipped with the reason, not passed.
            const auto why = unsampled_reason(a, s.scenario_name);
            TestCase skipped{s.scenario_name,
                             s.scenario_name + "/oom_event",
                             false,
                             "",
                             "",
                             "",
                             why.value_or("no samples recorded")};
            cases.push_back(std::move(skipped));
        } else if (s.oom_events.empty()) {
            passing(s.scenario_name, s.scenario_name + "/oom_event", "no OOM events");
        }
    }
    for (const auto& f : a.findings) {
        TestCase c;
        c.suite = f.scenario_name.empty() ? "run" : f.scenario_name;
        c.name = check_name_of(f);
        c.failed = f.severity == analysis::Severity::critical;
        c.failure_type = f.category;
        c.failure_message = f.message;
        std::ostringstream d;
        d << severity_name(f.severity) << ": " << f.message;
        if (f.metric_value || f.threshold) {
            d << " (value " << format_number(f.metric_value, decimals::kFinding) << ", threshold "
              << format_number(f.threshold, decimals::kFinding) << ")";
        }
        if (!f.recommendation.empty()) {
            d << "; recommendation: " << f.recommendation;
        }
        c.detail = d.str();
        cases.push_back(std::move(c));
    }
    // Level checks (named like the analysis names its findings: <scenario>/<container>/memory|cpu) run on
    // baseline and duration (stress and speed scaling saturate on purpose).
    for (const auto& s : a.scenario_summaries) {
        if (s.scenario_name != model::scenario_names::kBaseline &&
            s.scenario_name != model::scenario_names::kDuration) {
            continue;
        }
        for (const auto& c : s.containers) {
            const auto prefix = s.scenario_name + "/" + c.container + "/";
            passing(s.scenario_name, prefix + "memory",
                    "memory max " + format_number(c.memory_mb.max, decimals::kLevel) + " MB of limit " +
                        (c.memory_limit_mb > 0 ? format_number(c.memory_limit_mb, decimals::kLevel) + " MB"
                                               : "unlimited"));
            passing(s.scenario_name, prefix + "cpu",
                    "CPU max " + format_number(c.cpu_percent.max, decimals::kLevel) + " % of one core (" +
                        format_number(effective_cores(context.config, a, c.container), 2) +
                        " effective cores)");
        }
    }
    if (a.duration) {
        for (const auto& l : a.duration->leaks) {
            passing(model::scenario_names::kDuration,
                    std::string(model::scenario_names::kDuration) + "/" + l.container + "/memory_leak",
                    "leak verdict " + l.verdict + ", tier " + l.tier + ", OLS slope " +
                        format_number(l.ols_memory_slope_mb_per_min, decimals::kSlope) + " MB/min" +
                        (l.reason.empty() ? "" : "; " + l.reason));
        }
    }
    if (a.stress) {
        auto opt = [](const std::optional<long>& v) { return v ? std::to_string(*v) : std::string("n/a"); };
        passing(model::scenario_names::kStress, std::string(model::scenario_names::kStress) + "/capacity",
                "last healthy " + opt(a.stress->last_healthy) + ", breaking point " +
                    opt(a.stress->breaking_point) + ", recommended load " + opt(a.stress->recommended_load));
    }
    if (a.speed) {
        passing(model::scenario_names::kSpeed, std::string(model::scenario_names::kSpeed) + "/max_speed",
                "max speed passed " + std::to_string(a.speed->max_speed_passed) + "x, last step run " +
                    std::to_string(a.speed->max_speed_achieved) + "x");
    }

    std::vector<std::string> suites;
    for (const auto& c : cases) {
        if (std::find(suites.begin(), suites.end(), c.suite) == suites.end()) {
            suites.push_back(c.suite);
        }
    }
    const auto failures =
        std::count_if(cases.begin(), cases.end(), [](const TestCase& c) { return c.failed; });
    std::ostringstream out;
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out << "<testsuites name=\"perfrunner " << x(run.test_id) << "\" tests=\"" << cases.size()
        << "\" failures=\"" << failures << "\" errors=\"0\">\n";
    for (const auto& suite : suites) {
        std::size_t n = 0, f = 0, skipped = 0;
        for (const auto& c : cases) {
            if (c.suite != suite) {
                continue;
            }
            ++n;
            f += c.failed ? 1 : 0;
            skipped += c.skipped ? 1 : 0;
        }
        out << "  <testsuite name=\"perfrunner." << x(suite) << "\" tests=\"" << n << "\" failures=\"" << f
            << "\" errors=\"0\" skipped=\"" << skipped << "\">\n";
        for (const auto& c : cases) {
            if (c.suite != suite) {
                continue;
            }
            out << "    <testcase classname=\"perfrunner." << x(suite) << "\" name=\"" << x(c.name) << "\"";
            if (!c.failed && !c.skipped && c.detail.empty()) {
                out << "/>\n";
                continue;
            }
            out << ">\n";
            if (c.skipped) {
                out << "      <skipped message=\"" << x(*c.skipped) << "\"/>\n";
            } else if (c.failed) {
                out << "      <failure type=\"" << x(c.failure_type) << "\" message=\""
                    << x(c.failure_message) << "\">" << x(c.detail.empty() ? c.failure_message : c.detail)
                    << "</failure>\n";
            } else {
                out << "      <system-out>" << x(c.detail) << "</system-out>\n";
            }
            out << "    </testcase>\n";
        }
        out << "  </testsuite>\n";
    }
    out << "</testsuites>\n";
    return out.str();
}

void JunitXmlWriter::write(const ReportContext& context) {
    write_text_file(context.run_dir / "junit.xml", render_junit_xml(context));
}

}  // namespace perfrunner::report
