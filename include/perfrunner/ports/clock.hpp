#pragma once
// Time as scenarios see it. Real runs use SystemClock; unit tests use VirtualClock (tests/unit/fakes) so a
// 20-minute scenario runs in milliseconds.
#include <atomic>

namespace perfrunner::ports {

// Set from the SIGINT/SIGTERM handler; every wait checks it. It also counts the requests, so a step that
// starts after the first one (reports, teardown) can still be cut short by the next.
class StopToken {
  public:
    void request_stop() noexcept { requests_.fetch_add(1); }
    bool stop_requested() const noexcept { return requests_.load() > 0; }
    int requests() const noexcept { return requests_.load(); }

  private:
    std::atomic<int> requests_{0};
};

class Clock {
  public:
    virtual ~Clock() = default;
    // Wall-clock time, epoch seconds.
    virtual double now() = 0;
    // Sleeps until `epoch_seconds` (returns at once when it has passed). Returns false when a stop was
    // requested before that time; true otherwise.
    virtual bool sleep_until(double epoch_seconds) = 0;
    bool sleep_for(double seconds) { return sleep_until(now() + seconds); }
};

}  // namespace perfrunner::ports
