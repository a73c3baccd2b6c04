// summary.json, report.md, report.html and junit.xml on a hand-built run and analysis.
#include <gtest/gtest.h>

#include <regex>

#include "perfrunner/analysis/analysis.hpp"
#include "perfrunner/model/utf8.hpp"
#include "perfrunner/report/escape.hpp"
#include "perfrunner/report/junit_xml.hpp"
#include "perfrunner/report/report_html.hpp"
#include "perfrunner/report/report_markdown.hpp"
#include "perfrunner/report/summary_json.hpp"
#include "unit/report/fixtures.hpp"

namespace perfrunner::report {
namespace {

using testing::kHostile;

struct Inputs {
    model::RunResult run = testing::make_run();
    analysis::Analysis analysis = testing::make_analysis();
    config::Config config = testing::make_config();
    testing::TempDir dir;
    ReportContext context() const { return {run, analysis, config, dir.path, PngMode::never}; }
};

// Minimal XML well-formedness check: balanced elements, quoted attributes, only the five predefined entities
// or character references, no raw '<' in text. Returns "" when well-formed, else what is wrong.
std::string xml_problem(const std::string& xml) {
    std::vector<std::string> stack;
    std::size_t i = 0;
    if (xml.rfind("<?xml", 0) == 0) {
        i = xml.find("?>") + 2;
    }
    const std::regex entity("^&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);");
    auto check_entities = [&](const std::string& s) -> bool {
        for (std::size_t p = s.find('&'); p != std::string::npos; p = s.find('&', p + 1)) {
            if (!std::regex_search(s.substr(p, 12), entity)) {
                return false;
            }
        }
        return true;
    };
    bool root_seen = false;
    while (i < xml.size()) {
        const auto lt = xml.find('<', i);
        const std::string text = xml.substr(i, lt == std::string::npos ? std::string::npos : lt - i);
        if (!check_entities(text)) {
            return "bad entity in text: " + text;
        }
        if (stack.empty() && text.find_first_not_of(" \n\t\r") != std::string::npos) {
            return "text outside root";
        }
        if (lt == std::string::npos) {
            break;
        }
        const auto gt = xml.find('>', lt);
        if (gt == std::string::npos) {
            return "unterminated tag";
        }
        std::string tag = xml.substr(lt + 1, gt - lt - 1);
        if (tag.find('<') != std::string::npos) {
            return "'<' inside a tag: " + tag;
        }
        if (tag.rfind("!--", 0) == 0) {
            i = xml.find("-->", lt) + 3;
            continue;
        }
        if (tag[0] == '/') {
            if (stack.empty() || stack.back() != tag.substr(1)) {
                return "mismatched close " + tag;
            }
            stack.pop_back();
        } else {
            const bool self_closing = tag.back() == '/';
            if (self_closing) {
                tag.pop_back();
            }
            const auto name_end = tag.find_first_of(" \n\t");
            const std::string name = tag.substr(0, name_end);
            std::string attrs = name_end == std::string::npos ? "" : tag.substr(name_end);
            const std::regex attr_re("^\\s*[A-Za-z_:][-A-Za-z0-9_:.]*=\"([^\"<]*)\"");
            std::smatch m;
            while (!attrs.empty() && attrs.find_first_not_of(" \n\t") != std::string::npos) {
                if (!std::regex_search(attrs, m, attr_re)) {
                    return "bad attribute in <" + tag + ">";
                }
                if (!check_entities(m[1].str())) {
                    return "bad entity in attribute " + m[1].str();
                }
                attrs = m.suffix();
            }
            if (stack.empty() && root_seen) {
                return "second root element";
            }
            root_seen = true;
            if (!self_closing) {
                stack.push_back(name);
            }
        }
        i = gt + 1;
    }
    return stack.empty() ? "" : "unclosed <" + stack.back() + ">";
}

TEST(XmlChecker, RejectsBrokenXml) {  // the checker itself must be able to fail
    EXPECT_EQ(xml_problem("<a><b x=\"1\"/>t &amp; u</a>"), "");
    EXPECT_NE(xml_problem("<a><b></a>"), "");
    EXPECT_NE(xml_problem("<a x=\"</script>\"></a>"), "");
    EXPECT_NE(xml_problem("<a>R&D</a>"), "");
}

TEST(SummaryJson, HasTheReferenceShapeAndRounding) {
    Inputs in;
    const auto doc = summary_document(in.context());
    EXPECT_EQ(doc["test_id"], "20260212_193000");
    EXPECT_EQ(doc["started_at"], in.run.started_at);
    EXPECT_EQ(doc["completed_at"], in.run.completed_at);
    const auto& v = doc["verdict"];
    std::vector<std::string> keys;
    for (const auto& [k, val] : v.items()) {
        keys.push_back(k);
    }
    const std::vector<std::string> reference = {"overall_status",   "findings",         "recommendations",
                                                "container_health", "scenarios_passed", "scenarios_failed",
                                                "total_oom_events", "critical_count",   "warning_count"};
    ASSERT_GE(keys.size(), reference.size());
    EXPECT_EQ(std::vector<std::string>(keys.begin(), keys.begin() + 9), reference);
    EXPECT_EQ(v["overall_status"], "fail");
    ASSERT_EQ(v["findings"].size(), 3u);
    const auto& leak = v["findings"][1];
    EXPECT_EQ(leak["severity"], "warning");
    EXPECT_EQ(leak["category"], "memory_leak");
    EXPECT_EQ(leak["metric_value"], 1.23);  // 2 dp
    EXPECT_EQ(leak["threshold"], 1.0);
    EXPECT_EQ(leak["scenario_name"], "duration_leak");
    EXPECT_TRUE(v["findings"][0]["metric_value"].is_null());
    EXPECT_EQ(v["findings"][0]["container"], kHostile);
    const auto& health = v["container_health"][0];
    EXPECT_EQ(health["memory_current_mb"], 500.0);            // 1 dp
    EXPECT_EQ(health["memory_leak_rate_mb_per_min"], 0.123);  // 3 dp
    EXPECT_TRUE(v["container_health"][1]["memory_leak_rate_mb_per_min"].is_null());
    EXPECT_EQ(v["total_oom_events"], 1);
    EXPECT_EQ(v["critical_count"], 1);
    EXPECT_EQ(v["leak_detection"]["rideshare-simulation"]["verdict"], "leak");
    EXPECT_EQ(v["stress_summary"]["last_healthy"], 180);
    EXPECT_EQ(v["stress_summary"]["breaking_point"], 200);
    EXPECT_EQ(v["speed_summary"]["max_speed_passed"], 2);
}

TEST(SummaryJson, WriterWritesParsableFile) {
    Inputs in;
    SummaryJsonWriter().write(in.context());
    const auto text = testing::read_file(in.dir.path / "summary.json");
    const auto parsed = nlohmann::json::parse(text);
    EXPECT_EQ(parsed["verdict"]["overall_status"], "fail");
    EXPECT_EQ(parsed["verdict"]["recommendations"].size(), 2u);
}

TEST(MarkdownReport, HasEverySection) {
    Inputs in;
    const auto md = render_markdown_report(in.context());
    for (const char* needle : {"**Verdict: FAIL**",
                               "## Test Summary",
                               "| Test ID | 20260212_193000 |",
                               "| Duration | 1:32:03 |",
                               "| OOM Events | 1 |",
                               "### Critical Issues",
                               "### Warnings",
                               "### Info",
                               "## Container Health",
                               "| Simulation | 500.0 | 1024.0 | 48.8 | 0.123 | 57.0 | OK |",
                               "CRIT",
                               "## Leak Analysis",
                               "| Simulation | leak | investigate | 1.234 |",
                               "## Stress Test",
                               "| Last healthy load | 180 |",
                               "| Breaking point | 200 |",
                               "rideshare-kafka cpu at 136.20 (threshold 135.00)",
                               "## Speed Scaling",
                               "Max speed passed: **2x**",
                               "## Derived Configuration",
                               "used 50 agents per type, half of the 100",
                               "## Recommendations",
                               "- Profile memory allocation and check for leaks",
                               "charts/index.html",
                               "(value 1.23, threshold 1.00)"}) {
        EXPECT_NE(md.find(needle), std::string::npos) << needle;
    }
    EXPECT_EQ(md.find(kHostile), std::string::npos) << "raw HTML of a container name reached report.md";
    EXPECT_LT(md.find("### Critical Issues"), md.find("OOM event detected"));
    EXPECT_LT(md.find("OOM event detected"), md.find("### Warnings"));
}

TEST(MarkdownReport, EmptyAnalysisSaysSo) {
    Inputs in;
    in.analysis = analysis::Analysis{};
    in.run.derived_config.reset();
    const auto md = render_markdown_report(in.context());
    EXPECT_NE(md.find("**Verdict: PASS**"), std::string::npos);
    EXPECT_NE(md.find("No container data (no scenario has samples)."), std::string::npos);
    EXPECT_NE(md.find("No derived configuration"), std::string::npos);
}

TEST(HtmlReport, VerdictFirstFindingsTableAndEscapedNames) {
    Inputs in;
    const auto html = render_html_report(in.context());
    EXPECT_EQ(html.find(kHostile), std::string::npos) << "unescaped container name in report.html";
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_NE(html.find("&lt;/script&gt;&lt;script&gt;alert(1)"), std::string::npos);
    const auto verdict = html.find("Verdict: FAIL");
    ASSERT_NE(verdict, std::string::npos);
    EXPECT_LT(verdict, html.find("<h2>Findings</h2>"));
    EXPECT_LT(html.find("<h2>Findings</h2>"), html.find("<h2>Container Health</h2>"));
    EXPECT_NE(html.find("<tr class=\"critical\"><td>critical</td><td>duration_leak</td>"), std::string::npos);
    for (const char* link :
         {"charts/index.html", "charts/overview/cpu_heatmap.html", "charts/overview/memory_heatmap.html",
          "charts/duration/duration_timeline_memory_1.html", "charts/duration/duration_timeline_cpu_2.html",
          "charts/stress/stress_timeline_cpu.html", "charts/stress/stress_comparison_memory.html",
          "charts/speed_scaling/speed_scaling_cpu.html", "charts/overview/real_time_ratio_timeline.html"}) {
        EXPECT_NE(html.find(std::string("href=\"") + link + "\""), std::string::npos) << link;
    }
    EXPECT_EQ(html.find(".png"), std::string::npos) << "no PNG exists, so none may be linked";
}

TEST(JunitXml, OneCasePerCheckAndFailuresForCriticalFindings) {
    Inputs in;
    const auto xml = render_junit_xml(in.context());
    EXPECT_EQ(xml_problem(xml), "") << xml;
    EXPECT_EQ(xml.find(kHostile), std::string::npos);
    // Exactly one failure: the critical OOM finding.
    std::size_t failures = 0;
    for (auto p = xml.find("<failure "); p != std::string::npos; p = xml.find("<failure ", p + 1)) {
        ++failures;
    }
    EXPECT_EQ(failures, 1u);
    EXPECT_NE(xml.find("failures=\"1\""), std::string::npos);
    EXPECT_NE(
        xml.find("name=\"duration_leak/&lt;/script&gt;&lt;script&gt;alert(1)/oom_event\">\n      <failure "
                 "type=\"oom_event\""),
        std::string::npos);
    for (const char* name :
         {"baseline/completed", "stress_test/completed", "duration_leak/completed", "speed_scaling/completed",
          "baseline/rideshare-simulation/memory", "baseline/rideshare-kafka/cpu",
          "duration_leak/rideshare-kafka/memory_leak", "duration_leak/rideshare-simulation/memory_leak",
          "stress_test/capacity", "speed_scaling/max_speed"}) {
        EXPECT_NE(xml.find(std::string("name=\"") + name + "\""), std::string::npos) << name;
    }
    // The leak finding is the test case of its check: not listed a second time as a passing one.
    const std::string leak = "name=\"duration_leak/rideshare-simulation/memory_leak\"";
    EXPECT_EQ(xml.find(leak, xml.find(leak) + 1), std::string::npos);
    // Stress and speed-scaling saturation is not a level check.
    EXPECT_EQ(xml.find("stress_test/rideshare-kafka/cpu\""), std::string::npos);
}

TEST(JunitXml, ALevelFindingReplacesItsPassingCheck) {
    Inputs in;
    analysis::Finding f;
    f.severity = analysis::Severity::critical;
    f.category = "high_memory_usage";
    f.container = testing::kSim;
    f.message = "Simulation memory at 91.0% of limit";
    f.scenario_name = "baseline";
    f.check_name = "baseline/rideshare-simulation/memory";
    in.analysis.findings.push_back(f);
    const auto xml = render_junit_xml(in.context());
    const std::string name = "name=\"baseline/rideshare-simulation/memory\"";
    const auto first = xml.find(name);
    ASSERT_NE(first, std::string::npos);
    EXPECT_EQ(xml.find(name, first + 1), std::string::npos);
    EXPECT_EQ(xml.find("<failure type=\"high_memory_usage\"", first), xml.find("<failure", first));
    EXPECT_NE(xml.find("failures=\"2\""), std::string::npos);
}

TEST(JunitXml, AbortedScenarioFailsAndCountsAddUp) {
    Inputs in;
    in.run.scenarios[2].aborted = true;
    in.run.scenarios[2].abort_reason = "OOM detected in: a<b & \"c\"";
    in.analysis.findings.clear();
    const auto xml = render_junit_xml(in.context());
    EXPECT_EQ(xml_problem(xml), "") << xml;
    EXPECT_NE(
        xml.find(
            "<failure type=\"scenario_aborted\" message=\"scenario aborted: OOM detected in: a&lt;b &amp; "
            "&quot;c&quot;\""),
        std::string::npos);
    std::size_t cases = 0;
    for (auto p = xml.find("<testcase "); p != std::string::npos; p = xml.find("<testcase ", p + 1)) {
        ++cases;
    }
    EXPECT_NE(xml.find("<testsuites name=\"perfrunner 20260212_193000\" tests=\"" + std::to_string(cases) +
                       "\" failures=\"1\""),
              std::string::npos);
}

// XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF], in valid UTF-8.
bool only_xml_chars(const std::string& text) {
    if (!model::is_valid_utf8(text)) {
        return false;
    }
    for (std::size_t i = 0; i < text.size();) {
        const auto b = static_cast<unsigned char>(text[i]);
        const std::size_t n = model::utf8_sequence_length(text, i);
        std::uint32_t cp = n == 1 ? b : (b & (0xFFU >> (n + 1)));
        for (std::size_t k = 1; k < n; ++k) {
            cp = (cp << 6U) | (static_cast<unsigned char>(text[i + k]) & 0x3FU);
        }
        const bool ok = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                        (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
        if (!ok) {
            return false;
        }
        i += n;
    }
    return true;
}

// Text from outside (an abort reason quoting an HTTP body or docker) with bytes that are no UTF-8, control
// characters and the non-characters U+FFFE / U+FFFF: junit.xml stays well-formed XML.
TEST(JunitXml, ForbiddenCharactersNeverReachTheXml) {
    Inputs in;
    in.run.scenarios[2].aborted = true;
    in.run.scenarios[2].abort_reason = "bad \xEF\xBF\xBE \xEF\xBF\xBF \xFF\xC3 \x01\x1B[2J \xED\xA0\x80 end";
    const auto xml = render_junit_xml(in.context());
    EXPECT_TRUE(only_xml_chars(xml));
    EXPECT_EQ(xml_problem(xml), "") << xml;
    EXPECT_NE(xml.find("end"), std::string::npos);
}

TEST(Escape, MarkdownNeverMakesLinksImagesOrCodeFromData) {
    const std::string md = markdown_escape("![x](http://evil.example/p.png) [a](b) `c` www.evil.example");
    EXPECT_EQ(md.find("x]("), std::string::npos) << md;  // every bracket escaped
    EXPECT_EQ(md.find("http://"), std::string::npos) << md;
    EXPECT_EQ(md.find("www."), std::string::npos) << md;
    EXPECT_EQ(md, "!\\[x\\](http\\://evil.example/p.png) \\[a\\](b) \\`c\\` www\\.evil.example");
}

TEST(Reports, AScenarioWithoutSamplesSaysWhyInsteadOfZeros) {
    Inputs in;
    in.run.scenarios.resize(2);  // baseline and stress
    auto& stress = in.run.scenarios[1];
    stress.samples.clear();
    stress.aborted = true;
    stress.abort_reason = "Setup failed: stack not ready";
    in.analysis = analysis::analyze(in.run, in.config);
    ASSERT_FALSE(in.analysis.stress.has_value());
    const std::string why = "aborted before sampling: Setup failed: stack not ready";
    const auto md = render_markdown_report(in.context());
    EXPECT_NE(md.find("## Stress Test\n\n" + why + "."), std::string::npos) << md;
    const auto html = render_html_report(in.context());
    EXPECT_NE(html.find("<h2>Stress Test</h2>\n<p class=\"empty\">" + why + ".</p>"), std::string::npos);
    const auto xml = render_junit_xml(in.context());
    EXPECT_EQ(xml_problem(xml), "") << xml;
    EXPECT_NE(xml.find("name=\"stress_test/oom_event\">\n      <skipped message=\"" + why + "\"/>"),
              std::string::npos)
        << xml;
    EXPECT_NE(xml.find("skipped=\"1\""), std::string::npos);
    const auto summary = summary_document(in.context());
    EXPECT_TRUE(summary["verdict"]["stress_summary"].is_null());
}

}  // namespace
}  // namespace perfrunner::report
