#pragma once
// Client-side limiter for the simulation API's per-key limits ("N per minute", simulation-api.md §5).
// A sliding-window log rather than a token bucket: a bucket of N tokens refilled at N/60 per second lets
// ~2N requests through in one 60-s window (full bucket + refill), which slowapi answers with 429. Keeping the
// timestamps of the last N requests never exceeds N in ANY 60-s window, hence never in slowapi's windows.
#include <deque>
#include <functional>

namespace perfrunner::adapters {

class SlidingWindowLimiter {
  public:
    // `now` is a monotonic clock in seconds; `sleep` waits.
    SlidingWindowLimiter(int max_requests, double window_seconds, std::function<double()> now,
                         std::function<void(double)> sleep);
    // Blocks until one more request fits the window, then records it. Returns the seconds waited.
    double acquire();
    // Seconds until a request would fit (0 = now).
    double wait_needed();

  private:
    int max_requests_;
    double window_;
    std::function<double()> now_;
    std::function<void(double)> sleep_;
    std::deque<double> sent_;
};

}  // namespace perfrunner::adapters
