#pragma once
// Where a run's results go while it runs: results.json checkpoints, so nothing collected is ever lost.
#include "perfrunner/model/results.hpp"

namespace perfrunner::ports {

class ResultsSink {
  public:
    virtual ~ResultsSink() = default;
    // Writes the run as it is now (atomically). Called after every phase and every N samples.
    virtual void checkpoint(const model::RunResult& run) = 0;
};

}  // namespace perfrunner::ports
