#include "perfrunner/scenarios/sampler.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "perfrunner/config/docker_hosts.hpp"
#include "perfrunner/error.hpp"
#include "perfrunner/model/timestamps.hpp"

namespace perfrunner::scenarios {
namespace {

void append_error(model::Sample& sample, const std::string& text) {
    if (sample.error && !sample.error->empty()) {
        *sample.error += "; " + text;
    } else {
        sample.error = text;
    }
}

model::ContainerSample to_sample(model::RunResult& run, const ports::ContainerReading& r, bool hosts) {
    model::ContainerSample c;
    c.container = run.intern(r.name, hosts ? r.host : std::string());
    c.memory_used_mb = r.memory_used_mb;
    c.memory_limit_mb = r.memory_limit_mb;
    c.memory_percent = r.memory_percent;
    c.cpu_percent = r.cpu_percent;
    c.memory_rss_mb = r.memory_rss_mb;
    c.memory_usage_mb = r.memory_usage_mb;
    c.cpu_cores_effective = r.cpu_cores_effective;
    if (r.cpu_percent && r.cpu_cores_effective > 0) {
        c.cpu_percent_of_quota = *r.cpu_percent / r.cpu_cores_effective;
    }
    c.cadvisor_timestamp = r.cadvisor_timestamp;
    c.stale = r.stale;
    c.counter_reset = r.counter_reset;
    return c;
}

// The host a configured container runs on, for a container no source reports (rare: read from config then).
std::string configured_host(const config::Config& config, const std::string& name) {
    for (const auto& h : config::docker_hosts(config)) {
        if (std::find(h.containers.begin(), h.containers.end(), name) != h.containers.end()) {
            return h.name;
        }
    }
    return {};
}

// The figures of a reading (containers, missing ones, host), or the error of a failed poll. Each container's
// host is recorded only when the run drives several Docker hosts (else host "" = the only one).
void add_figures(model::RunResult& run, const config::Config& config, const ports::MetricsReading& reading,
                 model::Sample& sample) {
    const bool hosts = config::several_docker_hosts(config);
    if (!reading.ok) {
        // A dead cAdvisor is a gap in the data, not the end of the run.
        append_error(sample,
                     "metrics: " + (reading.error.empty() ? std::string("no answer") : reading.error));
        return;
    }
    sample.containers.reserve(reading.containers.size() + reading.missing.size());
    for (const auto& r : reading.containers) {
        sample.containers.push_back(to_sample(run, r, hosts));
    }
    for (const auto& name : reading.missing) {
        model::ContainerSample c;
        c.container = run.intern(name, hosts ? configured_host(config, name) : std::string());
        c.missing = true;
        sample.containers.push_back(c);
    }
    // A sample keeps one host's machine figures (results.json's one `host` object): on several hosts the
    // first docker.hosts entry's, whatever order the source lists them in (Prometheus: by label).
    const ports::HostReading* machine = reading.host ? &*reading.host : nullptr;
    if (hosts) {
        const std::string first = config::docker_hosts(config).front().name;
        for (const auto& h : reading.hosts) {
            if (h.name == first) {
                machine = &h;
            }
        }
    }
    if (machine != nullptr) {
        model::HostSample h;
        h.cpu_percent = machine->cpu_percent;
        h.cpu_percent_of_host = machine->cpu_percent_of_host;
        h.memory_used_mb = machine->memory_used_mb;
        h.memory_total_mb = machine->memory_total_mb;
        h.num_cores = machine->num_cores;
        sample.host = h;
    }
}

struct TimeRange {
    double from = 0.0;
    double to = 0.0;
};

// The stretches of [start, end] where ticks were due every `interval` but no sample has figures (a paused
// perfrunner, failed polls). `covered` holds the times of samples with figures, ascending.
std::vector<TimeRange> missed_ranges(const std::vector<double>& covered, double start, double end,
                                     double interval) {
    std::vector<TimeRange> out;
    double previous = start - interval;  // as if a tick had been taken just before the phase
    for (const double t : covered) {
        if (t - previous > 1.5 * interval) {
            out.push_back({previous + interval, t - 0.5 * interval});
        }
        previous = t;
    }
    if (end - previous > 1.5 * interval) {
        out.push_back({previous + interval, end});
    }
    return out;
}

}  // namespace

Sampler::Sampler(ScenarioContext& context, model::ScenarioResult& scenario)
    : ctx_(context), scenario_(scenario) {}

TickOutcome Sampler::tick(const std::function<void(model::Sample&)>& complete) {
    auto& ports = ctx_.ports;
    const ports::MetricsReading reading = ports.metrics.poll();

    model::Sample sample;
    // One clock read for both forms of the timestamp (reference bug 15: two reads, naive local time).
    sample.timestamp = ports.clock.now();
    sample.timestamp_iso = model::iso_utc(sample.timestamp);
    add_figures(ctx_.run, ctx_.config, reading, sample);

    TickOutcome outcome;
    if (read_status_) {
        read_pace(sample, outcome, reading.events_per_sec);
    }
    poll_oom(sample, outcome);

    scenario_.samples.push_back(std::move(sample));
    outcome.index = scenario_.samples.size() - 1;
    if (complete) {
        complete(scenario_.samples.back());
    }
    record_sample();
    if (!outcome.oom_containers.empty() || outcome.watch_notes) {
        checkpoint();  // the OOM event (or note) is recorded at once, not only at the scenario's end
    }
    ports.progress.sample_taken(ctx_.run, scenario_.samples.back(), live_);

    if (status_required_ && consecutive_status_failures_ >= kMaxConsecutiveStatusFailures) {
        throw RuntimeFailure("simulation API: " + std::to_string(consecutive_status_failures_) +
                             " status calls failed in a row (is the simulation service still up?)");
    }
    return outcome;
}

void Sampler::read_pace(model::Sample& sample, TickOutcome& outcome,
                        std::optional<double> source_events_per_sec) {
    ports::SimulationStatus status;
    try {
        status = ctx_.ports.simulation.status();
    } catch (const std::exception& e) {
        ++consecutive_status_failures_;
        append_error(sample, std::string("simulation status: ") + e.what());
        previous_sim_ns_.reset();
        return;  // no throughput call either: a service that did not answer costs one timeout, not two
    }
    consecutive_status_failures_ = 0;
    const double wall = ctx_.ports.clock.now();
    model::PaceSample pace;
    pace.state = status.state;
    pace.simulated_time = status.current_time;
    pace.requested_speed = status.speed_multiplier;
    pace.status_latency_ms = status.latency_ms;
    pace.drivers_total = status.drivers_total;
    pace.riders_total = status.riders_total;
    pace.active_trips = status.active_trips_count;
    const auto parsed = model::parse_iso(status.current_time);
    if (parsed && status.state == "running") {
        if (previous_sim_ns_ && wall > previous_wall_) {
            const double sim_delta = static_cast<double>(parsed->epoch_ns - *previous_sim_ns_) / 1e9;
            const double achieved = sim_delta / (wall - previous_wall_);
            pace.achieved_speed = achieved;
            if (status.speed_multiplier > 0) {
                pace.real_time_ratio = achieved / status.speed_multiplier;
            }
        }
        previous_sim_ns_ = parsed->epoch_ns;
        previous_wall_ = wall;
    } else {
        previous_sim_ns_.reset();  // not running: simulated time stands still by design
    }
    if (source_events_per_sec) {
        pace.events_per_sec = source_events_per_sec;  // the metrics source had it: no extra call
    } else {
        read_throughput(pace);
    }
    if (!pace.events_per_sec || !std::isfinite(*pace.events_per_sec)) {
        pace.events_per_sec.reset();
        pace.extra_json = model::PaceSample::kNoThroughput;
    }
    sample.pace = pace;
    outcome.status = status;
}

void Sampler::read_throughput(model::PaceSample& pace) {
    // One extra call per tick at most, beside the status call; the endpoint is optional, so a failure is a
    // null figure (noted once per scenario), never a gap in the sample or a reason to stop.
    try {
        pace.events_per_sec = ctx_.ports.simulation.events_per_second();
    } catch (const std::exception& e) {
        if (!throughput_failure_noted_) {
            ctx_.ports.progress.note(std::string("throughput not recorded (GET /metrics/performance): ") +
                                     e.what());
            throughput_failure_noted_ = true;
        }
    }
}

bool Sampler::watched(const std::string& container) const {
    if (ctx_.config.containers.empty()) {
        return true;
    }
    for (const auto& c : ctx_.config.containers) {
        if (c.name == container) {
            return true;
        }
    }
    return false;
}

void Sampler::poll_oom(model::Sample& sample, TickOutcome& outcome) {
    std::vector<model::OomEvent> events;
    try {
        events = ctx_.ports.stack.poll_oom(sample.timestamp);
    } catch (const std::exception& e) {
        append_error(sample, std::string("oom check: ") + e.what());
    }
    record_watch_notes(sample, outcome);
    for (auto& ev : events) {
        if (!watched(ev.container_name)) {
            // Another container on the same docker engine (not part of the stack under test).
            ctx_.ports.progress.note("OOM event of an unrelated container ignored: " + ev.container_name);
            continue;
        }
        if (ev.timestamp_iso.empty()) {
            ev.timestamp_iso = model::iso_utc(ev.timestamp);
        }
        // On several hosts the reason and the log name the host too: "rideshare-simulation@edge".
        const std::string who = ev.host ? ev.container_name + "@" + *ev.host : ev.container_name;
        if (std::find(oom_names_.begin(), oom_names_.end(), who) == oom_names_.end()) {
            oom_names_.push_back(who);
        }
        outcome.oom_containers.push_back(who);
        ctx_.ports.progress.note("OOM event: " + who);
        scenario_.oom_events.push_back(std::move(ev));
    }
}

void Sampler::record_watch_notes(const model::Sample& sample, TickOutcome& outcome) {
    // The OOM watch's own trouble (its event stream restarted, a retried inspect) belongs in the results: a
    // reader of the run must know detection had a gap and how it was covered.
    for (auto& note : ctx_.ports.stack.take_notes()) {
        ctx_.ports.progress.note("OOM watch: " + note);
        auto& notes = scenario_.extra["oom_watch_notes"];
        if (!notes.is_array()) {
            notes = nlohmann::json::array();
        }
        notes.push_back(
            {{"timestamp", sample.timestamp}, {"timestamp_iso", sample.timestamp_iso}, {"note", note}});
        outcome.watch_notes = true;
    }
}

CollectEnd Sampler::collect(double duration_seconds, double interval_seconds,
                            const std::function<bool(const TickOutcome&)>& after_each) {
    const double start = ctx_.ports.clock.now();
    const std::size_t first = scenario_.samples.size();
    const CollectEnd end = collect_ticks(start, duration_seconds, interval_seconds, after_each);
    if (end != CollectEnd::stopped) {  // a stop request wants out now, not more requests
        backfill(first, start, interval_seconds);
    }
    return end;
}

void Sampler::backfill(std::size_t first, double start, double interval_seconds) {
    auto& samples = scenario_.samples;
    std::vector<double> covered;
    for (std::size_t i = first; i < samples.size(); ++i) {
        if (!samples[i].containers.empty()) {
            covered.push_back(samples[i].timestamp);
        }
    }
    const double end = samples.size() > first ? samples.back().timestamp : start;
    std::size_t added = 0;
    for (const auto& range : missed_ranges(covered, start, end, interval_seconds)) {
        std::vector<ports::TimedReading> history;
        try {
            history = ctx_.ports.metrics.backfill(range.from, range.to, interval_seconds);
        } catch (const std::exception& e) {
            ctx_.ports.progress.note(std::string("backfill from the metrics source failed: ") + e.what());
            return;
        }
        for (const auto& h : history) {
            const bool in_range = h.time >= range.from - 0.5 * interval_seconds && h.time <= range.to;
            const auto near =
                std::lower_bound(covered.begin(), covered.end(), h.time - 0.5 * interval_seconds);
            const bool taken = near != covered.end() && *near <= h.time + 0.5 * interval_seconds;
            if (!h.reading.ok || !in_range || taken) {
                continue;
            }
            model::Sample sample;
            sample.timestamp = h.time;
            sample.timestamp_iso = model::iso_utc(h.time);
            sample.backfilled = true;
            add_figures(ctx_.run, ctx_.config, h.reading, sample);
            const auto at =
                std::upper_bound(samples.begin() + static_cast<std::ptrdiff_t>(first), samples.end(), h.time,
                                 [](double t, const model::Sample& s) { return t < s.timestamp; });
            const auto& inserted = *samples.insert(at, std::move(sample));
            ++added;
            try {
                ctx_.ports.sink.sample_added(ctx_.run, scenario_index(), inserted);
            } catch (const std::exception& e) {
                report_sink_failure(e);
            }
        }
    }
    if (added > 0) {
        ctx_.ports.progress.note(
            fmt::format("{}: {} missed tick{} backfilled from the metrics source's history",
                        scenario_.scenario_name, added, added == 1 ? "" : "s"));
    }
}

CollectEnd Sampler::collect_ticks(double start, double duration_seconds, double interval_seconds,
                                  const std::function<bool(const TickOutcome&)>& after_each) {
    auto& clock = ctx_.ports.clock;
    const double end = start + duration_seconds;
    for (long k = 1; clock.now() < end; ++k) {
        if (ctx_.ports.stop.stop_requested()) {
            return CollectEnd::stopped;
        }
        const TickOutcome outcome = tick();
        if (!outcome.oom_containers.empty()) {
            return CollectEnd::oom;
        }
        if (after_each && after_each(outcome)) {
            return CollectEnd::requested;
        }
        // Anchored: tick k is due at start + k*interval whatever the previous tick cost.
        const double due = std::min(start + static_cast<double>(k) * interval_seconds, end);
        if (!clock.sleep_until(due) || ctx_.ports.stop.stop_requested()) {
            return CollectEnd::stopped;
        }
    }
    return CollectEnd::completed;
}

void Sampler::sleep_until(double epoch_seconds) {
    if (!ctx_.ports.clock.sleep_until(epoch_seconds) || ctx_.ports.stop.stop_requested()) {
        throw Interrupted{};
    }
}

std::size_t Sampler::scenario_index() const {
    const auto& all = ctx_.run.scenarios;
    const auto it = std::find_if(all.begin(), all.end(), [&](const auto& s) { return &s == &scenario_; });
    if (it == all.end()) {
        throw RuntimeFailure("sampler: the scenario is not one of the run's (internal error)");
    }
    return static_cast<std::size_t>(it - all.begin());
}

void Sampler::record_sample() {
    try {
        ctx_.ports.sink.sample_taken(ctx_.run, scenario_index());
    } catch (const std::exception& e) {
        report_sink_failure(e);
    }
}

void Sampler::checkpoint() {
    try {
        ctx_.ports.sink.checkpoint(ctx_.run);
    } catch (const std::exception& e) {
        report_sink_failure(e);
    }
}

void Sampler::report_sink_failure(const std::exception& e) {
    // Once per scenario: a full disk fails every record, and the run goes on with the samples in memory.
    if (!sink_failure_reported_) {
        ctx_.ports.progress.note(std::string("recording results failed (run goes on): ") + e.what());
        sink_failure_reported_ = true;
    }
}

std::string Sampler::oom_reason() const {
    std::string reason = "OOM detected in: ";
    for (std::size_t i = 0; i < oom_names_.size(); ++i) {
        if (i > 0) {
            reason += ", ";
        }
        reason += oom_names_[i];
    }
    return reason;
}

}  // namespace perfrunner::scenarios
