#include "signals.hpp"

#include <csignal>

#include <unistd.h>

namespace perfrunner::cli {
namespace {

// The one process-wide object a signal handler may touch: a lock-free atomic flag.
ports::StopToken& token_instance() {
    static ports::StopToken token;
    return token;
}

extern "C" void on_stop_signal(int /*signal*/) {
    auto& token = token_instance();
    if (token.stop_requested()) {
        ::_exit(130);  // second Ctrl-C: stop now
    }
    token.request_stop();
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

}  // namespace perfrunner::cli
