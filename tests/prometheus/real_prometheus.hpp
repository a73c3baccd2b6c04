#pragma once
// The real Prometheus binary (Debian's 2.42) run by a test on 127.0.0.1 with a configuration the test writes,
// and scrape targets served from the test process (cpp-httplib). Ended by PID; its folder is removed.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "perfrunner/adapters/prometheus_client.hpp"
#include "unit/adapters/fake_http_server.hpp"

namespace perfrunner::testing {

inline std::string prometheus_binary() {
    const char* v = std::getenv("PERFRUNNER_PROMETHEUS_BIN");
    return v != nullptr && *v != '\0' ? v : "/usr/bin/prometheus";
}

inline double unix_now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

inline std::string read_text(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error("cannot open " + path);
    }
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Skips the test (or fails it with PERFRUNNER_REQUIRE_STACK=1) when the binary is not installed.
#define REQUIRE_PROMETHEUS_OR_SKIP()                                                             \
    do {                                                                                         \
        if (access(perfrunner::testing::prometheus_binary().c_str(), X_OK) != 0) {               \
            const char* req = std::getenv("PERFRUNNER_REQUIRE_STACK");                           \
            if (req != nullptr && std::string(req) == "1") {                                     \
                FAIL() << perfrunner::testing::prometheus_binary()                               \
                       << " not installed (PERFRUNNER_REQUIRE_STACK=1)";                         \
            }                                                                                    \
            GTEST_SKIP() << perfrunner::testing::prometheus_binary()                             \
                         << " not installed: tests/stack/setup.sh installs Debian's prometheus"; \
        }                                                                                        \
    } while (0)

class RealPrometheus {
  public:
    // `scrape_configs` is the YAML list under `scrape_configs:` (each line indented by two spaces).
    RealPrometheus(const std::string& scrape_interval, const std::string& scrape_configs) {
        char tmpl[] = "/tmp/perfrunner-prometheus-XXXXXX";
        if (mkdtemp(tmpl) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        dir_ = tmpl;
        port_ = unused_local_port();
        std::ofstream(dir_ + "/prometheus.yml")
            << "global:\n  scrape_interval: " << scrape_interval << "\n  scrape_timeout: " << scrape_interval
            << "\n  evaluation_interval: 15s\nscrape_configs:\n"
            << scrape_configs;
        const std::vector<std::string> argv = {
            prometheus_binary(), "--config.file=" + dir_ + "/prometheus.yml",
            "--storage.tsdb.path=" + dir_ + "/data",
            "--web.listen-address=127.0.0.1:" + std::to_string(port_), "--log.level=warn"};
        pid_ = fork();
        if (pid_ == 0) {
            const std::string log = dir_ + "/prometheus.log";
            if (freopen(log.c_str(), "w", stdout) == nullptr ||
                freopen(log.c_str(), "a", stderr) == nullptr) {
                _exit(126);
            }
            std::vector<char*> args;
            for (const auto& a : argv) {
                args.push_back(const_cast<char*>(a.c_str()));
            }
            args.push_back(nullptr);
            execv(args[0], args.data());
            _exit(127);
        }
        adapters::PrometheusClient client(
            {.base_url = url(), .timeout_seconds = 2, .connect_timeout_seconds = 1});
        for (int i = 0; i < 200 && !ready_; ++i) {  // bounded: 20 s
            try {
                client.ready();
                ready_ = true;
            } catch (const std::exception&) {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        }
    }
    ~RealPrometheus() {
        if (pid_ > 0) {
            kill(pid_, SIGTERM);
            int status = 0;
            for (int i = 0; i < 100 && waitpid(pid_, &status, WNOHANG) == 0; ++i) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
            if (waitpid(pid_, &status, WNOHANG) == 0) {
                kill(pid_, SIGKILL);
                waitpid(pid_, &status, 0);
            }
        }
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    RealPrometheus(const RealPrometheus&) = delete;
    RealPrometheus& operator=(const RealPrometheus&) = delete;

    bool ready() const { return ready_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    std::string log() const { return read_text(dir_ + "/prometheus.log"); }

    // Waits (bounded) until every active target is up and has been scraped `scrapes` times after now.
    bool wait_targets_up(double seconds) const {
        adapters::PrometheusClient client(
            {.base_url = url(), .timeout_seconds = 2, .connect_timeout_seconds = 1});
        const double until = unix_now() + seconds;
        while (unix_now() < until) {
            try {
                const auto targets = client.targets();
                bool all_up = !targets.empty();
                for (const auto& t : targets) {
                    all_up = all_up && t.health == "up";
                }
                if (all_up) {
                    return true;
                }
            } catch (const std::exception&) {
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
        return false;
    }

  private:
    std::string dir_;
    int port_ = 0;
    pid_t pid_ = -1;
    bool ready_ = false;
};

// A scrape target: `page(now)` is called for every scrape under a lock the test shares through `lock()`.
class ExporterServer {
  public:
    ExporterServer(const std::string& path, std::function<std::string(double now)> page)
        : page_(std::move(page)) {
        server_.server().Get(path, [this](const httplib::Request&, httplib::Response& res) {
            std::lock_guard<std::mutex> guard(mutex_);
            ++scrapes_;
            res.set_content(page_(unix_now()), "text/plain; version=0.0.4; charset=utf-8");
        });
        server_.start();
    }
    std::string address() const { return "127.0.0.1:" + std::to_string(server_.port()); }
    std::mutex& lock() { return mutex_; }
    int scrapes() {
        std::lock_guard<std::mutex> guard(mutex_);
        return scrapes_;
    }

  private:
    std::function<std::string(double)> page_;
    std::mutex mutex_;
    int scrapes_ = 0;
    FakeHttpServer server_;
};

}  // namespace perfrunner::testing
