#pragma once
// Rolling windows of the last W samples per container (memory %, CPU %), of host CPU and of the simulation's
// real-time ratio, and the threshold rules of the stress test and speed scaling:
//   memory: mean >= stress_memory_threshold_percent
//   cpu:    mean >= stress_cpu_threshold_percent x the container's effective cores
//   host:   mean host CPU (% of all cores) >= host_cpu_threshold_percent   (container "host", metric "cpu")
//   rtr:    mean real-time ratio < stress_rtr_floor                          (simulation container, metric
//   "rtr")
// A metric is judged only on a full window of W values (a half-empty window would trigger on one spike).
// Containers are checked in catalogue order, memory before CPU; the first hit wins.
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "perfrunner/config/config.hpp"
#include "perfrunner/model/results.hpp"

namespace perfrunner::scenarios {

struct Trigger {
    std::string container;
    std::string metric;  // "memory" | "cpu" | "rtr"
    double value = 0.0;  // the window mean
    double threshold = 0.0;
    // As recorded in metadata (the reference's shape): value 2 dp; threshold 2 dp when round_threshold.
    model::Trigger recorded(bool round_threshold) const;
};

class ThresholdWindow {
  public:
    ThresholdWindow(const config::Config& config, std::size_t window_samples);

    void push(const model::RunResult& run, const model::Sample& sample);
    void clear();
    std::size_t window() const { return window_; }

    // Means of what each window holds now (partial windows included), 2 dp, for the sample's
    // rolling_averages.
    std::vector<model::RollingAverage> rolling_averages() const;
    std::optional<Trigger> check() const;
    std::optional<double> mean_rtr() const;

    static std::string simulation_container(const config::Config& config);

  private:
    struct Series {
        model::ContainerId id = 0;
        std::string name;
        std::size_t order = 0;  // catalogue index; unknown containers after the catalogue
        double cores = 1.0;
        std::deque<double> memory, cpu;
    };
    Series& series_for(const model::RunResult& run, model::ContainerId id);
    void push_value(std::deque<double>& d, double v) const;

    const config::Config& config_;
    std::size_t window_;
    std::vector<Series> series_;
    std::deque<double> host_cpu_, rtr_;
};

double mean_of(const std::deque<double>& values);
double round_to(double value, int decimals);

}  // namespace perfrunner::scenarios
