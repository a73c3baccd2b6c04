#pragma once
// An in-process HTTP server on 127.0.0.1 (cpp-httplib 0.11.4) for unit tests of one HTTP adapter.
#include <httplib.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

namespace perfrunner::testing {

class FakeHttpServer {
public:
    FakeHttpServer() = default;
    ~FakeHttpServer() { stop(); }
    FakeHttpServer(const FakeHttpServer&) = delete;
    FakeHttpServer& operator=(const FakeHttpServer&) = delete;

    httplib::Server& server() { return server_; }

    // Binds an ephemeral port on 127.0.0.1 and serves in a background thread; returns once it accepts.
    void start() {
        port_ = server_.bind_to_any_port("127.0.0.1");
        if (port_ <= 0) throw std::runtime_error("fake server: cannot bind 127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        for (int i = 0; i < 500 && !server_.is_running(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        if (!server_.is_running()) throw std::runtime_error("fake server: did not start");
    }
    void stop() {
        if (thread_.joinable()) {
            server_.stop();
            thread_.join();
        }
    }
    int port() const { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

private:
    httplib::Server server_;
    std::thread thread_;
    int port_ = 0;
};

// A port on 127.0.0.1 that nothing listens on (bound, then closed).
inline int unused_local_port() {
    httplib::Server probe;
    const int port = probe.bind_to_any_port("127.0.0.1");
    probe.stop();
    return port;
}

}  // namespace perfrunner::testing
