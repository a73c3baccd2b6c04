#pragma once
// The real `perfrunner` binary (PERFRUNNER_BINARY) as a user runs it: argv without a shell, in a folder, with
// stdout and stderr captured through files there, and none of perfrunner's own environment variables
// inherited (the tests say what they set).
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "support/files.hpp"

namespace perfrunner::test_support {

struct Outcome {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Starts the binary with args in cwd, its stdout and stderr written to the given files; env entries are
// "NAME=value". Returns the child's pid.
inline pid_t spawn_perfrunner(const std::filesystem::path& cwd, std::vector<std::string> args,
                              const std::filesystem::path& out, const std::filesystem::path& err,
                              std::vector<std::string> env = {}) {
    const pid_t pid = ::fork();
    if (pid != 0) {
        return pid;
    }
    const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(o, 1);
    ::dup2(e, 2);
    if (::chdir(cwd.c_str()) != 0) {
        ::_exit(127);
    }
    for (const char* name : {"PERFRUNNER_API_KEY", "PERFRUNNER_API_URL", "PERFRUNNER_CADVISOR_URL",
                             "PERFRUNNER_PROMETHEUS_URL", "PERFRUNNER_METRICS_SOURCE"}) {
        ::unsetenv(name);
    }
    for (auto& kv : env) {
        ::putenv(kv.data());
    }
    std::string binary = PERFRUNNER_BINARY;
    std::vector<char*> argv{binary.data()};
    for (auto& a : args) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
}

// A wait status as a shell shows it: the exit code, or 128 + the signal.
inline int exit_code_of(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Runs the binary to its end.
inline Outcome run_perfrunner(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                              std::vector<std::string> env = {}) {
    const std::filesystem::path out = cwd / ".stdout";
    const std::filesystem::path err = cwd / ".stderr";
    const pid_t pid = spawn_perfrunner(cwd, args, out, err, std::move(env));
    int status = 0;
    ::waitpid(pid, &status, 0);
    Outcome r{exit_code_of(status), read_file(out), read_file(err)};
    std::filesystem::remove(out);
    std::filesystem::remove(err);
    return r;
}

}  // namespace perfrunner::test_support
