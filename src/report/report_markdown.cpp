#include "perfrunner/report/report_markdown.hpp"

#include <algorithm>
#include <sstream>

#include "perfrunner/analysis/analysis_json.hpp"
#include "perfrunner/model/scenario_names.hpp"
#include "perfrunner/report/capacity_block.hpp"
#include "perfrunner/report/chart_plan.hpp"
#include "perfrunner/report/escape.hpp"
#include "perfrunner/report/format.hpp"
#include "perfrunner/report/text_file.hpp"
#include "perfrunner/report/trigger_text.hpp"

namespace perfrunner::report {

namespace {

namespace decimals = analysis::decimals;

std::string md(std::string_view s) {
    return markdown_escape(s);
}

std::string status_label(const std::string& status) {
    if (status == "critical") {
        return "CRIT";
    }
    if (status == "warning") {
        return "WARN";
    }
    if (status == "healthy") {
        return "OK";
    }
    return md(status);
}

std::string long_or_na(const std::optional<long>& v) {
    return v ? std::to_string(*v) : "n/a";
}

void findings_section(std::ostringstream& out, const analysis::Analysis& a, analysis::Severity severity,
                      const char* heading) {
    out << "### " << heading << "\n\n";
    bool any = false;
    for (const auto& f : a.findings) {
        if (f.severity != severity) {
            continue;
        }
        any = true;
        out << "- **" << md(f.scenario_name.empty() ? "run" : f.scenario_name) << "**: " << md(f.message);
        if (f.metric_value || f.threshold) {
            out << " (value " << format_number(f.metric_value, decimals::kFinding) << ", threshold "
                << format_number(f.threshold, decimals::kFinding) << ")";
        }
        if (!f.recommendation.empty()) {
            out << " — Recommendation: " << md(f.recommendation);
        }
        out << "\n";
    }
    if (!any) {
        out << "None.\n";
    }
    out << "\n";
}

}  // namespace

std::string render_markdown_report(const ReportContext& context) {
    const auto& run = context.run;
    const auto& a = context.analysis;
    std::ostringstream out;
    const auto charts = plan_charts(context);
    out << "# Performance Test Report\n\n";
    out << "**Verdict: " << verdict_label(a.verdict) << "**\n\n";

    // How much load it takes, first (issue 10).
    const auto capacity = capacity_block(context);
    out << "## Capacity\n\n| Figure | Value |\n|---|---|\n";
    for (const auto& row : capacity.rows) {
        out << "| " << md(row.label) << " | " << md(row.value) << " |\n";
    }
    out << "\n";
    for (const auto& w : capacity.warnings) {
        out << "> **Warning:** " << md(w) << "\n\n";
    }
    if (context.analysis.stress && std::any_of(charts.begin(), charts.end(), [](const ChartPlan& p) {
            return p.kind == ChartKind::capacity;
        })) {
        out << "Capacity chart: [charts/" << kCapacityChartPath << ".html](charts/" << kCapacityChartPath
            << ".html)\n\n";
    }
    if (std::any_of(charts.begin(), charts.end(),
                    [](const ChartPlan& p) { return p.kind == ChartKind::usl; })) {
        out << "Scalability chart: [charts/" << kUslChartPath << ".html](charts/" << kUslChartPath
            << ".html)\n\n";
    }

    out << "## Test Summary\n\n| Field | Value |\n|---|---|\n";
    out << "| Test ID | " << md(run.test_id) << " |\n";
    out << "| Started | " << md(run.started_at) << " |\n";
    out << "| Completed | " << md(run.completed_at) << " |\n";
    const auto seconds = seconds_between(run.started_at, run.completed_at);
    out << "| Duration | " << (seconds ? format_hms(*seconds) : std::string("n/a")) << " |\n";
    std::string status = verdict_label(a.verdict);
    if (run.aborted) {
        status += " (aborted: " + md(run.abort_reason.value_or("unknown")) + ")";
    }
    out << "| Status | " << status << " |\n";
    out << "| Scenarios Passed | " << a.scenarios_passed << " |\n";
    out << "| Scenarios Failed | " << a.scenarios_failed << " |\n";
    out << "| OOM Events | " << a.total_oom_events << " |\n";
    out << "| Critical Findings | " << a.critical_count << " |\n";
    out << "| Warnings | " << a.warning_count << " |\n\n";

    out << "## Findings\n\n";
    findings_section(out, a, analysis::Severity::critical, "Critical Issues");
    findings_section(out, a, analysis::Severity::warning, "Warnings");
    findings_section(out, a, analysis::Severity::info, "Info");

    out << "## Container Health\n\n";
    if (a.container_health.empty()) {
        out << "No container data (no scenario has samples).\n\n";
    } else {
        out << "From the " << md(a.container_health_scenario)
            << " scenario: last sample, CPU peak over the scenario.\n\n";
        out << "| Container | Memory (MB) | Limit (MB) | Usage % | Leak Rate (MB/min) | CPU Peak (%) | "
               "Status |\n"
               "|---|---|---|---|---|---|---|\n";
        for (const auto& h : a.container_health) {
            out << "| " << md(h.display_name.empty() ? h.container_name : h.display_name) << " | "
                << format_number(h.memory_current_mb, decimals::kLevel) << " | "
                << (h.memory_limit_mb > 0 ? format_number(h.memory_limit_mb, decimals::kLevel)
                                          : std::string("unlimited"))
                << " | "
                << (h.memory_limit_mb > 0 ? format_number(h.memory_percent, decimals::kLevel)
                                          : std::string("n/a"))
                << " | " << format_number(h.memory_leak_rate_mb_per_min, decimals::kSlope) << " | "
                << format_number(h.cpu_peak_percent, decimals::kLevel) << " | " << status_label(h.status)
                << " |\n";
        }
        out << "\n";
    }

    if (a.duration) {
        out << "## Leak Analysis (duration test, active phase)\n\n";
        if (a.duration->leaks.empty()) {
            out << "No leak results.\n\n";
        } else {
            out << "| Container | Verdict | Tier | OLS slope (MB/min) | Seed slope (MB/min) | Seed CPU slope "
                   "(%/min) | "
                   "Reason |\n|---|---|---|---|---|---|---|\n";
            for (const auto& l : a.duration->leaks) {
                out << "| " << md(display_name(context.config, l.container)) << " | " << md(l.verdict)
                    << " | " << md(l.tier) << " | "
                    << format_number(l.ols_memory_slope_mb_per_min, decimals::kSlope) << " | "
                    << format_number(l.seed_memory_slope_mb_per_min, decimals::kSlope)
                    << (l.seed_memory_leak_detected ? " (leak flag)" : "") << " | "
                    << format_number(l.seed_cpu_slope_percent_per_min, decimals::kSlope)
                    << (l.seed_cpu_leak_detected ? " (leak flag)" : "") << " | " << md(l.reason) << " |\n";
            }
            out << "\nTiers: < 0.5 MB/min normal, 0.5–1.0 monitor, > 1.0 investigate.\n\n";
        }
        if (!a.duration->cooldown.empty()) {
            out << "### Cooldown\n\n| Container | Active end (MB) | Cooldown end (MB) | Delta (MB) | Delta % "
                   "| "
                   "Classification |\n|---|---|---|---|---|---|\n";
            for (const auto& c : a.duration->cooldown) {
                out << "| " << md(display_name(context.config, c.container)) << " | "
                    << format_number(c.active_end_mb, decimals::kCooldown) << " | "
                    << format_number(c.cooldown_end_mb, decimals::kCooldown) << " | "
                    << format_number(c.delta_mb, decimals::kCooldown) << " | "
                    << format_number(c.delta_percent, decimals::kCooldown) << " | "
                    << md(c.classification.empty() ? (c.memory_released ? "released" : "retained")
                                                   : c.classification)
                    << " |\n";
            }
            out << "\n";
        }
    }

    const auto unsampled_section = [&](const char* heading, std::string_view scenario) {
        if (const auto why = unsampled_reason(a, scenario)) {
            out << "## " << heading << "\n\n" << md(*why) << ".\n\n";
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
        out << "## Stress Test\n\n| Field | Value |\n|---|---|\n";
        out << "| Trigger | " << md(s.trigger ? trigger_text(*s.trigger) : "none (time limit)") << " |\n";
        out << "| Drivers queued | " << long_or_na(s.drivers_queued) << " |\n";
        out << "| Last healthy load | " << long_or_na(s.last_healthy) << " |\n";
        out << "| Breaking point | " << long_or_na(s.breaking_point) << " |\n";
        out << "| Recommended load | " << long_or_na(s.recommended_load) << " |\n\n";
    }

    if (a.speed) {
        const auto& sp = *a.speed;
        out << "## Speed Scaling\n\n";
        out << "Max speed passed: **" << sp.max_speed_passed
            << "x** (last step without a threshold hit); last step "
            << "run: " << sp.max_speed_achieved << "x.\n\n";
        if (!sp.steps.empty()) {
            out << "| Step | Multiplier | Agents | Samples | Threshold hit | Trigger | Mean real-time ratio "
                   "|\n"
                   "|---|---|---|---|---|---|---|\n";
            for (const auto& st : sp.steps) {
                out << "| " << st.step << " | " << st.multiplier << "x | " << st.agent_count << " | "
                    << st.sample_count << " | " << (st.threshold_hit ? "yes" : "no") << " | "
                    << (st.trigger ? md(trigger_text(*st.trigger)) : std::string("—")) << " | "
                    << format_number(st.mean_real_time_ratio, decimals::kRealTimeRatio) << " |\n";
            }
            out << "\n";
        }
    }

    out << "## Derived Configuration\n\n";
    const auto& d = run.derived_config;
    if (d && d->is_object() && d->contains("duration_agent_count")) {
        const auto dump = [](const nlohmann::json& v) {
            return v.is_string() ? v.get<std::string>()
                                 : v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        };
        out << "The duration and speed-scaling tests used " << md(dump(d->at("duration_agent_count")))
            << " agents per type";
        const std::string source = d->contains("agent_count_source") ? dump(d->at("agent_count_source")) : "";
        if (source == "recommended_load") {
            out << ", the recommended load (80 % of the last healthy "
                << md(d->contains("stress_last_healthy") ? dump(d->at("stress_last_healthy"))
                                                         : std::string("?"))
                << " live drivers).\n\n";
        } else if (source == "--agents") {
            out << ", as given by --agents.\n\n";
        } else {
            out << ", half of the "
                << md(d->contains("stress_drivers_queued") ? dump(d->at("stress_drivers_queued"))
                                                           : std::string("?"))
                << " drivers queued by the stress test.\n\n";
        }
    } else {
        out << "No derived configuration (the stress test did not provide an agent count).\n\n";
    }

    out << "## Recommendations\n\n";
    if (a.recommendations.empty()) {
        out << "None.\n";
    }
    for (const auto& r : a.recommendations) {
        out << "- " << md(r) << "\n";
    }
    out << "\n## Charts\n\nSee [charts/index.html](charts/index.html).\n";
    return out.str();
}

void MarkdownReportWriter::write(const ReportContext& context) {
    write_text_file(context.run_dir / "report.md", render_markdown_report(context));
}

}  // namespace perfrunner::report
