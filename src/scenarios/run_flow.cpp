#include "perfrunner/scenarios/run_flow.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "perfrunner/analysis/early_stop.hpp"
#include "perfrunner/config/secrets.hpp"
#include "perfrunner/model/scenario_names.hpp"
#include "perfrunner/model/timestamps.hpp"
#include "perfrunner/scenarios/baseline.hpp"
#include "perfrunner/scenarios/duration_leak.hpp"
#include "perfrunner/scenarios/scenario_support.hpp"
#include "perfrunner/scenarios/speed_scaling.hpp"
#include "perfrunner/scenarios/stress.hpp"

namespace perfrunner::scenarios {
namespace {

std::string trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) {
        return {};
    }
    const auto e = s.find_last_not_of(" \t");
    return std::string(s.substr(b, e - b + 1));
}

// Reference files write whole minutes as ints; keep that where the value is whole.
nlohmann::json whole_as_int(double v) {
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) {
        return static_cast<long long>(v);
    }
    return v;
}

// What --scenarios accepts for each scenario: its scenario_name and the short words.
struct ScenarioWords {
    ScenarioKind kind = ScenarioKind::baseline;
    const char* name = nullptr;
    std::array<std::string_view, 2> aliases;
};
constexpr std::array<ScenarioWords, 4> kScenarioWords = {{
    {ScenarioKind::baseline, model::scenario_names::kBaseline, {}},
    {ScenarioKind::stress, model::scenario_names::kStress, {"stress"}},
    {ScenarioKind::duration, model::scenario_names::kDuration, {"duration", "leak"}},
    {ScenarioKind::speed, model::scenario_names::kSpeed, {"speed"}},
}};

}  // namespace

const char* scenario_name(ScenarioKind kind) {
    for (const auto& w : kScenarioWords) {
        if (w.kind == kind) {
            return w.name;
        }
    }
    return "?";
}

std::vector<ScenarioKind> parse_scenario_selection(std::string_view csv) {
    std::vector<ScenarioKind> picked;
    std::size_t pos = 0;
    while (pos <= csv.size()) {
        const auto comma = csv.find(',', pos);
        const std::string item =
            trim(csv.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos));
        pos = comma == std::string_view::npos ? csv.size() + 1 : comma + 1;
        if (item.empty()) {
            continue;
        }
        const auto* word =
            std::find_if(kScenarioWords.begin(), kScenarioWords.end(), [&](const ScenarioWords& w) {
                return item == w.name ||
                       std::find(w.aliases.begin(), w.aliases.end(), item) != w.aliases.end();
            });
        if (word == kScenarioWords.end()) {
            throw UsageError("--scenarios: unknown scenario \"" + item +
                             "\" (use baseline, stress, duration, speed or their scenario_name values)");
        }
        const ScenarioKind k = word->kind;
        if (std::find(picked.begin(), picked.end(), k) == picked.end()) {
            picked.push_back(k);
        }
    }
    if (picked.empty()) {
        throw UsageError("--scenarios: no scenario given (use e.g. baseline,stress)");
    }
    std::sort(picked.begin(), picked.end());  // always the run order
    return picked;
}

void validate(const RunOptions& options) {
    if (options.scenarios.empty()) {
        throw UsageError("--scenarios: no scenario selected");
    }
    const auto has = [&](ScenarioKind k) {
        return std::find(options.scenarios.begin(), options.scenarios.end(), k) != options.scenarios.end();
    };
    if (options.agents && *options.agents < 1) {
        throw UsageError("--agents: must be at least 1, got " + std::to_string(*options.agents));
    }
    if ((has(ScenarioKind::duration) || has(ScenarioKind::speed)) && !has(ScenarioKind::stress) &&
        !options.agents) {
        throw UsageError(
            "--scenarios: duration and speed scaling size their load from the stress test; "
            "add stress to --scenarios or give --agents N");
    }
}

nlohmann::json results_config_json(const config::Config& config) {
    const auto& sc = config.scenarios;
    nlohmann::json j = nlohmann::json::object();
    j["api"] = {{"base_url", config::redact_url_credentials(config.api.base_url)}};
    j["docker"] = {{"compose_file", config.docker.compose_file}, {"profiles", config.docker.profiles}};
    j["sampling"] = {{"interval_seconds", config.sampling.interval_seconds},
                     {"warmup_seconds", config.sampling.warmup_seconds}};
    nlohmann::json s = nlohmann::json::object();
    s["duration_active_minutes"] = whole_as_int(sc.duration_active_minutes);
    s["duration_cooldown_minutes"] = whole_as_int(sc.duration_cooldown_minutes);
    s["duration_drain_timeout_seconds"] = whole_as_int(sc.duration_drain_timeout_seconds);
    s["stress_cpu_threshold_percent"] = sc.stress_cpu_threshold_percent;
    s["stress_memory_threshold_percent"] = sc.stress_memory_threshold_percent;
    s["speed_scaling_step_duration_minutes"] = whole_as_int(sc.speed_scaling_step_duration_minutes);
    s["speed_scaling_max_multiplier"] = sc.speed_scaling_max_multiplier;
    j["scenarios"] = s;
    j["perfrunner"] = config::to_json(config, /*redact=*/true);
    return j;
}

