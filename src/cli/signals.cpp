#include "signals.hpp"

#include <unistd.h>

#include <csignal>

#include <fmt/format.h>

#include "perfrunner/error.hpp"

namespace perfrunner::cli {
namespace {

constexpr int kForcedExitSignal = 4;

// The one process-wide object a signal handler may touch: a lock-free atomic flag.
ports::StopToken& token_instance() {
    static ports::StopToken token;
    return token;
}

extern "C" void on_stop_signal(int /*signal*/) {
    // Only counted: the run reacts (kills the running child, skips what is left, tears down) within a poll
    // interval, since every blocking wait is interruptible or polls the token.
    auto& token = token_instance();
    token.request_stop();
    if (token.requests() >= kForcedExitSignal) {
        // The escape hatch when something does not react (a hung HTTP call): the user insisted.
        constexpr char message[] =
            "perfrunner: forced exit; the stack and a running docker or Chromium child may be left running\n";
        [[maybe_unused]] const auto n = ::write(STDERR_FILENO, message, sizeof(message) - 1);
        ::_exit(130);
    }
}

}  // namespace

ports::StopToken& install_signal_handlers() {
    auto& token = token_instance();  // constructed before any handler can run
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: blocking waits return EINTR and re-check the token
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
    return token;
}

const ports::StopToken& stop_token() {
    return token_instance();
}

void stop_if_requested(const ports::StopToken& stop, std::string_view done) {
    if (stop.stop_requested()) {
        throw Error(ExitCode::interrupted, fmt::format("interrupted; {}", done));
    }
}

}  // namespace perfrunner::cli
