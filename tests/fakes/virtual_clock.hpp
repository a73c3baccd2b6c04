#pragma once
// A clock that only moves when someone sleeps or calls advance(): a 20-minute scenario runs in milliseconds.
// Optionally sets a stop token when virtual time reaches `stop_at` (a SIGINT at a chosen moment).
#include <optional>

#include "perfrunner/ports/clock.hpp"

namespace perfrunner::fakes {

class VirtualClock final : public ports::Clock {
  public:
    explicit VirtualClock(double start_epoch = 1'760'000'000.0, ports::StopToken* stop = nullptr)
        : now_(start_epoch), stop_(stop) {}

    double now() override { return now_; }

    bool sleep_until(double epoch_seconds) override {
        ++sleeps_;
        if (stop_ != nullptr && stop_->stop_requested()) return false;
        if (stop_at_ && *stop_at_ <= epoch_seconds && *stop_at_ >= now_) {
            now_ = *stop_at_;
            stop_->request_stop();
            return false;
        }
        if (epoch_seconds > now_) now_ = epoch_seconds;
        return true;
    }

    // Time spent inside a call (an HTTP round trip, a slow poll).
    void advance(double seconds) {
        now_ += seconds;
        if (stop_at_ && now_ >= *stop_at_ && stop_ != nullptr) stop_->request_stop();
    }

    // Request a stop (SIGINT) when virtual time reaches t.
    void stop_at(double epoch_seconds) { stop_at_ = epoch_seconds; }
    long sleeps() const { return sleeps_; }

  private:
    double now_;
    ports::StopToken* stop_;
    std::optional<double> stop_at_;
    long sleeps_ = 0;
};

}  // namespace perfrunner::fakes
