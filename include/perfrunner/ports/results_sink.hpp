#pragma once
// Where a run's results go while it runs (the run journal of a real run), so nothing collected is lost to a
// crash, a kill or a full disk. The final results.json is written once, at the end, by the command.
#include <cstddef>

#include "perfrunner/model/results.hpp"

namespace perfrunner::ports {

class ResultsSink {
  public:
    virtual ~ResultsSink() = default;
    // The sample just appended to run.scenarios[scenario] (its last one) is recorded now. Throws on failure.
    virtual void sample_taken(const model::RunResult& run, std::size_t scenario) = 0;
    // A sample added to run.scenarios[scenario] after the fact (backfilled, placed by its timestamp) is
    // recorded now. Throws on failure.
    virtual void sample_added(const model::RunResult& run, std::size_t scenario,
                              const model::Sample& sample) = 0;
    // Records the run apart from its samples: called at the start and end of the run and of every scenario,
    // at phase changes and OOM events. Throws on failure.
    virtual void checkpoint(const model::RunResult& run) = 0;
};

}  // namespace perfrunner::ports