RunFlow::RunFlow(Ports ports, const config::Config& config, RunOptions options)
    : ports_(ports), config_(config), options_(std::move(options)), ctx_{ports_, config_, run_} {
    validate(options_);
}

template <class Scenario>
model::ScenarioResult& RunFlow::run_scenario(Scenario& scenario) {
    run_.scenarios.emplace_back();
    model::ScenarioResult& r = run_.scenarios.back();  // no other scenario is added while this one runs
    r.scenario_name = Scenario::kName;
    r.scenario_params = scenario.params();
    const double t0 = ports_.clock.now();
    r.started_at = model::iso_utc(t0);
    try {
        ports_.sink.checkpoint(run_);
    } catch (const std::exception& e) {
        ports_.progress.note(std::string("checkpoint of results failed (run goes on): ") + e.what());
    }
    try {
        scenario.run(ctx_, r);
    } catch (const Interrupted&) {
        r.aborted = true;
        r.abort_reason = "user_interrupt";
    } catch (const SetupFailed& e) {
        r.aborted = true;
        r.abort_reason = std::string("Setup failed: ") + e.what();
    } catch (const std::exception& e) {
        r.aborted = true;
        // A docker call cut short by Ctrl-C fails with "interrupted": the reason is the user's.
        r.abort_reason = ports_.stop.stop_requested() ? std::string("user_interrupt") : std::string(e.what());
    }
    if (ports_.stop.stop_requested()) {
        interrupted_ = true;
        if (!r.aborted) {
            r.aborted = true;
            r.abort_reason = "user_interrupt";
        }
        bring_to_rest(ctx_);
    }
    const double t1 = ports_.clock.now();
    r.completed_at = model::iso_utc(t1);
    r.duration_seconds = t1 - t0;
    if (r.aborted) {
        ports_.progress.note(std::string(Scenario::kName) + " aborted: " + r.abort_reason.value_or(""));
    }
    try {
        ports_.sink.checkpoint(run_);
    } catch (const std::exception& e) {
        ports_.progress.note(std::string("checkpoint of results failed: ") + e.what());
    }
    return r;
}

void RunFlow::preflight() {
    // Informational only: the first scenario's clean restart brings a stopped stack up.
    nlohmann::json p = nlohmann::json::object();
    const bool api = ports_.simulation.health();
    const auto reading = ports_.metrics.poll();
    p["api_reachable"] = api;
    p["metrics_reachable"] = reading.ok;
    if (!reading.ok) {
        p["metrics_error"] = reading.error;
    }
    run_.extra["preflight"] = p;
    if (!api || !reading.ok) {
        ports_.progress.note(std::string("preflight: ") + (api ? "" : "simulation API not reachable; ") +
                             (reading.ok ? "" : "metrics source not answering; ") +
                             "the first clean restart starts the stack");
    }
}

