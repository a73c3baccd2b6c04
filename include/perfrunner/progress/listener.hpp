#pragma once
// What a running scenario tells whoever shows progress. Scenarios only emit these events; src/progress
// renders them on a terminal, as log lines, or not at all (--quiet). Header-only so scenarios need no
// progress library.
#include <optional>
#include <string>
#include <string_view>

#include "perfrunner/model/results.hpp"

namespace perfrunner::progress {

struct PhaseInfo {
    std::string scenario;     // scenario_name, e.g. "stress_test"
    std::string phase;        // e.g. "setup", "warmup", "sampling", "ramp", "active", "drain", "step 3 (x8)"
    double started_at = 0.0;  // epoch seconds
    double planned_seconds = 0.0;  // 0 = open-ended (ramp until a threshold, drain until paused)
};

// Figures a scenario knows beyond the sample itself.
struct LiveFigures {
    long drivers_queued = 0;
    long riders_queued = 0;
};

class ProgressListener {
  public:
    virtual ~ProgressListener() = default;
    virtual void phase_started(const PhaseInfo& /*phase*/) {}
    virtual void sample_taken(const model::RunResult& /*run*/, const model::Sample& /*sample*/,
                              const LiveFigures& /*live*/) {}
    // One notable thing in one line: a trigger, an abort, a failed call that the run survives.
    virtual void note(std::string_view /*text*/) {}
    virtual void finished() {}
};

// --quiet, and unit tests that do not look at progress.
class NullProgress final : public ProgressListener {};

}  // namespace perfrunner::progress
