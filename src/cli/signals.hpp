#pragma once
// SIGINT / SIGTERM -> a StopToken that every wait checks. A second signal ends the process at once (exit
// 130).
#include "perfrunner/ports/clock.hpp"

namespace perfrunner::cli {

// Installs the handlers (idempotent) and returns the token they set.
ports::StopToken& install_signal_handlers();

// The token set by the handlers (install_signal_handlers() must have been called).
const ports::StopToken& stop_token();

}  // namespace perfrunner::cli
