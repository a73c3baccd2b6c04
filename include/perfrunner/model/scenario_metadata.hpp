#pragma once
// What each scenario records besides its samples: results.json `scenarios[].metadata` (results-schema.md §5),
// reference fields first, then perfrunner's additions (§9). Values are held as recorded (already rounded
// where the schema rounds them). Keys a struct does not know - written by another tool or a later version -
// are kept in its `extra` object and written back. The one JSON mapping is scenario_metadata_json.hpp.
#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace perfrunner::model {

// clang-tidy 14 reports the implicit (noexcept) special members of structs with nlohmann members as possibly
// throwing (from nlohmann's internals); these structs are plain values.
// NOLINTBEGIN(bugprone-exception-escape)

// How a sustained breach was decided (statistics.md §10.1-10.2); absent from the reference's trigger shape.
struct BreachDetail {
    double window_mean = 0.0;
    int samples_over = 0;  // values at or over the threshold (rtr: at or under the floor) among the last m
    int k = 0;             // breach when k of the last m values cross
    int m = 0;
    bool critical = false;  // an immediate stop (one sample at or over the critical memory share)

    bool operator==(const BreachDetail&) const = default;
};

// The metric that crossed its threshold, ending a stress test or a speed step. The stress rule
// (analysis/stress_rule.hpp) produces it; scenarios record it.
struct Trigger {
    std::string container;   // "host" for the host-CPU rule
    std::string metric;      // "memory" | "cpu" | "rtr"
    double value = 0.0;      // the window mean (critical: the sample that crossed), in the metric's unit
    double threshold = 0.0;  // same unit; CPU: % of one core (= % of the quota x effective cores)
    std::optional<BreachDetail> detail;
    nlohmann::ordered_json extra;  // unknown keys, in the order read (null = none)

    bool operator==(const Trigger&) const = default;
};

// Highest raw sample values of one container during the stress test.
struct PeakValues {
    std::string container;
    double memory_percent = 0.0;
    double cpu_percent = 0.0;
    nlohmann::ordered_json extra;

    bool operator==(const PeakValues&) const = default;
};

// Step mode: one container's window means at a judged load (the capacity chart's points).
struct LevelWindowMean {
    std::string container;
    double memory_percent = 0.0;  // of the limit
    std::optional<double>
        cpu_percent_of_cores;  // of the container's effective cores; none without CPU values
    nlohmann::ordered_json extra;

    bool operator==(const LevelWindowMean&) const = default;
};

// Step mode: one load level (statistics.md §10.1).
struct StressStep {
    long level = 0;
    long drivers_queued = 0;
    long live_drivers = 0;
    long live_riders = 0;
    bool spawn_drained = false;
    std::size_t window_samples = 0;
    std::optional<bool> breach;                 // absent when the level was interrupted
    std::optional<std::string> critical;        // "oom" when an OOM kill ended the level
    std::optional<Trigger> trigger;             // with detail
    std::vector<LevelWindowMean> window_means;  // the judged window, per container
    // Mean throughput (events/s of /metrics/performance) over the judged window; none without a figure.
    std::optional<double> window_throughput;
    nlohmann::ordered_json extra;

    bool operator==(const StressStep&) const = default;
};

// Step mode: one bisection probe between last healthy and breaking point (statistics.md §10.3).
struct RefinementProbe {
    long probe = 0;
    long live_drivers = 0;
    bool breach = false;
    std::optional<std::string> critical;        // "oom"
    std::optional<Trigger> trigger;             // with detail
    std::vector<LevelWindowMean> window_means;  // the judged window, per container
    std::optional<double> window_throughput;    // as StressStep::window_throughput
    nlohmann::ordered_json extra;

    bool operator==(const RefinementProbe&) const = default;
};

// What step mode adds to the stress metadata (statistics.md §10.2).
struct StressStepResult {
    std::vector<StressStep> steps;
    std::optional<long> last_healthy;             // largest level without a breach (live drivers)
    std::optional<long> breaking_point;           // first level with a breach or a critical stop
    std::optional<long> headroom_recommendation;  // floor(0.8 x last_healthy)
    std::optional<Trigger> trigger_detail;        // the breach, with detail
    std::vector<RefinementProbe> refinement;

    bool operator==(const StressStepResult&) const = default;
};

