#pragma once
// A long-lived child process (an argv vector, never a shell) whose output is read without ever blocking: for
// streams such as `docker events` that run for the whole run and are read once per tick. Like run_process
// (process.hpp) it runs in its own process group without perfrunner's own environment variables; unlike it,
// nothing waits for it to end, and it is killed when perfrunner dies (PR_SET_PDEATHSIG), so a SIGKILLed run
// leaves no stream behind.
#include <sys/types.h>
#include <string>
#include <vector>

namespace perfrunner::adapters {

class BackgroundProcess {
  public:
    // Starts the child; throws RuntimeFailure when it cannot be started (e.g. not on PATH).
    explicit BackgroundProcess(const std::vector<std::string>& argv);
    ~BackgroundProcess();  // stop()
    BackgroundProcess(const BackgroundProcess&) = delete;
    BackgroundProcess& operator=(const BackgroundProcess&) = delete;
    BackgroundProcess(BackgroundProcess&&) = delete;
    BackgroundProcess& operator=(BackgroundProcess&&) = delete;

    // What the child wrote to stdout since the previous call; never blocks.
    std::string read_out();
    // True until the child has ended (it is reaped here, so it never lingers as a zombie).
    bool running();
    // How it ended ("exit 1", "killed by signal 9"), with the end of what it wrote to stderr; "" while it
    // runs.
    std::string end_description() const;
    // TERM to its process group, up to 1 s grace, then KILL; reaps it. Idempotent.
    void stop();
    pid_t pid() const noexcept { return pid_; }

  private:
    void drain_err();

    pid_t pid_ = -1;
    int out_fd_ = -1;
    int err_fd_ = -1;
    bool ended_ = false;
    int status_ = 0;
    std::string err_tail_;  // the last bytes of stderr (bounded)
};

}  // namespace perfrunner::adapters
