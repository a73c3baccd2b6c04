#pragma once
// Runs a program from an argv vector (never through a shell) with a timeout, capturing stdout and stderr.
// The child runs in its own process group; on timeout the whole group is killed (TERM, then KILL).
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace perfrunner::adapters {

struct ProcessOptions {
    double timeout_seconds = 120.0;
    std::optional<std::string> working_directory;
    std::optional<std::string> stdin_data;  // written to the child's stdin, then closed (else /dev/null)
    std::map<std::string, std::string> environment;  // set (or replaced) in the child's inherited environment
    // Polled (at least every 100 ms, and at once when a signal interrupts the wait): true ends the child's
    // whole process group like a timeout does (TERM, 1 s grace, KILL) and the result is `interrupted`.
    std::function<bool()> cancelled;
};

struct ProcessResult {
    int exit_code = -1;   // -1 when killed by a signal
    int term_signal = 0;  // the signal that ended it, 0 when it exited
    bool timed_out = false;
    bool interrupted = false;  // `cancelled` said stop
    std::string out;
    std::string err;
    double elapsed_seconds = 0.0;

    bool ok() const noexcept { return !timed_out && !interrupted && term_signal == 0 && exit_code == 0; }
};

// Throws RuntimeFailure when the program cannot be started (e.g. not on PATH). A non-zero exit is NOT an
// exception: the caller decides (see describe_failure).
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// "docker compose -f x.yml up -d" for messages (arguments with spaces quoted).
std::string format_command(const std::vector<std::string>& argv);

// One line: "`<command>` failed (exit 1 | killed by signal 9 | timed out after 10 s | interrupted): <stderr
// excerpt>".
std::string describe_failure(const std::vector<std::string>& argv, const ProcessResult& result,
                             const ProcessOptions& options);

}  // namespace perfrunner::adapters