struct StressMetadata {
    std::optional<Trigger> trigger;  // reference shape; none when the time limit (or an abort) ended the test
    long total_agents_queued = 0;
    long drivers_queued = 0;
    long riders_queued = 0;
    std::vector<PeakValues> peak_values;  // in first-seen order
    double duration_seconds = 0.0;        // the loop, without warm-up
    long batch_count = 0;
    // perfrunner additions
    std::optional<long> live_drivers;  // the simulation's own count at the last status read
    std::optional<long> live_riders;
    // Ramp mode: the simulation's live counts at the status read closest before the trigger (the queued
    // counts run ahead of them by the spawn queue).
    std::optional<long> live_drivers_at_trigger;
    std::optional<long> live_riders_at_trigger;
    std::optional<std::string> stop_reason;     // threshold | max_duration | oom | user_interrupt | error
                                                // (ramp); breach | critical | oom | time_limit | ... (step)
    std::optional<StressStepResult> step_mode;  // its keys are written next to the others
    nlohmann::ordered_json extra;

    bool operator==(const StressMetadata&) const = default;
};

struct PhaseTimestamps {  // epoch seconds; phases not reached are absent
    std::optional<double> active_start, active_end, drain_start, drain_end, cooldown_start, cooldown_end;
    nlohmann::ordered_json extra;

    bool operator==(const PhaseTimestamps&) const = default;
};

// The only way to split a duration scenario's samples into phases (first `active`, next `drain`, the rest).
struct PhaseSampleCounts {
    std::optional<std::size_t> active, drain, cooldown;
    nlohmann::ordered_json extra;

    bool operator==(const PhaseSampleCounts&) const = default;
};

// perfrunner addition: how the duration scenario's agents came up.
struct SpawnRecord {
    long drivers_requested = 0;
    long riders_requested = 0;
    bool drained = false;  // the spawn queue emptied before the timeout
    double waited_seconds = 0.0;
    long drivers_still_queued = 0;
    long riders_still_queued = 0;
    std::optional<long> live_drivers;
    std::optional<long> live_riders;
    nlohmann::ordered_json extra;

    bool operator==(const SpawnRecord&) const = default;
};

struct DurationMetadata {
    // Analysis output recorded at run time (record_duration_analysis): its shape belongs to the
    // analysis' JSON mapping, so the model keeps it as recorded.
    std::optional<nlohmann::ordered_json> phase_analysis;
    std::optional<nlohmann::ordered_json> leak_analysis;
    std::optional<nlohmann::ordered_json> cooldown_analysis;
    std::optional<PhaseTimestamps> phase_timestamps;
    std::optional<PhaseSampleCounts> phase_sample_counts;
    std::optional<double> drain_duration_seconds;
    // perfrunner additions
    std::optional<std::string> drain_end_reason;  // paused | client_timeout | oom_abort | interrupted
    std::optional<SpawnRecord> spawn;
    nlohmann::ordered_json extra;

    bool operator==(const DurationMetadata&) const = default;
};

struct SpeedStepResult {
    int step = 0;
    int multiplier = 0;
    long agent_count = 0;  // per type: n drivers and n riders
    std::size_t sample_count = 0;
    double duration_seconds = 0.0;
    bool threshold_hit = false;
    std::optional<Trigger> trigger;              // written as null when none
    std::optional<double> mean_real_time_ratio;  // perfrunner addition
    nlohmann::ordered_json extra;

    bool operator==(const SpeedStepResult&) const = default;
};

struct SpeedMetadata {
    std::vector<SpeedStepResult> step_results;  // samples of the steps are concatenated in this order
    std::size_t total_steps = 0;
    int max_speed_achieved = 0;  // reference meaning: the last step run, even when it breached
    bool stopped_by_threshold = false;
    std::optional<int> max_speed_passed;  // perfrunner addition: the last step without a breach
    nlohmann::ordered_json extra;

    bool operator==(const SpeedMetadata&) const = default;
};

// Metadata perfrunner has no struct for (another tool's scenario, keys in a baseline's metadata), as read.
struct OtherMetadata {
    nlohmann::ordered_json fields = nlohmann::ordered_json::object();

    bool operator==(const OtherMetadata&) const = default;
};

// One scenario's metadata. std::monostate: nothing recorded, written as {} - the baseline (results-schema.md
// §5), and the reference's stress test aborted by an OOM kill (its bug 10).
using ScenarioMetadata =
    std::variant<std::monostate, StressMetadata, DurationMetadata, SpeedMetadata, OtherMetadata>;

// NOLINTEND(bugprone-exception-escape)

}  // namespace perfrunner::model
