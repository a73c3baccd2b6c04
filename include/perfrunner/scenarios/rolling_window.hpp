#pragma once
// The stress test's and speed scaling's rolling buffer: the last W values of each container (memory %, CPU
// %), of host CPU and of the simulation's real-time ratio, in catalogue order (containers the catalogue does
// not name follow in first-seen order). The threshold rule that judges it lives in analysis/stress_rule.hpp.
#include <cstddef>
#include <deque>
#include <string>
#include <vector>

#include "perfrunner/analysis/stress_rule.hpp"
#include "perfrunner/config/config.hpp"
#include "perfrunner/model/results.hpp"

namespace perfrunner::scenarios {

// W: the samples of stress_rolling_window_seconds at the sampling interval (at least 1).
std::size_t rolling_window_samples(const config::Config& config);

class RollingWindow {
  public:
    RollingWindow(const config::Config& config, std::size_t window_samples);

    void push(const model::RunResult& run, const model::Sample& sample);
    void clear();

    // Means of what each container's window holds now (partial windows included), 2 dp: a sample's
    // rolling_averages (results-schema.md §4.1).
    std::vector<model::RollingAverage> rolling_averages() const;

    // What the stress rule judges.
    analysis::StressWindow values() const;

  private:
    struct Series {
        model::ContainerId id = 0;
        std::string name;
        std::size_t order = 0;  // catalogue index; containers outside the catalogue after it
        double cores = 1.0;
        std::deque<double> memory, cpu;
    };
    Series& series_for(const model::RunResult& run, model::ContainerId id);
    void push_value(std::deque<double>& values, double v) const;

    const config::Config& config_;
    std::size_t window_;
    std::vector<Series> series_;
    std::deque<double> host_cpu_, rtr_, latency_;
};

}  // namespace perfrunner::scenarios
