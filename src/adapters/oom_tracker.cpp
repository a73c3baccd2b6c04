#include "perfrunner/adapters/oom_tracker.hpp"

#include <algorithm>
#include <iterator>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "perfrunner/model/timestamps.hpp"

namespace perfrunner::adapters {

void OomTracker::begin(double epoch_seconds, const std::vector<ports::ContainerState>& baseline) {
    window_start_ = epoch_seconds;
    known_.clear();
    kill_times_.clear();
    for (const auto& s : baseline) {
        known_[s.name] =
            Known{s.restart_count, s.oom_killed, !s.running && s.exit_code == 137, s.started_at, 0};
    }
}

bool OomTracker::is_new_kill(const DockerOomEvent& event) {
    auto& times = kill_times_[event.container_id];
    // The nearest kills before and after: events can arrive out of order across polls.
    const auto after = times.lower_bound(event.time_nano);
    if (after != times.end() && *after - event.time_nano < kOneKillNanos) {
        return false;
    }
    if (after != times.begin() && event.time_nano - *std::prev(after) < kOneKillNanos) {
        return false;
    }
    times.insert(event.time_nano);
    return true;
}

std::vector<model::OomEvent> OomTracker::update(double now, const std::vector<ports::ContainerState>& current,
                                                const std::vector<DockerOomEvent>& oom_events) {
    std::vector<model::OomEvent> events;
    // docker `oom` events: one per kill, including child processes of a container that keeps running.
    std::map<std::string, std::size_t> first_event_of;
    for (const auto& o : oom_events) {
        if (!is_new_kill(o)) {
            continue;  // a repeat (overlapping windows), or one kill docker announced twice
        }
        const std::string short_id = o.container_id.substr(0, 12);
        model::OomEvent e;
        e.container_name = o.container_name.empty() ? short_id : o.container_name;
        e.timestamp = static_cast<double>(o.time_nano) / 1e9;
        e.timestamp_iso = model::iso_utc(e.timestamp);
        e.source = "docker_event";
        e.evidence = fmt::format("docker events: oom in container {} (id {})", e.container_name, short_id);
        auto k = known_.find(e.container_name);
        e.previous_restart_count = e.current_restart_count = k == known_.end() ? 0 : k->second.restart_count;
        first_event_of.try_emplace(e.container_name, events.size());
        events.push_back(std::move(e));
    }
    // docker inspect: restart count increases, OOMKilled, exit code 137.
    std::set<std::string> inspected;
    for (const auto& s : current) {
        inspected.insert(s.name);
        auto [it, inserted] = known_.try_emplace(s.name, Known{0, false, false, s.started_at, 0});
        Known& k = it->second;
        // This inspect is the evidence owed to `oom` events reported without one (a child kill leaves none).
        const bool explained = k.unconfirmed_events > 0;
        k.unconfirmed_events = 0;
        std::vector<std::string> signals;
        std::string source;
        const bool exited_137 = !s.running && s.exit_code == 137;
        if (s.restart_count > k.restart_count) {
            signals.push_back(fmt::format("RestartCount {} -> {}", k.restart_count, s.restart_count));
            source = "restart_count";
        }
        if (s.oom_killed && !k.oom_killed) {
            signals.push_back("State.OOMKilled=true");
            if (source.empty()) {
                source = "oom_killed";
            }
        }
        if (exited_137 && !k.exited_137) {
            signals.push_back("exited with code 137 (SIGKILL)");
            if (source.empty()) {
                source = "exit_code_137";
            }
        }
        const long previous = k.restart_count;
        k.restart_count = std::max(k.restart_count, s.restart_count);
        k.oom_killed = s.oom_killed;
        k.exited_137 = exited_137;
        k.started_at = s.started_at;
        if (signals.empty()) {
            continue;
        }
        std::string evidence = fmt::format("{} (ExitCode {}, StartedAt {})", fmt::join(signals, ", "),
                                           s.exit_code, s.started_at);
        if (auto f = first_event_of.find(s.name); f != first_event_of.end()) {
            // The same kill seen twice: annotate the docker event instead of reporting it again.
            auto& e = events[f->second];
            e.evidence = *e.evidence + "; " + evidence;
            e.previous_restart_count = previous;
            e.current_restart_count = s.restart_count;
            e.exit_code = s.exit_code;
            continue;
        }
        if (explained) {
            continue;  // the kill an earlier `oom` event already reported (its inspect had failed)
        }
        model::OomEvent e;
        e.container_name = s.name;
        e.timestamp = now;
        e.timestamp_iso = model::iso_utc(now);
        e.previous_restart_count = previous;
        e.current_restart_count = s.restart_count;
        e.source = source;
        e.exit_code = s.exit_code;
        e.evidence = std::move(evidence);
        events.push_back(std::move(e));
    }
    for (const auto& [name, index] : first_event_of) {
        if (inspected.count(name) == 0) {
            ++known_[name].unconfirmed_events;
        }
    }
    return events;
}

}  // namespace perfrunner::adapters
