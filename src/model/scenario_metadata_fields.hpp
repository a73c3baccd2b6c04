#pragma once
// Internal to the model layer: the fields of every scenario-metadata struct, once, in the order they are
// written. `fields(v, s)` calls v(key, member[, WhenEmpty]) per field, v.inlined(optional) for a struct whose
// fields sit in the same object, v.keyed(key, list, name member) for an object keyed by container and
// v.recorded(key, member, order) for recorded analysis JSON; the reader and the writer of
// scenario_metadata_json.cpp are such visitors, so every key is spelled here alone.
#include <array>
#include <concepts>
#include <span>
#include <string_view>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "perfrunner/model/scenario_metadata.hpp"

namespace perfrunner::model::metadata_fields {

using ojson = nlohmann::ordered_json;

// How a field without a value is written: an empty optional or an empty list.
enum class WhenEmpty { omit, null, write };

template <class T, class S>
concept Is = std::same_as<std::remove_const_t<T>, S>;

// Recorded analysis parts (results-schema.md §5): the reference's keys first, the others as held.
constexpr std::array<std::string_view, 3> kPhaseKeys = {"active", "drain", "cooldown"};
constexpr std::array<std::string_view, 4> kSlopeKeys = {
    "memory_slope_mb_per_min", "cpu_slope_percent_per_min", "memory_leak_detected", "cpu_leak_detected"};
constexpr std::array<std::string_view, 5> kCooldownKeys = {"active_end_mb", "cooldown_end_mb", "delta_mb",
                                                           "delta_percent", "memory_released"};

inline ojson with_keys_first(const ojson& value, std::span<const std::string_view> first) {
    if (!value.is_object()) {
        return value;
    }
    ojson out = ojson::object();
    for (const auto key : first) {
        if (const auto it = value.find(std::string(key)); it != value.end()) {
            out[std::string(key)] = *it;
        }
    }
    for (const auto& [key, member] : value.items()) {
        if (!out.contains(key)) {
            out[key] = member;
        }
    }
    return out;
}

// container -> object: every object with `first` keys first.
inline ojson per_container(const ojson& value, std::span<const std::string_view> first) {
    if (!value.is_object()) {
        return value;
    }
    ojson out = ojson::object();
    for (const auto& [container, member] : value.items()) {
        out[container] = with_keys_first(member, first);
    }
    return out;
}

inline ojson ordered_phase_analysis(const ojson& value) {
    ojson out = with_keys_first(value, kPhaseKeys);
    if (out.is_object()) {
        for (auto& [phase, containers] : out.items()) {
            containers = per_container(containers, kSlopeKeys);
        }
    }
    return out;
}

inline ojson ordered_leak_analysis(const ojson& value) {
    return per_container(value, kSlopeKeys);
}

inline ojson ordered_cooldown_analysis(const ojson& value) {
    return per_container(value, kCooldownKeys);
}

// ------------------------------------------------------------------ the fields of each struct, written order
template <class V, Is<BreachDetail> T>
void fields(V& v, T& d) {
    v("window_mean", d.window_mean);
    v("samples_over", d.samples_over);
    v("k", d.k);
    v("m", d.m);
    v("critical", d.critical);
}

template <class V, Is<Trigger> T>
void fields(V& v, T& t) {
    v("container", t.container);
    v("metric", t.metric);
    v("value", t.value);
    v("threshold", t.threshold);
    v.inlined(t.detail);
}

template <class V, Is<PeakValues> T>
void fields(V& v, T& p) {  // p.container is the member's key in peak_values
    v("memory_percent", p.memory_percent);
    v("cpu_percent", p.cpu_percent);
}

template <class V, Is<LevelWindowMean> T>
void fields(V& v, T& w) {
    v("container", w.container);
    v("memory_percent", w.memory_percent);
    v("cpu_percent_of_cores", w.cpu_percent_of_cores);
}

template <class V, Is<StressStep> T>
void fields(V& v, T& s) {
    v("level", s.level);
    v("drivers_queued", s.drivers_queued);
    v("live_drivers", s.live_drivers);
    v("live_riders", s.live_riders);
    v("spawn_drained", s.spawn_drained);
    v("window_samples", s.window_samples);
    v("breach", s.breach);
    v("critical", s.critical);
    v("trigger", s.trigger);
    v("window_means", s.window_means);
    v("window_throughput", s.window_throughput);
}

template <class V, Is<RefinementProbe> T>
void fields(V& v, T& r) {
    v("probe", r.probe);
    v("live_drivers", r.live_drivers);
    v("breach", r.breach);
    v("critical", r.critical);
    v("trigger", r.trigger);
    v("window_means", r.window_means);
    v("window_throughput", r.window_throughput);
}

template <class V, Is<StressStepResult> T>
void fields(V& v, T& s) {
    v("steps", s.steps, WhenEmpty::write);
    v("last_healthy", s.last_healthy, WhenEmpty::null);
    v("breaking_point", s.breaking_point, WhenEmpty::null);
    v("headroom_recommendation", s.headroom_recommendation, WhenEmpty::null);
    v("trigger_detail", s.trigger_detail);
    v("refinement", s.refinement);
}

template <class V, Is<StressMetadata> T>
void fields(V& v, T& m) {
    v("trigger", m.trigger, WhenEmpty::null);
    v("total_agents_queued", m.total_agents_queued);
    v("drivers_queued", m.drivers_queued);
    v("riders_queued", m.riders_queued);
    v.keyed("peak_values", m.peak_values, &PeakValues::container);
    v("duration_seconds", m.duration_seconds);
    v("batch_count", m.batch_count);
    v("live_drivers", m.live_drivers);
    v("live_riders", m.live_riders);
    v("live_drivers_at_trigger", m.live_drivers_at_trigger);
    v("live_riders_at_trigger", m.live_riders_at_trigger);
    v("stop_reason", m.stop_reason);
    v.inlined(m.step_mode);
}

template <class V, Is<PhaseTimestamps> T>
void fields(V& v, T& p) {
    v("active_start", p.active_start);
    v("active_end", p.active_end);
    v("drain_start", p.drain_start);
    v("drain_end", p.drain_end);
    v("cooldown_start", p.cooldown_start);
    v("cooldown_end", p.cooldown_end);
}

template <class V, Is<PhaseSampleCounts> T>
void fields(V& v, T& c) {
    v("active", c.active);
    v("drain", c.drain);
    v("cooldown", c.cooldown);
}

template <class V, Is<SpawnRecord> T>
void fields(V& v, T& s) {
    v("drivers_requested", s.drivers_requested);
    v("riders_requested", s.riders_requested);
    v("drained", s.drained);
    v("waited_seconds", s.waited_seconds);
    v("drivers_still_queued", s.drivers_still_queued);
    v("riders_still_queued", s.riders_still_queued);
    v("live_drivers", s.live_drivers);
    v("live_riders", s.live_riders);
}

template <class V, Is<DurationMetadata> T>
void fields(V& v, T& m) {
    v.recorded("phase_analysis", m.phase_analysis, ordered_phase_analysis);
    v.recorded("leak_analysis", m.leak_analysis, ordered_leak_analysis);
    v.recorded("cooldown_analysis", m.cooldown_analysis, ordered_cooldown_analysis);
    v("phase_timestamps", m.phase_timestamps);
    v("phase_sample_counts", m.phase_sample_counts);
    v("drain_duration_seconds", m.drain_duration_seconds);
    v("drain_end_reason", m.drain_end_reason);
    v("spawn", m.spawn);
}

template <class V, Is<SpeedStepResult> T>
void fields(V& v, T& s) {
    v("step", s.step);
    v("multiplier", s.multiplier);
    v("agent_count", s.agent_count);
    v("sample_count", s.sample_count);
    v("duration_seconds", s.duration_seconds);
    v("threshold_hit", s.threshold_hit);
    v("trigger", s.trigger, WhenEmpty::null);
    v("mean_real_time_ratio", s.mean_real_time_ratio);
}

template <class V, Is<SpeedMetadata> T>
void fields(V& v, T& m) {
    v("step_results", m.step_results, WhenEmpty::write);
    v("total_steps", m.total_steps);
    v("max_speed_achieved", m.max_speed_achieved);
    v("stopped_by_threshold", m.stopped_by_threshold);
    v("max_speed_passed", m.max_speed_passed);
}

}  // namespace perfrunner::model::metadata_fields
