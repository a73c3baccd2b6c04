#pragma once
// Errors as types. Every error that reaches the command line maps to one documented exit code and is printed
// as one line: "perfrunner: <what>: <detail> (<what to do>)".
#include <stdexcept>
#include <string>

namespace perfrunner {

// Exit codes, documented in README.md and `perfrunner --help`.
enum class ExitCode : int {
    ok = 0,             // verdict PASS or WARNING
    runtime_error = 1,  // a service, the docker engine or the file system failed
    usage_error = 2,    // bad command line, config value or input file
    verdict_fail = 3,   // the verdict is FAIL
    interrupted = 130,  // SIGINT / SIGTERM
};

class Error : public std::runtime_error {
  public:
    Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
    ExitCode code() const noexcept { return code_; }

  private:
    ExitCode code_;
};

// A config key holds a wrong value. The message names the key path, the value and what is expected.
class ConfigError : public Error {
  public:
    explicit ConfigError(const std::string& message) : Error(ExitCode::usage_error, message) {}
};

// An input file (results.json, config file) is unreadable, malformed or implausible.
class InputError : public Error {
  public:
    explicit InputError(const std::string& message) : Error(ExitCode::usage_error, message) {}
};

// The command line itself is wrong.
class UsageError : public Error {
  public:
    explicit UsageError(const std::string& message) : Error(ExitCode::usage_error, message) {}
};

// Something outside perfrunner failed: HTTP, docker, file system.
class RuntimeFailure : public Error {
  public:
    explicit RuntimeFailure(const std::string& message) : Error(ExitCode::runtime_error, message) {}
};

}  // namespace perfrunner
