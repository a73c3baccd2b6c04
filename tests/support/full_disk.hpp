#pragma once
// A full disk for tests: a forked child whose files may not grow past a limit (RLIMIT_FSIZE, with SIGXFSZ
// ignored, so a write beyond it fails with EFBIG as one on a full disk fails with ENOSPC). A too-small tmpfs
// is not available unprivileged everywhere.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <functional>

namespace perfrunner::test_support {

// `body`'s return value as the child's exit code, or -1 when the child did not exit (a crash).
inline int exit_code_on_a_full_disk(rlim_t file_size_limit, const std::function<int()>& body) {
    const pid_t child = ::fork();
    if (child < 0) {
        return -1;
    }
    if (child == 0) {
        ::signal(SIGXFSZ, SIG_IGN);
        const rlimit limit{file_size_limit, file_size_limit};
        ::setrlimit(RLIMIT_FSIZE, &limit);
        ::_exit(body());
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace perfrunner::test_support
