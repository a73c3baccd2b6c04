#pragma once
// A metrics source whose readings a test scripts as a function of virtual time; every poll can cost time.
#include <functional>
#include <string>
#include <vector>

#include "fakes/virtual_clock.hpp"
#include "perfrunner/ports/metrics_source.hpp"

namespace perfrunner::fakes {

inline ports::ContainerReading reading(const std::string& name, double memory_percent, double cpu_percent,
                                       double cores = 1.0, double limit_mb = 1024.0) {
    ports::ContainerReading r;
    r.name = name;
    r.memory_limit_mb = limit_mb;
    r.memory_percent = memory_percent;
    r.memory_used_mb = limit_mb * memory_percent / 100.0;
    r.cpu_percent = cpu_percent;
    r.cpu_cores_effective = cores;
    r.cores_source = "override";
    return r;
}

class FakeMetricsSource final : public ports::MetricsSource {
  public:
    explicit FakeMetricsSource(VirtualClock& clock) : clock_(clock) {}

    // Readings at virtual time t (seconds since the clock's start). Default: two idle containers.
    std::function<ports::MetricsReading(double t)> script = [](double) {
        ports::MetricsReading m;
        m.ok = true;
        m.containers = {reading("rideshare-simulation", 20.0, 10.0),
                        reading("rideshare-kafka", 30.0, 20.0, 1.5)};
        return m;
    };
    // Time each poll takes, by poll index (0-based).
    std::function<double(long index)> poll_cost = [](long) { return 0.0; };

    ports::MetricsReading poll() override {
        const double cost = poll_cost(polls_);
        ++polls_;
        clock_.advance(cost);
        return script(clock_.now() - start_);
    }
    void reset_baselines() override { ++resets_; }
    // History: when set, backfill answers the script's readings at every step from start to end (as a source
    // with history would); each call is logged as {start, end, step}.
    bool has_history = false;
    std::vector<std::vector<double>> backfill_calls;
    std::vector<ports::TimedReading> backfill(double start, double end, double step) override {
        backfill_calls.push_back({start, end, step});
        std::vector<ports::TimedReading> out;
        for (double t = start; has_history && t <= end + 1e-9; t += step) {
            out.push_back({t, script(t - start_)});
        }
        return out;
    }

    long polls() const { return polls_; }
    long resets() const { return resets_; }
    void set_origin(double epoch) { start_ = epoch; }

  private:
    VirtualClock& clock_;
    double start_ = 1'760'000'000.0;
    long polls_ = 0;
    long resets_ = 0;
};

}  // namespace perfrunner::fakes
