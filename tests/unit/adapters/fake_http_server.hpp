#pragma once
// An in-process HTTP server on 127.0.0.1 (cpp-httplib 0.11.4) for unit tests of one HTTP adapter.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

namespace perfrunner::testing {

class FakeHttpServer {
  public:
    // Short keep-alive so stop() does not wait 5 s for an idle client connection.
    FakeHttpServer() { server_.set_keep_alive_timeout(1); }
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
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket() failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        ::close(fd);
        throw std::runtime_error("bind() failed");
    }
    ::close(fd);  // never listened: connecting is refused
    return ntohs(addr.sin_port);
}

}  // namespace perfrunner::testing
