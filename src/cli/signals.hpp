#pragma once
// SIGINT / SIGTERM -> a StopToken that every wait checks and that counts the signals (see cmd_run.cpp for
// what the first, second and third do). The handler ends the process itself only on the fourth signal (exit
// 130, an escape hatch): before that a run always gets to kill its children and tear the stack down, or to
// say what it left running.
#include <string_view>

#include "perfrunner/ports/clock.hpp"

namespace perfrunner::cli {

// Installs the handlers (idempotent) and returns the token they set.
ports::StopToken& install_signal_handlers();

// The token set by the handlers (install_signal_handlers() must have been called).
const ports::StopToken& stop_token();

// How the commands that only read and write files (analyze, rebuild, compare) stop: with the handlers
// installed a Ctrl-C no longer kills the process in the middle of a file (which would leave the atomic
// writer's temporary file behind); the command checks here between its steps, so the file being written is
// finished and renamed, the steps after it are skipped, and the command exits 130. `done` says what is on
// disk by then.
void stop_if_requested(const ports::StopToken& stop, std::string_view done);

}  // namespace perfrunner::cli