void RunFlow::gate_after_stress(const model::ScenarioResult& stress) {
    if (stress.aborted) {
        run_.aborted = true;
        run_.abort_reason = analysis::stopped_by_oom(stress)
                                ? std::string("stress_test_oom")
                                : stress.abort_reason.value_or("stress_test_aborted");
        return;
    }
    const auto* recorded = std::get_if<model::StressMetadata>(&stress.metadata);
    const long drivers = recorded != nullptr ? recorded->drivers_queued : 0;
    const model::StressStepResult* step =
        recorded != nullptr && recorded->step_mode ? &*recorded->step_mode : nullptr;
    // Reference keys first, then the figures the number came from.
    nlohmann::json derived = {{"duration_agent_count", nullptr}, {"stress_drivers_queued", drivers}};
    std::optional<long> sized;
    if (step != nullptr) {
        // Step mode measures live agents: operate at the recommended load, 80 % of the last healthy level
        // (statistics.md §10.2).
        derived["stress_mode"] = "step";
        derived["stress_last_healthy"] = step->last_healthy ? nlohmann::json(*step->last_healthy) : nullptr;
        derived["stress_breaking_point"] =
            step->breaking_point ? nlohmann::json(*step->breaking_point) : nullptr;
        if (step->last_healthy && *step->last_healthy >= 2) {
            sized = static_cast<long>(std::floor(0.8 * static_cast<double>(*step->last_healthy)));
            derived["agent_count_source"] = "recommended_load";
        }
    } else {
        // The reference rule: half the drivers queued, which the spawn queue can hold far above what ran.
        derived["stress_mode"] = "ramp";
        if (recorded != nullptr && recorded->live_drivers_at_trigger) {
            derived["stress_live_drivers_at_trigger"] = *recorded->live_drivers_at_trigger;
        }
        if (drivers >= 2) {
            sized = drivers / 2;
            derived["agent_count_source"] = "ramp_queued_half";
        }
    }
    if (options_.agents) {
        sized = *options_.agents;
        derived["agent_count_source"] = "--agents";
    }
    if (!sized) {
        run_.aborted = true;
        run_.abort_reason = "stress_test_insufficient_agents";
        return;
    }
    derived_agents_ = *sized;
    // The scenarios' agent_count_source keeps the reference's value for the reference rule.
    const std::string source = derived["agent_count_source"].get<std::string>();
    derived_source_ = source == "ramp_queued_half" ? "stress_test_drivers_queued_half" : source;
    derived["duration_agent_count"] = *sized;
    run_.derived_config = std::move(derived);
}

model::RunResult& RunFlow::execute() {
    const double start = ports_.clock.now();
    run_.test_id = options_.test_id.value_or(model::test_id_utc(start));
    run_.started_at = model::iso_utc(start);
    run_.config = results_config_json(config_);
    run_.extra["schema_version"] = "perfrunner-results/1";
    run_.extra["generator"] = {{"name", "perfrunner"}, {"version", PERFRUNNER_VERSION}};
    ports_.sink.checkpoint(run_);
    preflight();

    const auto selected = [&](ScenarioKind k) {
        return std::find(options_.scenarios.begin(), options_.scenarios.end(), k) != options_.scenarios.end();
    };
    for (const ScenarioKind kind : options_.scenarios) {
        if (interrupted_ || run_.aborted || ports_.stop.stop_requested()) {
            break;
        }
        switch (kind) {
            case ScenarioKind::baseline: {
                BaselineScenario s(config_);
                run_scenario(s);
                break;
            }
            case ScenarioKind::stress: {
                StressScenario s(config_, /*clean_restart_first=*/!selected(ScenarioKind::baseline));
                const auto& r = run_scenario(s);
                if (!interrupted_) {
                    gate_after_stress(r);
                }
                break;
            }
            case ScenarioKind::duration: {
                const long n = options_.agents.value_or(derived_agents_.value_or(0));
                DurationLeakScenario s(config_, {n, n, options_.agents ? "cli_agents" : derived_source_});
                run_scenario(s);
                break;
            }
            case ScenarioKind::speed: {
                const long n = options_.agents.value_or(derived_agents_.value_or(0));
                SpeedScalingScenario s(config_, n, options_.agents ? "cli_agents" : derived_source_);
                run_scenario(s);
                break;
            }
        }
    }
    if (ports_.stop.stop_requested()) {
        interrupted_ = true;
    }
    if (interrupted_) {
        run_.aborted = true;
        run_.abort_reason = "user_interrupt";
    }
    run_.completed_at = model::iso_utc(ports_.clock.now());
    try {
        ports_.sink.checkpoint(run_);
    } catch (const std::exception& e) {
        ports_.progress.note(std::string("checkpoint of results failed: ") + e.what());
    }
    return run_;
}

bool RunFlow::teardown() {
    if (options_.keep_stack) {
        return true;
    }
    ports_.progress.phase_started({"teardown", "down -v", ports_.clock.now(), 0.0});
    try {
        ports_.stack.down();
        return true;
    } catch (const std::exception& e) {
        ports_.progress.note(std::string("teardown (down -v) failed: ") + e.what());
        return false;
    }
}

ExitCode exit_code_for(const model::RunResult& run, bool verdict_fail, bool interrupted) {
    if (interrupted) {
        return ExitCode::interrupted;
    }
    const analysis::EarlyStop stop = analysis::early_stop(run);
    if (verdict_fail || stop == analysis::EarlyStop::oom) {
        return ExitCode::verdict_fail;
    }
    return stop == analysis::EarlyStop::other ? ExitCode::runtime_error : ExitCode::ok;
}

}  // namespace perfrunner::scenarios
