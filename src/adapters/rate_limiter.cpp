#include "perfrunner/adapters/rate_limiter.hpp"

#include <algorithm>

namespace perfrunner::adapters {

SlidingWindowLimiter::SlidingWindowLimiter(int max_requests, double window_seconds,
                                           std::function<double()> now, std::function<void(double)> sleep)
    : max_requests_(std::max(1, max_requests)),
      window_(window_seconds),
      now_(std::move(now)),
      sleep_(std::move(sleep)) {}

double SlidingWindowLimiter::wait_needed() {
    const double t = now_();
    while (!sent_.empty() && sent_.front() <= t - window_) {
        sent_.pop_front();
    }
    if (static_cast<int>(sent_.size()) < max_requests_) {
        return 0.0;
    }
    return sent_.front() + window_ - t;
}

double SlidingWindowLimiter::acquire() {
    double waited = 0.0;
    for (double w = wait_needed(); w > 0.0; w = wait_needed()) {
        sleep_(w);
        waited += w;
    }
    sent_.push_back(now_());
    return waited;
}

}  // namespace perfrunner::adapters
