#pragma once
// Helpers of the `perfrunner run` end-to-end tests: start the real binary against the real stack
// (tests/stack), wait for it with a timeout, signal it, read its results.json. Subprocesses get argv vectors
// (fork + execvp); output goes to a log file in the run directory, so a long run cannot block on a full pipe.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

extern char** environ;

namespace perfrunner::e2e {

namespace fs = std::filesystem;

inline std::string perfrunner_binary() {
    if (const char* env = std::getenv("PERFRUNNER_BINARY")) return env;
#ifdef PERFRUNNER_BINARY
    return PERFRUNNER_BINARY;
#else
    return "perfrunner";
#endif
}

inline fs::path source_dir() {
    if (const char* env = std::getenv("PERFRUNNER_SOURCE_DIR")) return env;
#ifdef PERFRUNNER_SOURCE_DIR
    return PERFRUNNER_SOURCE_DIR;
#else
    return fs::current_path();
#endif
}

class Process {
  public:
    // Starts argv with `env` added to this process's environment; stdout+stderr go to `log`.
    Process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
            const fs::path& log, const fs::path& cwd) {
        std::vector<std::string> env_strings;
        for (char** e = environ; *e != nullptr; ++e) {
            const std::string entry(*e);
            const std::string key = entry.substr(0, entry.find('='));
            if (env.count(key) == 0) env_strings.push_back(entry);
        }
        for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
        std::vector<char*> cargv, cenv;
        for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
        cargv.push_back(nullptr);
        for (const auto& e : env_strings) cenv.push_back(const_cast<char*>(e.c_str()));
        cenv.push_back(nullptr);
        pid_ = ::fork();
        if (pid_ == 0) {
            const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd >= 0) {
                ::dup2(fd, 1);
                ::dup2(fd, 2);
            }
            if (::chdir(cwd.c_str()) != 0) ::_exit(127);
            environ = cenv.data();
            ::execvp(cargv[0], cargv.data());
            ::_exit(127);
        }
    }
    ~Process() {
        if (pid_ > 0 && !exit_code_) {
            ::kill(pid_, SIGKILL);
            int status = 0;
            ::waitpid(pid_, &status, 0);
        }
    }
    pid_t pid() const { return pid_; }
    void signal(int sig) { ::kill(pid_, sig); }

    // Exit code, or nullopt when it did not end within the timeout (then it is killed).
    std::optional<int> wait(double timeout_seconds) {
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_seconds);
        for (;;) {
            int status = 0;
            const pid_t r = ::waitpid(pid_, &status, WNOHANG);
            if (r == pid_) {
                exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                return exit_code_;
            }
            if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    }

  private:
    pid_t pid_ = -1;
    std::optional<int> exit_code_;
};

// Runs argv to completion (short commands: docker info, image checks). Returns the exit code.
inline int run_quiet(const std::vector<std::string>& argv, double timeout_seconds = 30.0) {
    const fs::path log =
        fs::temp_directory_path() / ("perfrunner-e2e-" + std::to_string(::getpid()) + ".log");
    Process p(argv, {}, log, fs::current_path());
    const auto code = p.wait(timeout_seconds);
    std::error_code ec;
    fs::remove(log, ec);
    return code.value_or(-1);
}

// Brings the stack back as the ctest fixture starts it (tests/stack/up.sh), for a test that took it down.
inline void restore_stack() {
    run_quiet({"bash", (source_dir() / "tests/stack/up.sh").string()}, 240.0);
}

// The real stack can run here: docker answers and the stand-in images exist.
inline bool stack_usable(std::string& why) {
    if (run_quiet({"docker", "info"}) != 0) {
        why = "docker engine not reachable (tests/stack/dockerd.sh start)";
        return false;
    }
    for (const char* image : {"perfrunner/standin-simulation:local", "perfrunner/standin-kafka:local",
                              "perfrunner/cadvisor:local"}) {
        if (run_quiet({"docker", "image", "inspect", image}) != 0) {
            why = std::string("image ") + image + " missing (tests/stack/up.sh builds it)";
            return false;
        }
    }
    return true;
}

#define PERFRUNNER_REQUIRE_STACK_OR_SKIP()                                   \
    do {                                                                     \
        std::string why_;                                                    \
        if (!::perfrunner::e2e::stack_usable(why_)) {                        \
            const char* req_ = std::getenv("PERFRUNNER_REQUIRE_STACK");      \
            if (req_ != nullptr && std::string(req_) == "1") FAIL() << why_; \
            GTEST_SKIP() << why_;                                            \
        }                                                                    \
    } while (0)

inline std::optional<nlohmann::json> read_json(const fs::path& path) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    try {
        return nlohmann::json::parse(in);
    } catch (const std::exception&) {
        return std::nullopt;  // never expected: results.json is written atomically
    }
}

inline std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline const nlohmann::json* scenario(const nlohmann::json& run, const std::string& name) {
    for (const auto& s : run.at("scenarios")) {
        if (s.value("scenario_name", "") == name) return &s;
    }
    return nullptr;
}

// A fresh run directory under the build tree's temp area.
inline fs::path fresh_dir(const std::string& name) {
    const fs::path dir =
        fs::temp_directory_path() / ("perfrunner-e2e-" + name + "-" + std::to_string(::getpid()));
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::create_directories(dir);
    return dir;
}

// perfrunner run with the demo config; the stack's default API key unless the caller overrides it.
inline std::vector<std::string> run_argv(const fs::path& out, std::vector<std::string> extra,
                                         const std::vector<std::string>& sets = {}) {
    std::vector<std::string> argv{perfrunner_binary(), "--config",
                                  (source_dir() / "config/demo.json").string(), "--set",
                                  "api.api_key=dev-api-key-change-in-production"};
    for (const auto& s : sets) {
        argv.push_back("--set");
        argv.push_back(s);
    }
    for (const char* a : {"run", "--png", "never", "--output"}) argv.emplace_back(a);
    argv.push_back(out.string());
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
}

// Sample records in a run's journal so far (journal.jsonl, one record per line).
inline std::size_t journal_samples(const fs::path& run_dir) {
    std::ifstream in(run_dir / "journal.jsonl");
    std::string line;
    std::size_t n = 0;
    while (std::getline(in, line)) {
        if (line.find("\"journal\": \"sample\"") != std::string::npos) ++n;
    }
    return n;
}

// Waits until the journal holds `samples` sample records; returns how many it holds then.
inline std::size_t wait_for_journal_samples(const fs::path& run_dir, std::size_t samples,
                                            double timeout_seconds) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_seconds);
    std::size_t seen = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        seen = journal_samples(run_dir);
        if (seen >= samples) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return seen;
}

// Every sample's timestamps increase and no gap exceeds max_gap seconds (nothing lost between checkpoints).
inline void expect_contiguous(const nlohmann::json& samples, double max_gap) {
    for (std::size_t i = 1; i < samples.size(); ++i) {
        const double dt =
            samples[i].at("timestamp").get<double>() - samples[i - 1].at("timestamp").get<double>();
        EXPECT_GT(dt, 0.0) << "sample " << i;
        EXPECT_LE(dt, max_gap) << "sample " << i;
    }
}

}  // namespace perfrunner::e2e
