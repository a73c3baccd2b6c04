#include "perfrunner/report/report_html.hpp"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "perfrunner/analysis/analysis_json.hpp"
#include "perfrunner/model/scenario_names.hpp"
#include "perfrunner/report/capacity_block.hpp"
#include "perfrunner/report/chart_plan.hpp"
#include "perfrunner/report/escape.hpp"
#include "perfrunner/report/format.hpp"
#include "perfrunner/report/template_text.hpp"
#include "perfrunner/report/text_file.hpp"
#include "perfrunner/report/trigger_text.hpp"

namespace perfrunner::report {

namespace {

namespace decimals = analysis::decimals;

std::string h(std::string_view s) {
    return html_escape(s);
}

std::string card(const std::string& label, const std::string& value) {
    return "<div class=\"card\"><div class=\"label\">" + h(label) + "</div><div class=\"value\">" + h(value) +
           "</div></div>";
}

std::string long_or_na(const std::optional<long>& v) {
    return v ? std::to_string(*v) : "n/a";
}

std::string json_text(const nlohmann::json& obj, const char* key) {
    if (!obj.is_object() || !obj.contains(key)) {
        return "?";
    }
    const auto& v = obj[key];
    return v.is_string() ? v.get<std::string>()
                         : v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// One chart in the page: its PNG when one was written, else the interactive page itself.
void inline_chart(std::ostringstream& b, const ChartPlan& p, const std::filesystem::path& charts_dir) {
    std::error_code ec;
    b << "<figure>";
    if (std::filesystem::is_regular_file(charts_dir / (p.path + ".png"), ec)) {
        b << "<a href=\"charts/" << h(p.path) << ".html\"><img class=\"chart\" alt=\"" << h(p.title)
          << "\" src=\"charts/" << h(p.path) << ".png\"></a>";
    } else {
        b << "<iframe class=\"chart\" title=\"" << h(p.title) << "\" src=\"charts/" << h(p.path)
          << ".html\"></iframe>";
    }
    b << "<figcaption>" << h(p.title) << "</figcaption></figure>\n";
}

}  // namespace

std::string render_html_report(const ReportContext& context) {
    const auto& run = context.run;
    const auto& a = context.analysis;
    std::ostringstream b;

    // Verdict first.
    b << "<div class=\"verdict " << verdict_name(a.verdict) << "\">Verdict: " << verdict_label(a.verdict)
      << "</div>\n";
    b << "<h1>Performance Test Report</h1>\n";
    const auto plans = plan_charts(context);
    const auto charts_dir = context.run_dir / "charts";

    // How much load it takes, first (issue 10).
    const auto capacity = capacity_block(context);
    b << "<h2>Capacity</h2>\n<table>";
    for (const auto& row : capacity.rows) {
        b << "<tr><th>" << h(row.label) << "</th><td>" << h(row.value) << "</td></tr>";
    }
    b << "</table>\n";
    for (const auto& w : capacity.warnings) {
        b << "<p class=\"warning-note\"><strong>Warning:</strong> " << h(w) << "</p>\n";
    }
    for (const auto& p : plans) {
        if (p.kind == ChartKind::capacity || p.kind == ChartKind::usl) {
            inline_chart(b, p, charts_dir);
        }
    }

    b << "<div class=\"cards\">" << card("Test ID", run.test_id) << card("Started", run.started_at)
      << card("Completed", run.completed_at);
    const auto seconds = seconds_between(run.started_at, run.completed_at);
    b << card("Duration", seconds ? format_hms(*seconds) : "n/a")
      << card("Scenarios passed", std::to_string(a.scenarios_passed))
      << card("Scenarios failed", std::to_string(a.scenarios_failed))
      << card("OOM events", std::to_string(a.total_oom_events))
      << card("Critical", std::to_string(a.critical_count))
      << card("Warnings", std::to_string(a.warning_count)) << "</div>\n";
    if (run.aborted) {
        b << "<p><strong>Run aborted:</strong> " << h(run.abort_reason.value_or("unknown")) << "</p>\n";
    }

    b << "<h2>Findings</h2>\n";
    if (a.findings.empty()) {
        b << "<p class=\"empty\">No findings.</p>\n";
    } else {
        b << "<table><tr><th>Severity</th><th>Scenario</th><th>Container</th><th>Finding</th><th>Value</th>"
             "<th>Threshold</th><th>Recommendation</th></tr>\n";
        for (const auto sev :
             {analysis::Severity::critical, analysis::Severity::warning, analysis::Severity::info}) {
            for (const auto& f : a.findings) {
                if (f.severity != sev) {
                    continue;
                }
                b << "<tr class=\"" << severity_name(sev) << "\"><td>" << severity_name(sev) << "</td><td>"
                  << h(f.scenario_name) << "</td><td>" << h(f.container) << "</td><td>" << h(f.message)
                  << "</td><td>" << format_number(f.metric_value, decimals::kFinding) << "</td><td>"
                  << format_number(f.threshold, decimals::kFinding) << "</td><td>" << h(f.recommendation)
                  << "</td></tr>\n";
            }
        }
        b << "</table>\n";
    }

    b << "<h2>Container Health</h2>\n";
    if (a.container_health.empty()) {
        b << "<p class=\"empty\">No container data (no scenario has samples).</p>\n";
    } else {
        b << "<p>From the " << h(a.container_health_scenario)
          << " scenario: last sample, CPU peak over the scenario.</p>\n";
        b << "<table><tr><th>Container</th><th>Memory (MB)</th><th>Limit (MB)</th><th>Usage %</th>"
             "<th>Leak rate (MB/min)</th><th>CPU current (%)</th><th>CPU peak (%)</th><th>Status</th></tr>\n";
        for (const auto& c : a.container_health) {
            b << "<tr><td title=\"" << h(c.container_name) << "\">"
              << h(c.display_name.empty() ? c.container_name : c.display_name) << "</td><td>"
              << format_number(c.memory_current_mb, decimals::kLevel) << "</td><td>"
              << (c.memory_limit_mb > 0 ? format_number(c.memory_limit_mb, decimals::kLevel) : "unlimited")
              << "</td><td>"
              << (c.memory_limit_mb > 0 ? format_number(c.memory_percent, decimals::kLevel) : "n/a")
              << "</td><td>" << format_number(c.memory_leak_rate_mb_per_min, decimals::kSlope) << "</td><td>"
              << format_number(c.cpu_current_percent, decimals::kLevel) << "</td><td>"
              << format_number(c.cpu_peak_percent, decimals::kLevel) << "</td><td class=\"status-"
              << h(c.status) << "\">" << h(c.status) << "</td></tr>\n";
        }
        b << "</table>\n";
    }

    if (a.duration && !a.duration->leaks.empty()) {
        b << "<h2>Leak Analysis (duration test, active "
             "phase)</h2>\n<table><tr><th>Container</th><th>Verdict</th>"
             "<th>Tier</th><th>OLS slope (MB/min)</th><th>Seed slope (MB/min)</th><th>Reason</th></tr>\n";
        for (const auto& l : a.duration->leaks) {
            b << "<tr><td>" << h(display_name(context.config, l.container)) << "</td><td>" << h(l.verdict)
              << "</td><td>" << h(l.tier) << "</td><td>"
              << format_number(l.ols_memory_slope_mb_per_min, decimals::kSlope) << "</td><td>"
              << format_number(l.seed_memory_slope_mb_per_min, decimals::kSlope) << "</td><td>" << h(l.reason)
              << "</td></tr>\n";
        }
        b << "</table>\n";
    }
    const auto unsampled_section = [&](const char* heading, std::string_view scenario) {
        if (const auto why = unsampled_reason(a, scenario)) {
            b << "<h2>" << heading << "</h2>\n<p class=\"empty\">" << h(*why) << ".</p>\n";
        }
    };
    if (!a.duration) {
        unsampled_section("Leak Analysis (duration test)", model::scenario_names::kDuration);
    }
    if (!a.stress) {
        unsampled_section("Stress Test", model::scenario_names::kStress);
    }
    if (!a.speed) {
        unsampled_section("Speed Scaling", model::scenario_names::kSpeed);
    }
    if (a.stress) {
        const auto& s = *a.stress;
        b << "<h2>Stress Test</h2>\n<table>";
        const std::string trigger = s.trigger ? trigger_text(*s.trigger) : "none (time limit)";
        b << "<tr><th>Trigger</th><td>" << h(trigger) << "</td></tr>"
          << "<tr><th>Drivers queued</th><td>" << long_or_na(s.drivers_queued) << "</td></tr>"
          << "<tr><th>Last healthy load</th><td>" << long_or_na(s.last_healthy) << "</td></tr>"
          << "<tr><th>Breaking point</th><td>" << long_or_na(s.breaking_point) << "</td></tr>"
          << "<tr><th>Recommended load</th><td>" << long_or_na(s.recommended_load) << "</td></tr></table>\n";
    }
    if (a.speed) {
        b << "<h2>Speed Scaling</h2>\n<p>Max speed passed: <strong>" << a.speed->max_speed_passed
          << "x</strong>; last step run: " << a.speed->max_speed_achieved << "x.</p>\n";
    }
    if (run.derived_config && run.derived_config->is_object() &&
        run.derived_config->contains("duration_agent_count")) {
        const std::string source = json_text(*run.derived_config, "agent_count_source");
        b << "<h2>Derived Configuration</h2>\n<p>Duration and speed-scaling tests used "
          << h(json_text(*run.derived_config, "duration_agent_count")) << " agents per type";
        if (source == "recommended_load") {
            b << ", the recommended load (80 % of the last healthy "
              << h(json_text(*run.derived_config, "stress_last_healthy")) << " live drivers).</p>\n";
        } else if (source == "--agents") {
            b << ", as given by --agents.</p>\n";
        } else {
            b << ", half of the " << h(json_text(*run.derived_config, "stress_drivers_queued"))
              << " drivers queued by the stress test.</p>\n";
        }
    }
    b << "<h2>Recommendations</h2>\n";
    if (a.recommendations.empty()) {
        b << "<p class=\"empty\">None.</p>\n";
    } else {
        b << "<ul>\n";
        for (const auto& r : a.recommendations) {
            b << "<li>" << h(r) << "</li>\n";
        }
        b << "</ul>\n";
    }

    b << "<h2>Charts</h2>\n";
    // The key charts inline: the duration test's memory, the stress test's memory, speed scaling's CPU and
    // the overview heatmaps (the capacity chart is in the capacity block).
    std::vector<std::string> shown_kinds;
    for (const auto& p : plans) {
        const bool key = p.section == "Overview" ||
                         (p.kind == ChartKind::duration_timeline && p.metric == ChartMetric::memory) ||
                         (p.kind == ChartKind::stress_timeline && p.metric == ChartMetric::memory) ||
                         (p.kind == ChartKind::speed_scaling && p.metric == ChartMetric::cpu);
        const std::string kind_key =
            std::to_string(static_cast<int>(p.kind)) + "/" + std::to_string(static_cast<int>(p.metric));
        if (key && std::find(shown_kinds.begin(), shown_kinds.end(), kind_key) == shown_kinds.end()) {
            shown_kinds.push_back(kind_key);  // the first file of a split timeline
            inline_chart(b, p, charts_dir);
        }
    }
    b << "<p><a href=\"charts/index.html\">All charts</a></p>\n<ul>\n";
    for (const auto& p : plans) {
        std::error_code ec;
        const bool png = std::filesystem::is_regular_file(charts_dir / (p.path + ".png"), ec);
        b << "<li>" << h(p.section) << ": <a href=\"charts/" << h(p.path) << ".html\">" << h(p.title)
          << "</a>";
        if (png) {
            b << " (<a href=\"charts/" << h(p.path) << ".png\">PNG</a>)";
        }
        b << "</li>\n";
    }
    b << "</ul>\n";
    return fill_template(template_text("report.html"), {{"test_id", h(run.test_id)}, {"body", b.str()}});
}

void HtmlReportWriter::write(const ReportContext& context) {
    write_text_file(context.run_dir / "report.html", render_html_report(context));
}

}  // namespace perfrunner::report
