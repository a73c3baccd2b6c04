#pragma once
// The sampling primitive of every scenario: one tick = metrics poll -> sample (timestamp taken once, right
// after the poll) -> simulation status (pace) and throughput (/metrics/performance) when the simulation
// should be running -> OOM poll; and timed collection on an anchored schedule (tick k at start + k*interval;
// a late tick is taken at once; the schedule never drifts).
//
// Failures are data, not crashes: a failed metrics poll is a sample with no containers and `error` set; a
// failed status call is recorded in the sample. Only kMaxConsecutiveStatusFailures failed status calls in a
// row abort the scenario (the simulation is gone).
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "perfrunner/scenarios/context.hpp"

namespace perfrunner::scenarios {

inline constexpr int kMaxConsecutiveStatusFailures = 5;

struct TickOutcome {
    std::size_t index = 0;                          // into ScenarioResult::samples
    std::optional<ports::SimulationStatus> status;  // when read_status and the call succeeded
    std::vector<std::string> oom_containers;        // new OOM events in this tick
    bool watch_notes = false;  // the OOM watch left a note (scenario extra "oom_watch_notes")
};

enum class CollectEnd { completed, stopped, oom, requested };

class Sampler {
  public:
    Sampler(ScenarioContext& context, model::ScenarioResult& scenario);

    // Read /simulation/status on every tick (while the simulation runs). `required`: a run of failed calls
    // ends the scenario (false for the baseline, which only calibrates the status latency).
    void set_read_status(bool read, bool required = true) {
        read_status_ = read;
        status_required_ = required;
    }
    // Forget the previous simulated time (after reset / set_speed): the next sample has no achieved speed.
    void reset_pace() { previous_sim_ns_.reset(); }
    // Live figures shown by the progress display.
    void set_live(const progress::LiveFigures& live) { live_ = live; }

    // Takes one sample now, appends it, lets `complete` add what the scenario knows of it (rolling averages,
    // queued agents), then records it through the sink (a new OOM event records the run's state too). Throws
    // RuntimeFailure after too many failed status calls in a row.
    TickOutcome tick(const std::function<void(model::Sample&)>& complete = {});

    // Timed collection: ticks at start + k*interval while now - start < duration. `after_each` returning true
    // ends the collection early (CollectEnd::requested). Ends at once on OOM or a stop request. The interval
    // is a config interval, validated > 0. Unless stopped, ticks that were due but have no figures
    // (perfrunner paused, failed polls) are then filled from the metrics source's history, where it has one:
    // samples marked `backfilled`, placed by their time.
    CollectEnd collect(double duration_seconds, double interval_seconds,
                       const std::function<bool(const TickOutcome&)>& after_each = {});

    // Sleeps until `epoch_seconds`; throws Interrupted when a stop was requested.
    void sleep_until(double epoch_seconds);

    // Records the run's state through the sink now, e.g. at a phase change (errors are reported once as a
    // note, never thrown).
    void checkpoint();

    bool oom_seen() const { return !oom_names_.empty(); }
    // "OOM detected in: a, b" (reference wording).
    std::string oom_reason() const;
    std::size_t sample_count() const { return scenario_.samples.size(); }

  private:
    CollectEnd collect_ticks(double start, double duration_seconds, double interval_seconds,
                             const std::function<bool(const TickOutcome&)>& after_each);
    void backfill(std::size_t first, double start, double interval_seconds);
    std::size_t scenario_index() const;  // of scenario_ in the run
    // source_events_per_sec: the metrics source's throughput, when it has one (then no API call is made).
    void read_pace(model::Sample& sample, TickOutcome& outcome, std::optional<double> source_events_per_sec);
    void read_throughput(model::PaceSample& pace);  // GET /metrics/performance
    void poll_oom(model::Sample& sample, TickOutcome& outcome);
    void record_watch_notes(const model::Sample& sample, TickOutcome& outcome);
    bool watched(const std::string& container) const;  // in the container catalogue
    void record_sample();
    void report_sink_failure(const std::exception& e);

    ScenarioContext& ctx_;
    model::ScenarioResult& scenario_;
    bool read_status_ = false;
    bool status_required_ = true;
    std::optional<long long> previous_sim_ns_;
    double previous_wall_ = 0.0;
    int consecutive_status_failures_ = 0;
    std::vector<std::string> oom_names_;
    progress::LiveFigures live_;
    bool sink_failure_reported_ = false;
    bool throughput_failure_noted_ = false;
};

}  // namespace perfrunner::scenarios
