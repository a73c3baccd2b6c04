#include "perfrunner/ports/system_clock.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

namespace perfrunner::ports {

double SystemClock::now() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

bool SystemClock::sleep_until(double epoch_seconds) {
    // Sleep in short slices so a stop request (SIGINT/SIGTERM) is honoured within 50 ms.
    for (;;) {
        if (stop_ != nullptr && stop_->stop_requested()) {
            return false;
        }
        const double remaining = epoch_seconds - now();
        if (remaining <= 0) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::duration<double>(std::min(remaining, 0.05)));
    }
}

}  // namespace perfrunner::ports
