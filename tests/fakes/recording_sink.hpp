#pragma once
// A results sink that keeps every checkpoint's sample count (and the last run) instead of writing a file.
#include <vector>

#include "perfrunner/ports/results_sink.hpp"

namespace perfrunner::fakes {

class RecordingSink final : public ports::ResultsSink {
  public:
    void checkpoint(const model::RunResult& run) override {
        std::size_t n = 0;
        for (const auto& s : run.scenarios) n += s.samples.size();
        sample_counts.push_back(n);
        last = run;
    }
    std::vector<std::size_t> sample_counts;  // total samples at each checkpoint
    model::RunResult last;
};

}  // namespace perfrunner::fakes
