#pragma once
// SIGINT / SIGTERM -> a StopToken that every wait checks and that counts the signals (see cmd_run.cpp for
// what the first, second and third do). The handler ends the process itself only on the fourth signal (exit
// 130, an escape hatch): before that a run always gets to kill its children and tear the stack down, or to
// say what it left running.
#include "perfrunner/ports/clock.hpp"

namespace perfrunner::cli {

// Installs the handlers (idempotent) and returns the token they set.
ports::StopToken& install_signal_handlers();

// The token set by the handlers (install_signal_handlers() must have been called).
const ports::StopToken& stop_token();

}  // namespace perfrunner::cli
