#pragma once
#include "perfrunner/ports/clock.hpp"

namespace perfrunner::ports {

// The real clock. Sleeps wake early when the stop token is set.
class SystemClock final : public Clock {
  public:
    explicit SystemClock(const StopToken* stop = nullptr) : stop_(stop) {}
    double now() override;
    bool sleep_until(double epoch_seconds) override;

  private:
    const StopToken* stop_;
};

}  // namespace perfrunner::ports
