// Typed scenario metadata and its one JSON mapping: the reference framework's own files round-trip exactly
// (key order and unknown keys included), perfrunner's additions round-trip, wrong types name their JSON path.
#include <fstream>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "perfrunner/error.hpp"
#include "perfrunner/model/results_json.hpp"
#include "perfrunner/model/scenario_metadata_json.hpp"
#include "perfrunner/model/scenario_names.hpp"

using namespace perfrunner::model;
using ojson = nlohmann::ordered_json;
using ::testing::HasSubstr;

namespace {

ojson reference_file() {
    std::ifstream in(std::string(PERFRUNNER_SHARED_DIR) + "/reference-results/py-framework-results.json");
    std::ostringstream text;
    text << in.rdbuf();
    return ojson::parse(text.str());
}

// read -> write -> read: the second read equals the first and the written JSON equals the input, text for
// text.
void expect_round_trip(const std::string& name, const ojson& metadata) {
    const ScenarioMetadata first = metadata_from_json(name, metadata);
    const ojson written = metadata_to_json(first);
    EXPECT_EQ(written.dump(2), metadata.dump(2)) << name;
    EXPECT_EQ(metadata_from_json(name, written), first) << name;
}

std::string error_of(const std::string& name, const ojson& metadata) {
    try {
        metadata_from_json(name, metadata, "results.json", "scenarios[1].metadata");
    } catch (const perfrunner::InputError& e) {
        EXPECT_EQ(e.code(), perfrunner::ExitCode::usage_error);
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(ScenarioMetadata, ReferenceFilesRoundTripTextForText) {
    const ojson file = reference_file();
    ASSERT_EQ(file["scenarios"].size(), 4u);
    for (const auto& scenario : file["scenarios"]) {
        expect_round_trip(scenario["scenario_name"].get<std::string>(), scenario["metadata"]);
    }
}

TEST(ScenarioMetadata, ReferenceFilesReadIntoTheStructs) {
    const ojson file = reference_file();
    const auto& scenarios = file["scenarios"];
    EXPECT_TRUE(std::holds_alternative<std::monostate>(
        metadata_from_json(scenario_names::kBaseline, scenarios[0]["metadata"])));

    const auto stress = metadata_from_json(scenario_names::kStress, scenarios[1]["metadata"]);
    const auto* s = std::get_if<StressMetadata>(&stress);
    ASSERT_NE(s, nullptr);
    ASSERT_TRUE(s->trigger.has_value());
    EXPECT_EQ(s->trigger->container, "rideshare-simulation");
    EXPECT_EQ(s->trigger->metric, "memory");
    EXPECT_DOUBLE_EQ(s->trigger->value, 90.96);
    EXPECT_FALSE(s->trigger->detail.has_value());
    EXPECT_EQ(s->drivers_queued, 300);
    EXPECT_EQ(s->total_agents_queued, 600);
    EXPECT_EQ(s->batch_count, 30);
    ASSERT_EQ(s->peak_values.size(), 16u);
    EXPECT_EQ(s->peak_values[0].container, "rideshare-kafka");  // first-seen order, as written
    EXPECT_FALSE(s->step_mode.has_value());

    const auto duration = metadata_from_json(scenario_names::kDuration, scenarios[2]["metadata"]);
    const auto* d = std::get_if<DurationMetadata>(&duration);
    ASSERT_NE(d, nullptr);
    ASSERT_TRUE(d->phase_sample_counts.has_value());
    EXPECT_GT(d->phase_sample_counts->active.value_or(0), 0u);
    ASSERT_TRUE(d->phase_timestamps.has_value());
    EXPECT_TRUE(d->phase_timestamps->cooldown_end.has_value());
    ASSERT_TRUE(d->leak_analysis.has_value());
    EXPECT_TRUE((*d->leak_analysis)["rideshare-simulation"]["memory_leak_detected"].get<bool>());

    const auto speed = metadata_from_json(scenario_names::kSpeed, scenarios[3]["metadata"]);
    const auto* sp = std::get_if<SpeedMetadata>(&speed);
    ASSERT_NE(sp, nullptr);
    ASSERT_EQ(sp->step_results.size(), 4u);
    EXPECT_EQ(sp->step_results[3].multiplier, 16);
    EXPECT_EQ(sp->step_results[3].agent_count, 9);
    EXPECT_EQ(sp->step_results[3].sample_count, 10u);
    EXPECT_FALSE(sp->step_results[3].trigger.has_value());
    EXPECT_EQ(sp->max_speed_achieved, 16);
    EXPECT_FALSE(sp->max_speed_passed.has_value());
}

TEST(ScenarioMetadata, UnknownKeysAreKeptAtEveryLevelAndWrittenBack) {
    ojson file = reference_file();
    auto& stress = file["scenarios"][1]["metadata"];
    stress["future_summary"] = {{"b", 1}, {"a", 2}};
    stress["trigger"]["confidence"] = 0.9;
    stress["peak_values"]["rideshare-redis"]["memory_rss_percent"] = 20.5;
    auto& duration = file["scenarios"][2]["metadata"];
    duration["phase_timestamps"]["warmup_start"] = 1.5;
    duration["phase_sample_counts"]["warmup"] = 3;
    auto& speed = file["scenarios"][3]["metadata"];
    speed["step_results"][1]["p95_latency_ms"] = 12.5;
    speed["note"] = "x";
    for (const auto& scenario : file["scenarios"]) {
        expect_round_trip(scenario["scenario_name"].get<std::string>(), scenario["metadata"]);
    }
    // Another tool's scenario, and keys in a baseline's metadata: kept as read.
    expect_round_trip("soak_test", ojson{{"z", 1}, {"a", {{"nested", true}}}});
    const auto baseline = metadata_from_json(scenario_names::kBaseline, ojson{{"note", "hand-edited"}});
    EXPECT_TRUE(std::holds_alternative<OtherMetadata>(baseline));
    EXPECT_EQ(metadata_to_json(baseline).dump(), R"({"note":"hand-edited"})");
}

TEST(ScenarioMetadata, StepModeAndAdditionsRoundTripInTheirOrder) {
    Trigger breach{"rideshare-simulation", "cpu", 92.5, 90.0, BreachDetail{92.5, 4, 4, 5, false}, {}};
    StressMetadata m;
    m.trigger = Trigger{"rideshare-simulation", "cpu", 92.5, 90.0, std::nullopt, {}};
    m.drivers_queued = m.riders_queued = 50;
    m.total_agents_queued = 100;
    m.peak_values = {{"rideshare-simulation", 40.0, 95.5, {}}, {"rideshare-kafka", 30.0, 20.0, {}}};
    m.duration_seconds = 300.25;
    m.batch_count = 5;
    m.live_drivers = 50;
    m.stop_reason = "breach";
    StressStepResult step;
    step.steps = {{1, 10, 10, 10, true, 10, false, std::nullopt, std::nullopt, {}, 12.5, {}},
                  {2,
                   20,
                   19,
                   20,
                   true,
                   10,
                   true,
                   std::nullopt,
                   breach,
                   {{"rideshare-simulation", 91.5, 40.25, {}}},
                   std::nullopt,
                   {}}};
    step.last_healthy = 10;
    step.breaking_point = 19;
    step.headroom_recommendation = 8;
    step.trigger_detail = breach;
    m.step_mode = step;
    const ojson j = metadata_to_json(m);
    std::vector<std::string> keys;
    for (const auto& [k, v] : j.items()) {
        keys.push_back(k);
    }
    EXPECT_EQ(keys, (std::vector<std::string>{
                        "trigger", "total_agents_queued", "drivers_queued", "riders_queued", "peak_values",
                        "duration_seconds", "batch_count", "live_drivers", "stop_reason", "steps",
                        "last_healthy", "breaking_point", "headroom_recommendation", "trigger_detail"}));
    EXPECT_EQ(j["trigger"].dump(),
              R"({"container":"rideshare-simulation","metric":"cpu","value":92.5,"threshold":90.0})");
    EXPECT_EQ(j["trigger_detail"].dump(),
              R"({"container":"rideshare-simulation","metric":"cpu","value":92.5,"threshold":90.0,)"
              R"("window_mean":92.5,"samples_over":4,"k":4,"m":5,"critical":false})");
    EXPECT_FALSE(j["steps"][0].contains("trigger"));
    EXPECT_EQ(j["steps"][0]["window_throughput"], 12.5);        // issue 14: the window's mean events/s
    EXPECT_FALSE(j["steps"][1].contains("window_throughput"));  // none measured: no key
    EXPECT_EQ(j["peak_values"].begin().key(), "rideshare-simulation");
    EXPECT_EQ(metadata_from_json(scenario_names::kStress, j), ScenarioMetadata(m));

    // Step mode without a healthy level writes nulls, as the run flow expects.
    m.step_mode->last_healthy.reset();
    EXPECT_TRUE(metadata_to_json(m)["last_healthy"].is_null());
    EXPECT_EQ(metadata_from_json(scenario_names::kStress, metadata_to_json(m)), ScenarioMetadata(m));
}

TEST(ScenarioMetadata, NothingRecordedIsAnEmptyObject) {
    EXPECT_TRUE(
        std::holds_alternative<std::monostate>(metadata_from_json(scenario_names::kStress, ojson::object())));
    EXPECT_TRUE(std::holds_alternative<std::monostate>(metadata_from_json(scenario_names::kSpeed, ojson())));
    EXPECT_EQ(metadata_to_json(std::monostate{}).dump(), "{}");
}

TEST(ScenarioMetadata, IntsAndFloatsStandInForEachOtherAndNullsKeepTheDefault) {
    const auto m = metadata_from_json(scenario_names::kSpeed,
                                      ojson::parse(R"({"step_results": [{"step": 1.0, "multiplier": 2,
                                          "agent_count": 5.0, "sample_count": 3, "duration_seconds": 7,
                                          "threshold_hit": false, "trigger": null}], "total_steps": null})"));
    const auto& speed = std::get<SpeedMetadata>(m);
    EXPECT_EQ(speed.step_results[0].step, 1);
    EXPECT_EQ(speed.step_results[0].agent_count, 5);
    EXPECT_DOUBLE_EQ(speed.step_results[0].duration_seconds, 7.0);
    EXPECT_EQ(speed.total_steps, 0u);
}

TEST(ScenarioMetadata, WrongTypesNameTheJsonPath) {
    const std::string at = "results.json: scenarios[1].metadata";
    EXPECT_EQ(error_of(scenario_names::kStress, ojson::parse(R"({"trigger": {"value": "abc"}})")),
              at + ".trigger.value: expected a number, got \"abc\"");
    EXPECT_EQ(
        error_of(scenario_names::kStress, ojson::parse(R"({"peak_values": {"r": {"cpu_percent": true}}})")),
        at + ".peak_values.r.cpu_percent: expected a number, got true");
    EXPECT_EQ(error_of(scenario_names::kStress, ojson::parse(R"({"peak_values": [1]})")),
              at + ".peak_values: expected an object, got an array");
    EXPECT_EQ(
        error_of(scenario_names::kStress, ojson::parse(R"({"steps": [{"level": 1}, {"breach": "yes"}]})")),
        at + ".steps[1].breach: expected true or false, got \"yes\"");
    EXPECT_EQ(error_of(scenario_names::kSpeed, ojson::parse(R"({"step_results": [{"sample_count": -3}]})")),
              at + ".step_results[0].sample_count: expected an integer >= 0, got -3");
    EXPECT_EQ(error_of(scenario_names::kSpeed, ojson::parse(R"({"step_results": {"step": 1}})")),
              at + ".step_results: expected an array, got an object");
    EXPECT_EQ(
        error_of(scenario_names::kDuration, ojson::parse(R"({"phase_sample_counts": {"active": 1e30}})")),
        at + ".phase_sample_counts.active: expected an integer >= 0, got 1e+30");
    EXPECT_EQ(error_of(scenario_names::kDuration, ojson::parse(R"({"leak_analysis": 3})")),
              at + ".leak_analysis: expected an object, got 3");
    EXPECT_EQ(error_of(scenario_names::kDuration, ojson::parse(R"({"drain_end_reason": 1})")),
              at + ".drain_end_reason: expected a string, got 1");
    EXPECT_EQ(error_of(scenario_names::kStress, ojson::parse("[1, 2]")),
              at + ": expected an object, got an array");
    EXPECT_THAT(error_of(scenario_names::kStress, ojson{{"trigger", std::string(200, 'x')}}),
                HasSubstr("trigger: expected an object, got \"xxxx"));
}

TEST(ScenarioMetadata, ResultsFilesKeepTheirMetadataThroughReadWriteRead) {
    ojson file = reference_file();
    file["scenarios"][1]["metadata"]["future_summary"] = {{"b", 1}, {"a", 2}};
    file["scenarios"][3]["metadata"]["step_results"][0]["p95_latency_ms"] = 12.5;
    const RunResult first = parse_results(file.dump());
    const std::string written = to_json_text(first);
    const RunResult second = parse_results(written);
    ASSERT_EQ(second.scenarios.size(), first.scenarios.size());
    for (std::size_t i = 0; i < first.scenarios.size(); ++i) {
        EXPECT_EQ(second.scenarios[i].metadata, first.scenarios[i].metadata) << i;
        EXPECT_EQ(metadata_to_json(second.scenarios[i].metadata).dump(),
                  file["scenarios"][i]["metadata"].dump())
            << i;
    }
    EXPECT_NE(written.find("\"future_summary\": {\n          \"b\": 1,\n          \"a\": 2\n        }"),
              std::string::npos);
}

TEST(ScenarioMetadata, AWrongTypeInAResultsFileIsAnInputErrorNamingItsPath) {
    // The scenario's name may follow its metadata: the mapping waits for it.
    const std::string text =
        R"({"scenarios": [{"scenario_name": "baseline"}, {"metadata": {"trigger": {"container": "x",)"
        R"( "value": "abc"}}, "scenario_name": "stress_test"}]})";
    try {
        parse_results(text, "results.json");
        FAIL() << "no error";
    } catch (const perfrunner::InputError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "results.json: scenarios[1].metadata.trigger.value: expected a number, got \"abc\"");
    }
}
