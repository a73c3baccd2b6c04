#pragma once
// A results sink that keeps what it was given instead of writing a journal: the total sample count at every
// state checkpoint, every recorded sample's scenario, and the last run.
#include <vector>

#include "perfrunner/ports/results_sink.hpp"

namespace perfrunner::fakes {

class RecordingSink final : public ports::ResultsSink {
  public:
    void sample_taken(const model::RunResult& run, std::size_t scenario) override {
        sample_scenarios.push_back(scenario);
        recorded.push_back(run.scenarios.at(scenario).samples.back());
    }
    void sample_added(const model::RunResult& /*run*/, std::size_t scenario,
                      const model::Sample& sample) override {
        sample_scenarios.push_back(scenario);
        recorded.push_back(sample);
    }
    void checkpoint(const model::RunResult& run) override {
        std::size_t n = 0;
        for (const auto& s : run.scenarios) n += s.samples.size();
        sample_counts.push_back(n);
        last = run;
    }
    std::vector<std::size_t> sample_counts;     // total samples at each state checkpoint
    std::vector<std::size_t> sample_scenarios;  // scenario index of every recorded sample
    std::vector<model::Sample> recorded;        // every recorded sample as it was recorded
    model::RunResult last;
};

}  // namespace perfrunner::fakes
