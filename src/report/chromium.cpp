#include "perfrunner/report/chromium.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "perfrunner/config/secrets.hpp"

namespace perfrunner::report {

namespace {

bool is_executable(const std::filesystem::path& p) {
    std::error_code ec;
    return std::filesystem::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

std::string file_url(const std::filesystem::path& path) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string url = "file://";
    for (unsigned char c : path.string()) {
        if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
            url += static_cast<char>(c);
        } else {
            url += '%';
            url += hex[c >> 4];
            url += hex[c & 15];
        }
    }
    return url;
}

// The last line of Chromium's log that is not one of its known harmless complaints (environment.md §9).
std::string last_meaningful_line(const std::filesystem::path& log) {
    std::ifstream in(log);
    std::string line, last;
    while (std::getline(in, line)) {
        if (line.empty() || line.find("dbus") != std::string::npos ||
            line.find("unexpected operator") != std::string::npos) {
            continue;
        }
        last = line;
    }
    if (last.size() > 300) {
        last = last.substr(0, 300) + "...";
    }
    return last;
}

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "perfrunner-chromium-XXXXXX").string();
        if (::mkdtemp(pattern.data()) != nullptr) {
            path = pattern;
        }
    }
    ~TempDir() {
        std::error_code ec;
        if (!path.empty()) {
            std::filesystem::remove_all(path, ec);
        }
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

// Runs one screenshot; returns an error line or "".
std::string run_one(const std::filesystem::path& chromium, const ScreenshotJob& job,
                    const ScreenshotOptions& options) {
    TempDir profile;
    if (profile.path.empty()) {
        return job.png.string() + ": cannot create a temporary Chromium profile directory";
    }
    const auto log = profile.path / "chromium.log";
    std::error_code ec;
    std::filesystem::remove(job.png, ec);  // a stale PNG must not pass for a new one

    const auto args = screenshot_argv(chromium, job, profile.path / "profile", options);
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (const auto& a : args) {
        argv.push_back(const_cast<char*>(a.c_str()));
    }
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    posix_spawnattr_setpgroup(&attr, 0);  // own process group: a hang is killed with all its children
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    pid_t pid = 0;
    // perfrunner's own variables (the API key among them) never reach Chromium.
    std::vector<std::string> env_strings = config::child_environment();
    std::vector<char*> envp;
    envp.reserve(env_strings.size() + 1);
    for (auto& e : env_strings) {
        envp.push_back(e.data());
    }
    envp.push_back(nullptr);
    const int rc = ::posix_spawn(&pid, chromium.c_str(), &actions, &attr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        return job.png.string() + ": cannot start " + chromium.string() + ": " + std::strerror(rc);
    }

    const auto deadline = std::chrono::steady_clock::now() + options.timeout;
    bool timed_out = false;
    bool cancelled = false;
    for (;;) {
        siginfo_t info{};
        // WNOWAIT leaves the leader a zombie, so its process-group id stays reserved until the group is
        // killed.
        if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
            info.si_pid == pid) {
            break;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            timed_out = true;
            ::kill(-pid, SIGKILL);
            break;
        }
        if (options.cancelled && options.cancelled()) {
            cancelled = true;
            ::kill(-pid, SIGKILL);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(-pid, SIGKILL);  // helpers left behind by the browser
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (cancelled) {
        return job.png.string() + ": Chromium was stopped (interrupted)";
    }
    if (timed_out) {
        return job.png.string() + ": Chromium did not finish within " +
               std::to_string(options.timeout.count() / 1000) + " s and was killed";
    }
    const bool exited_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    const bool written = std::filesystem::file_size(job.png, ec) > 0 && !ec;
    if (exited_ok && written) {
        return {};
    }
    std::ostringstream msg;
    msg << job.png.string() << ": Chromium ";
    if (WIFEXITED(status)) {
        msg << "exited with code " << WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        msg << "was killed by signal " << WTERMSIG(status);
    }
    if (!written) {
        msg << (exited_ok ? "wrote no PNG" : ", no PNG written");
    }
    if (const auto last = last_meaningful_line(log); !last.empty()) {
        msg << " (" << last << ")";
    }
    return msg.str();
}

}  // namespace

std::optional<std::filesystem::path> find_chromium() {
    if (const char* forced = std::getenv("PERFRUNNER_CHROMIUM"); forced && *forced) {
        if (is_executable(forced)) {
            return std::filesystem::path(forced);
        }
    }
    const char* path_env = std::getenv("PATH");
    const std::string path = path_env ? path_env : "";
    for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
        std::size_t start = 0;
        while (start <= path.size()) {
            const auto end = std::min(path.find(':', start), path.size());
            const std::string dir = path.substr(start, end - start);
            if (!dir.empty()) {
                const auto candidate = std::filesystem::path(dir) / name;
                if (is_executable(candidate)) {
                    return candidate;
                }
            }
            start = end + 1;
        }
    }
    return std::nullopt;
}

std::vector<std::string> screenshot_argv(const std::filesystem::path& chromium, const ScreenshotJob& job,
                                         const std::filesystem::path& user_data_dir,
                                         const ScreenshotOptions& options) {
    const auto html = std::filesystem::absolute(job.html);
    const auto png = std::filesystem::absolute(job.png);
    return {chromium.string(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--hide-scrollbars",
            "--user-data-dir=" + user_data_dir.string(),
            "--virtual-time-budget=" + std::to_string(options.virtual_time_budget_ms),
            "--window-size=" + std::to_string(job.width) + "," + std::to_string(job.height),
            "--screenshot=" + png.string(),
            file_url(html)};
}

std::vector<std::string> take_screenshots(const std::filesystem::path& chromium,
                                          const std::vector<ScreenshotJob>& jobs,
                                          const ScreenshotOptions& options) {
    std::vector<std::string> errors;
    std::mutex errors_mutex;
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t i = next++; i < jobs.size(); i = next++) {
            if (options.cancelled && options.cancelled()) {
                std::lock_guard lock(errors_mutex);
                errors.push_back(jobs[i].png.string() + ": not taken (interrupted)");
                continue;
            }
            std::string error;
            try {
                error = run_one(chromium, jobs[i], options);
            } catch (const std::exception& e) {
                error = jobs[i].png.string() + ": " + e.what();
            }
            if (!error.empty()) {
                std::lock_guard lock(errors_mutex);
                errors.push_back(std::move(error));
            }
        }
    };
    const unsigned n = std::max(1u, std::min<unsigned>(options.parallel, static_cast<unsigned>(jobs.size())));
    std::vector<std::thread> threads;
    for (unsigned t = 1; t < n; ++t) {
        threads.emplace_back(worker);
    }
    worker();
    for (auto& t : threads) {
        t.join();
    }
    return errors;
}

}  // namespace perfrunner::report
