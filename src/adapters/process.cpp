#include "perfrunner/adapters/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>

#include <fmt/format.h>

#include "perfrunner/adapters/http_client.hpp"
#include "perfrunner/config/secrets.hpp"
#include "perfrunner/error.hpp"

namespace perfrunner::adapters {
namespace {

constexpr std::size_t kMaxCapture = 64u << 20;  // per stream; beyond that output is dropped
constexpr long long kPollMs = 100;              // longest wait between two looks at `cancelled`

struct Pipe {
    int fd[2] = {-1, -1};
    Pipe() {
        if (::pipe2(fd, O_CLOEXEC) != 0) {
            throw RuntimeFailure(fmt::format("pipe: {}", std::strerror(errno)));
        }
    }
    ~Pipe() {
        close_read();
        close_write();
    }
    void close_read() {
        if (fd[0] >= 0) {
            ::close(fd[0]);
        }
        fd[0] = -1;
    }
    void close_write() {
        if (fd[1] >= 0) {
            ::close(fd[1]);
        }
        fd[1] = -1;
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
};

struct SpawnActions {
    posix_spawn_file_actions_t actions{};
    posix_spawnattr_t attr{};
    SpawnActions() {
        posix_spawn_file_actions_init(&actions);
        posix_spawnattr_init(&attr);
    }
    ~SpawnActions() {
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
    }
    SpawnActions(const SpawnActions&) = delete;
    SpawnActions& operator=(const SpawnActions&) = delete;
};

}  // namespace

std::string format_command(const std::vector<std::string>& argv) {
    std::string out;
    for (const auto& a : argv) {
        if (!out.empty()) {
            out += ' ';
        }
        if (a.empty() || a.find_first_of(" \t\"'") != std::string::npos) {
            out += '\'' + a + '\'';
        } else {
            out += a;
        }
    }
    return out;
}

std::string describe_failure(const std::vector<std::string>& argv, const ProcessResult& r,
                             const ProcessOptions& options) {
    std::string how;
    if (r.interrupted) {
        how = "interrupted and killed";
    } else if (r.timed_out) {
        how = fmt::format("timed out after {:g} s and was killed", options.timeout_seconds);
    } else if (r.term_signal != 0) {
        how = fmt::format("killed by signal {}", r.term_signal);
    } else {
        how = fmt::format("exit {}", r.exit_code);
    }
    const std::string detail = body_excerpt(r.err.empty() ? r.out : r.err, {}, 300);
    return fmt::format("`{}` failed ({}){}{}", format_command(argv), how, detail.empty() ? "" : ": ", detail);
}

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
    if (argv.empty()) {
        throw RuntimeFailure("run_process: empty command");
    }
    Pipe out_pipe, err_pipe, in_pipe;
    SpawnActions spawn;
    posix_spawn_file_actions_adddup2(&spawn.actions, out_pipe.fd[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&spawn.actions, err_pipe.fd[1], STDERR_FILENO);
    if (options.stdin_data) {
        posix_spawn_file_actions_adddup2(&spawn.actions, in_pipe.fd[0], STDIN_FILENO);
    } else {
        posix_spawn_file_actions_addopen(&spawn.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    }
    if (options.working_directory) {
        posix_spawn_file_actions_addchdir_np(&spawn.actions, options.working_directory->c_str());
    }
    // Own process group, so a timeout kills the child's children too; default signal dispositions.
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigset_t no_mask;
    sigemptyset(&no_mask);
    posix_spawnattr_setsigdefault(&spawn.attr, &defaults);
    posix_spawnattr_setsigmask(&spawn.attr, &no_mask);
    posix_spawnattr_setpgroup(&spawn.attr, 0);
    posix_spawnattr_setflags(&spawn.attr, static_cast<short>(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF |
                                                             POSIX_SPAWN_SETSIGMASK));

    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);

    // perfrunner's own variables (the API key among them) never reach docker or compose.
    std::vector<std::string> env_strings = config::child_environment(options.environment);
    std::vector<char*> envp;
    envp.reserve(env_strings.size() + 1);
    for (auto& e : env_strings) {
        envp.push_back(e.data());
    }
    envp.push_back(nullptr);
    char** child_env = envp.data();

    const auto t0 = std::chrono::steady_clock::now();
    pid_t pid = 0;
    const int rc = ::posix_spawnp(&pid, args[0], &spawn.actions, &spawn.attr, args.data(), child_env);
    if (rc != 0) {
        throw RuntimeFailure(fmt::format("cannot run `{}`: {} (is {} installed and on PATH?)",
                                         format_command(argv), std::strerror(rc), argv[0]));
    }
    out_pipe.close_write();
    err_pipe.close_write();
    in_pipe.close_read();

    ProcessResult result;
    std::size_t stdin_written = 0;
    if (options.stdin_data) {
        ::fcntl(in_pipe.fd[1], F_SETFL, O_NONBLOCK);
    } else {
        in_pipe.close_write();
    }
    const auto deadline = t0 + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                   std::chrono::duration<double>(options.timeout_seconds));
    std::array<char, 65536> buffer{};
    bool out_open = true, err_open = true;
    const auto cancelled = [&options] { return options.cancelled && options.cancelled(); };
    while (out_open || err_open) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) {
            result.timed_out = true;
            break;
        }
        if (cancelled()) {
            result.interrupted = true;
            break;
        }
        std::array<pollfd, 3> fds{};
        nfds_t n = 0;
        int out_i = -1, err_i = -1, in_i = -1;
        if (out_open) {
            fds[n] = {out_pipe.fd[0], POLLIN, 0};
            out_i = static_cast<int>(n++);
        }
        if (err_open) {
            fds[n] = {err_pipe.fd[0], POLLIN, 0};
            err_i = static_cast<int>(n++);
        }
        if (in_pipe.fd[1] >= 0) {
            fds[n] = {in_pipe.fd[1], POLLOUT, 0};
            in_i = static_cast<int>(n++);
        }
        const auto left_ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
        const int ready = ::poll(fds.data(), n, static_cast<int>(std::min<long long>(left_ms + 1, kPollMs)));
        if (ready < 0 && errno != EINTR) {
            break;
        }
        auto drain = [&](int index, int fd, std::string& sink, bool& open) {
            if (index < 0 ||
                (fds[static_cast<std::size_t>(index)].revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
                return;
            }
            const ssize_t got = ::read(fd, buffer.data(), buffer.size());
            if (got > 0) {
                if (sink.size() < kMaxCapture) {
                    sink.append(buffer.data(), static_cast<std::size_t>(got));
                }
            } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
                open = false;
            }
        };
        drain(out_i, out_pipe.fd[0], result.out, out_open);
        drain(err_i, err_pipe.fd[0], result.err, err_open);
        if (in_i >= 0 && (fds[static_cast<std::size_t>(in_i)].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
            const auto& data = *options.stdin_data;
            const ssize_t put =
                ::write(in_pipe.fd[1], data.data() + stdin_written, data.size() - stdin_written);
            if (put > 0) {
                stdin_written += static_cast<std::size_t>(put);
            }
            if (put < 0 && errno != EAGAIN && errno != EINTR) {
                stdin_written = data.size();
            }
            if (stdin_written >= data.size()) {
                in_pipe.close_write();
            }
        }
    }
    in_pipe.close_write();
    int status = 0;
    // The pipes closed, but the child may still run (it closed them itself): the deadline and `cancelled`
    // still hold while it is waited for.
    while (!result.timed_out && !result.interrupted) {
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid || (done < 0 && errno != EINTR)) {
            break;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            result.timed_out = true;
        } else if (cancelled()) {
            result.interrupted = true;
        } else {
            ::usleep(10000);
        }
    }
    if (result.timed_out || result.interrupted) {
        ::kill(-pid, SIGTERM);
        // Grace period of 1 s, then KILL the whole group.
        for (int i = 0; i < 100; ++i) {
            if (::waitpid(pid, &status, WNOHANG) == pid) {
                break;
            }
            ::usleep(10000);
            if (i == 99) {
                ::kill(-pid, SIGKILL);
                while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
                }
            }
        }
        ::kill(-pid, SIGKILL);  // any grandchildren still in the group
    }
    if (WIFEXITED(status)) {
        result.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        result.term_signal = WTERMSIG(status);
        result.exit_code = -1;
    }
    result.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return result;
}

}  // namespace perfrunner::adapters
