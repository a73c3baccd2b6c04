#include "perfrunner/adapters/background_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "perfrunner/adapters/http_client.hpp"
#include "perfrunner/adapters/process.hpp"
#include "perfrunner/config/secrets.hpp"
#include "perfrunner/error.hpp"

namespace perfrunner::adapters {
namespace {

constexpr std::size_t kErrTail = 2048;  // bytes of stderr kept for the end description

void close_fd(int& fd) {
    if (fd >= 0) {
        ::close(fd);
    }
    fd = -1;
}

// Reads what is there without blocking; false once the pipe is closed (EOF or error).
bool read_some(int fd, std::string& sink) {
    std::array<char, 65536> buffer{};
    for (;;) {
        const ssize_t got = ::read(fd, buffer.data(), buffer.size());
        if (got > 0) {
            sink.append(buffer.data(), static_cast<std::size_t>(got));
            continue;
        }
        if (got < 0 && errno == EINTR) {
            continue;
        }
        return got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
}

// argv[0] as execvp would find it (resolved before fork: the child may only call async-signal-safe
// functions).
std::string resolve_on_path(const std::string& program) {
    if (program.find('/') != std::string::npos) {
        return program;
    }
    const char* path = std::getenv("PATH");
    std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
    std::size_t begin = 0;
    while (begin <= dirs.size()) {
        const std::size_t end = std::min(dirs.find(':', begin), dirs.size());
        const std::string dir = end > begin ? dirs.substr(begin, end - begin) : ".";
        std::string candidate = dir;
        candidate += '/';
        candidate += program;
        if (::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
        begin = end + 1;
    }
    return program;  // execve fails with ENOENT: reported as "cannot run"
}

}  // namespace

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv) {
    if (argv.empty()) {
        throw RuntimeFailure("background process: empty command");
    }
    std::array<int, 2> out{-1, -1};
    std::array<int, 2> err{-1, -1};
    if (::pipe2(out.data(), O_CLOEXEC) != 0 || ::pipe2(err.data(), O_CLOEXEC) != 0) {
        const std::string why = std::strerror(errno);
        for (int fd : {out[0], out[1], err[0], err[1]}) {
            close_fd(fd);
        }
        throw RuntimeFailure("pipe: " + why);
    }
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    std::vector<std::string> env_strings = config::child_environment({});
    std::vector<char*> envp;
    envp.reserve(env_strings.size() + 1);
    for (auto& e : env_strings) {
        envp.push_back(e.data());
    }
    envp.push_back(nullptr);
    const std::string path = resolve_on_path(argv[0]);
    // fork + exec instead of posix_spawn for one reason: PR_SET_PDEATHSIG, so a perfrunner that is SIGKILLed
    // (or exits at a fourth Ctrl-C) does not leave the stream running. The child calls only async-signal-safe
    // functions; an exec failure comes back through a close-on-exec pipe.
    std::array<int, 2> status{-1, -1};
    if (::pipe2(status.data(), O_CLOEXEC) != 0) {
        const std::string why = std::strerror(errno);
        for (int fd : {out[0], out[1], err[0], err[1]}) {
            close_fd(fd);
        }
        throw RuntimeFailure("pipe: " + why);
    }
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) {
            ::_exit(127);  // the parent is already gone
        }
        ::setpgid(0, 0);  // own process group: stop() ends the group
        ::dup2(out[1], STDOUT_FILENO);
        ::dup2(err[1], STDERR_FILENO);
        const int devnull = ::open("/dev/null", O_RDONLY);
        if (devnull >= 0) {
            ::dup2(devnull, STDIN_FILENO);
        }
        struct sigaction dfl {};
        dfl.sa_handler = SIG_DFL;
        for (int sig : {SIGPIPE, SIGINT, SIGTERM}) {
            ::sigaction(sig, &dfl, nullptr);
        }
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::execve(path.c_str(), args.data(), envp.data());
        const int e = errno;
        [[maybe_unused]] const ssize_t w = ::write(status[1], &e, sizeof e);
        ::_exit(127);
    }
    const int fork_errno = errno;
    close_fd(status[1]);
    close_fd(out[1]);
    close_fd(err[1]);
    int exec_errno = pid_ < 0 ? fork_errno : 0;
    if (pid_ > 0) {
        ::setpgid(pid_, pid_);  // also here: no window in which stop() could miss the group
        ssize_t got = 0;
        while ((got = ::read(status[0], &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR) {
        }
        if (got <= 0) {
            exec_errno = 0;  // closed by a successful exec
        } else {
            while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
            }
        }
    }
    close_fd(status[0]);
    if (exec_errno != 0) {
        close_fd(out[0]);
        close_fd(err[0]);
        pid_ = -1;
        throw RuntimeFailure(fmt::format("cannot run `{}`: {} (is {} installed and on PATH?)",
                                         format_command(argv), std::strerror(exec_errno), argv[0]));
    }
    out_fd_ = out[0];
    err_fd_ = err[0];
    ::fcntl(out_fd_, F_SETFL, O_NONBLOCK);
    ::fcntl(err_fd_, F_SETFL, O_NONBLOCK);
}

BackgroundProcess::~BackgroundProcess() {
    stop();
}

std::string BackgroundProcess::read_out() {
    std::string got;
    if (out_fd_ >= 0 && !read_some(out_fd_, got)) {
        close_fd(out_fd_);
    }
    drain_err();
    return got;
}

void BackgroundProcess::drain_err() {
    if (err_fd_ < 0) {
        return;
    }
    if (!read_some(err_fd_, err_tail_)) {
        close_fd(err_fd_);
    }
    if (err_tail_.size() > kErrTail) {
        err_tail_.erase(0, err_tail_.size() - kErrTail);
    }
}

bool BackgroundProcess::running() {
    if (ended_ || pid_ <= 0) {
        return false;
    }
    const pid_t done = ::waitpid(pid_, &status_, WNOHANG);
    if (done == pid_ || (done < 0 && errno == ECHILD)) {
        ended_ = true;
        ::kill(-pid_, SIGKILL);  // anything it left in its group
        drain_err();
        return false;
    }
    return true;
}

std::string BackgroundProcess::end_description() const {
    if (!ended_) {
        return {};
    }
    std::string how = WIFSIGNALED(status_) ? fmt::format("killed by signal {}", WTERMSIG(status_))
                                           : fmt::format("exit {}", WEXITSTATUS(status_));
    std::string tail = err_tail_;
    while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r' || tail.back() == ' ')) {
        tail.pop_back();
    }
    if (const auto nl = tail.rfind('\n'); nl != std::string::npos) {
        tail.erase(0, nl + 1);  // the last line says why
    }
    tail = body_excerpt(tail, {}, 300);  // printable, valid UTF-8, bounded
    return tail.empty() ? how : how + ": " + tail;
}

void BackgroundProcess::stop() {
    if (pid_ > 0 && !ended_) {
        ::kill(-pid_, SIGTERM);
        for (int i = 0; i < 100 && running(); ++i) {
            ::usleep(10000);
        }
        if (!ended_) {
            ::kill(-pid_, SIGKILL);
            while (::waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
            }
            ended_ = true;
        }
    }
    close_fd(out_fd_);
    close_fd(err_fd_);
}

}  // namespace perfrunner::adapters
