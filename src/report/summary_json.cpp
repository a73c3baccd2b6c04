#include "perfrunner/report/summary_json.hpp"

#include "perfrunner/report/format.hpp"
#include "perfrunner/report/text_file.hpp"

namespace perfrunner::report {

namespace {

using ojson = nlohmann::ordered_json;

ojson optional_long(const std::optional<long>& v) {
    if (!v) {
        return nullptr;
    }
    return *v;
}

// analysis::verdict_json holds the values (one rounding rule for results.json and summary.json); its objects
// are unordered, so the reference key order is restored here.
ojson ordered(const nlohmann::json& obj, std::initializer_list<const char*> first) {
    if (!obj.is_object()) {
        return ojson::parse(obj.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
    ojson out = ojson::object();
    for (const char* k : first) {
        if (obj.contains(k)) {
            out[k] = ojson::parse(obj[k].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        }
    }
    for (const auto& [k, v] : obj.items()) {
        if (!out.contains(k)) {
            out[k] = ojson::parse(v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        }
    }
    return out;
}

ojson leak_object(const analysis::LeakResult& l) {
    ojson o;
    o["verdict"] = l.verdict;
    o["reason"] = l.reason;
    o["tier"] = l.tier;
    o["ols_memory_slope_mb_per_min"] = number_or_null(l.ols_memory_slope_mb_per_min, 3);
    o["seed_memory_slope_mb_per_min"] = number_or_null(l.seed_memory_slope_mb_per_min, 3);
    o["seed_cpu_slope_percent_per_min"] = number_or_null(l.seed_cpu_slope_percent_per_min, 3);
    o["seed_memory_leak_detected"] = l.seed_memory_leak_detected;
    o["seed_cpu_leak_detected"] = l.seed_cpu_leak_detected;
    o["statistics"] =
        ojson::parse(l.statistics.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return o;
}

ojson cooldown_object(const analysis::CooldownResult& c) {
    ojson o;
    o["active_end_mb"] = number_or_null(c.active_end_mb, 2);
    o["cooldown_end_mb"] = number_or_null(c.cooldown_end_mb, 2);
    o["delta_mb"] = number_or_null(c.delta_mb, 2);
    o["delta_percent"] = number_or_null(c.delta_percent, 2);
    o["memory_released"] = c.memory_released;
    o["classification"] = c.classification;
    o["k_active"] = c.k_active;
    o["k_cooldown"] = c.k_cooldown;
    return o;
}

ojson to_ordered(const nlohmann::json& j) {
    return ojson::parse(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

nlohmann::ordered_json verdict_object(const analysis::Analysis& a) {
    const nlohmann::json base = analysis::verdict_json(a);
    ojson v = ordered(
        base, {"overall_status", "findings", "recommendations", "container_health", "scenarios_passed",
               "scenarios_failed", "total_oom_events", "critical_count", "warning_count"});
    v["findings"] = ojson::array();
    for (const auto& f : base.value("findings", nlohmann::json::array())) {
        v["findings"].push_back(ordered(f, {"severity", "category", "container", "message", "metric_value",
                                            "threshold", "scenario_name", "recommendation"}));
    }
    v["container_health"] = ojson::array();
    for (const auto& h : base.value("container_health", nlohmann::json::array())) {
        v["container_health"].push_back(ordered(
            h, {"container_name", "display_name", "memory_current_mb", "memory_limit_mb", "memory_percent",
                "memory_leak_rate_mb_per_min", "cpu_current_percent", "cpu_peak_percent", "status"}));
    }
    // perfrunner additions (results-schema.md §9)
    if (a.duration) {
        ojson leaks = ojson::object();
        for (const auto& l : a.duration->leaks) {
            leaks[l.container] = leak_object(l);
        }
        v["leak_verdicts"] = leaks;
        ojson cooldown = ojson::object();
        for (const auto& c : a.duration->cooldown) {
            cooldown[c.container] = cooldown_object(c);
        }
        v["cooldown"] = cooldown;
    }
    if (a.stress) {
        ojson s;
        s["trigger"] = a.stress->trigger.is_null() ? ojson(nullptr) : to_ordered(a.stress->trigger);
        s["drivers_queued"] = optional_long(a.stress->drivers_queued);
        s["last_healthy"] = optional_long(a.stress->last_healthy);
        s["breaking_point"] = optional_long(a.stress->breaking_point);
        s["recommended_load"] = optional_long(a.stress->recommended_load);
        v["stress"] = s;
    }
    if (a.speed) {
        ojson s;
        s["max_speed_passed"] = a.speed->max_speed_passed;
        s["max_speed_achieved"] = a.speed->max_speed_achieved;
        s["steps_run"] = a.speed->steps.size();
        v["speed_scaling"] = s;
    }
    return v;
}

nlohmann::ordered_json summary_document(const ReportContext& context) {
    ojson doc;
    doc["test_id"] = context.run.test_id;
    doc["started_at"] = context.run.started_at;
    doc["completed_at"] = context.run.completed_at;
    if (context.run.aborted) {
        doc["aborted"] = true;
        doc["abort_reason"] = context.run.abort_reason ? ojson(*context.run.abort_reason) : ojson(nullptr);
    }
    doc["verdict"] = verdict_object(context.analysis);
    return doc;
}

void SummaryJsonWriter::write(const ReportContext& context) {
    const auto text =
        summary_document(context).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    write_text_file(context.run_dir / "summary.json", text + "\n");
}

}  // namespace perfrunner::report
