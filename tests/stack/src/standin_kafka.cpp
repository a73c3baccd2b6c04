// perfrunner-standin-kafka — a tiny "kafka" worker for the test stack. It polls the simulation stand-in's
// /simulation/status on 127.0.0.1 once per second and burns real CPU in proportion to active_trips_count
// (the platform's Kafka load follows trip events). Serves GET /health on 127.0.0.1:KAFKA_PORT.
//
//   SIM_URL               default http://127.0.0.1:18000 (must be a 127.0.0.1 URL)
//   API_KEY               key for the status endpoint (default dev-api-key-change-in-production)
//   KAFKA_PORT            health port, default 18092
//   KAFKA_CPU_PER_TRIP    cores per active trip, default 0.004
//   KAFKA_BASE_CPU        cores burnt while the simulation is reachable, default 0.005
//   KAFKA_MAX_CORES       cap, default 0.5
//   KAFKA_POLL_MS         status poll interval, default 1000

#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "standin_common.hpp"

using nlohmann::json;

int main() {
    using namespace standin;
    const std::string sim_url = env_str("SIM_URL", "http://127.0.0.1:18000");
    const std::string api_key = env_str("API_KEY", "dev-api-key-change-in-production");
    const int port = static_cast<int>(env_long("KAFKA_PORT", 18092, 1, 65535));
    const double per_trip = env_double("KAFKA_CPU_PER_TRIP", 0.004, 0, 10);
    const double base = env_double("KAFKA_BASE_CPU", 0.005, 0, 10);
    const double max_cores = env_double("KAFKA_MAX_CORES", 0.5, 0.05, 64);
    const long poll_ms = env_long("KAFKA_POLL_MS", 1000, 50, 60000);
    if (sim_url.rfind("http://127.0.0.1:", 0) != 0)
        die("SIM_URL must start with http://127.0.0.1: (network rule)");
    const int sim_port = std::stoi(sim_url.substr(std::string("http://127.0.0.1:").size()));

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    signal(SIGPIPE, SIG_IGN);

    Burner burner(max_cores);
    std::atomic<long> trips{-1};
    std::atomic<double> demand{0};
    std::atomic<bool> quit{false};
    std::atomic<long> polls_ok{0}, polls_failed{0};

    std::thread poller([&] {
        httplib::Client cli("127.0.0.1", sim_port);
        cli.set_connection_timeout(1, 0);
        cli.set_read_timeout(2, 0);
        httplib::Headers h{{"X-API-Key", api_key}};
        while (!quit.load()) {
            auto t0 = std::chrono::steady_clock::now();
            long n = -1;
            if (auto r = cli.Get("/simulation/status", h); r && r->status == 200) {
                try {
                    n = json::parse(r->body).value("active_trips_count", 0L);
                } catch (...) {
                    n = -1;
                }
            }
            (n >= 0 ? polls_ok : polls_failed).fetch_add(1);
            trips.store(n);
            double d = n >= 0 ? base + per_trip * static_cast<double>(n) : 0.0;
            demand.store(d);
            burner.set_demand(d);
            std::this_thread::sleep_until(t0 + std::chrono::milliseconds(poll_ms));
        }
    });

    httplib::Server srv;
    srv.Get("/health", [&](const httplib::Request&, httplib::Response& res) {
        json j{{"status", "ok"},
               {"active_trips", trips.load()},
               {"cpu_demand_cores", demand.load()},
               {"polls_ok", polls_ok.load()},
               {"polls_failed", polls_failed.load()}};
        res.set_content(j.dump(), "application/json");
    });
    if (!srv.bind_to_port("127.0.0.1", port)) {
        std::fprintf(stderr, "fatal: cannot bind 127.0.0.1:%d\n", port);
        return 1;
    }
    std::fprintf(stderr, "[kafka] health on 127.0.0.1:%d, following %s (%.4f cores/trip, max %.2f)\n", port,
                 sim_url.c_str(), per_trip, max_cores);
    std::thread sig([&srv, set] {
        int s = 0;
        sigwait(&set, &s);
        srv.stop();
    });
    sig.detach();
    srv.listen_after_bind();
    quit.store(true);
    poller.join();
    return 0;
}
