// perfrunner-standin-simulation — a stand-in for the rideshare platform's `simulation` service.
//
// Implements the HTTP contract of shared/spec/simulation-api.md (platform commit 8ff066d) on 127.0.0.1 only,
// with a small agent/trip model whose load is real: worker threads burn CPU in proportion to agents × speed
// (up to SIM_MAX_CORES), every agent owns touched anonymous memory (released on reset/stop), an optional leak
// grows while running, and the simulated clock slows down when the CPU the agents need is not obtained.
// Knobs: see tests/stack/README.md.

#include <httplib.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <deque>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "standin_common.hpp"
#include "standin_metrics.hpp"

using json = nlohmann::ordered_json;  // keys in FastAPI model order
using standin::Block;

namespace {

// ------------------------------------------------------------------ configuration (environment)
struct Knobs {
    std::optional<std::string> api_key;
    int port = 18000;
    double cpu_per_agent = 0.0025;   // cores per active agent at speed 1
    long mem_per_agent_kb = 1200;    // touched anonymous memory per active agent
    long base_mem_mb = 32;           // touched at start-up, never released
    double leak_mb_per_min = 0.0;    // while running; released on reset
    double max_cores = 1.0;          // burner threads = ceil(max_cores)
    bool rate_limits = false;        // slowapi-like per-key limits
    int initial_speed = 1;           // SIM_SPEED_MULTIPLIER, 1..1024
    double drain_trips_per_s = 1.0;  // trip completions per simulated second while draining
    double drain_timeout_s = 7200;   // simulated seconds
    double unpaced_speed = 1000;     // effective speed when the multiplier is exactly 100 (pacing disabled)
    double tick_s = 0.1;             // wall seconds per engine tick
    double trip_scale = 1.0;         // multiplies every trip phase duration (pickup, ride, idle)
    long match_work = 0;             // dispatcher work units per driver-rider pair per simulated second
    long seed = 42;
    bool quiet = false;
};

Knobs read_knobs() {
    using namespace standin;
    Knobs k;
    if (const char* v = std::getenv("API_KEY"); v != nullptr && *v != '\0') k.api_key = v;
    k.port = static_cast<int>(env_long("PORT", 18000, 1, 65535));
    k.cpu_per_agent = env_double("SIM_CPU_PER_AGENT", k.cpu_per_agent, 0, 10);
    k.mem_per_agent_kb = env_long("SIM_MEM_PER_AGENT_KB", k.mem_per_agent_kb, 0, 1L << 22);
    k.base_mem_mb = env_long("SIM_BASE_MEM_MB", k.base_mem_mb, 0, 1L << 16);
    k.leak_mb_per_min = env_double("SIM_LEAK_MB_PER_MIN", 0, 0, 1e5);
    k.max_cores = env_double("SIM_MAX_CORES", k.max_cores, 0.05, 256);
    k.rate_limits = env_bool("SIM_RATE_LIMITS", false);
    k.initial_speed = static_cast<int>(env_long("SIM_SPEED_MULTIPLIER", 1, 1, 1024));
    k.drain_trips_per_s = env_double("SIM_DRAIN_TRIPS_PER_SEC", k.drain_trips_per_s, 0.001, 1e6);
    k.drain_timeout_s = env_double("SIM_DRAIN_TIMEOUT_S", k.drain_timeout_s, 1, 1e9);
    k.unpaced_speed = env_double("SIM_UNPACED_SPEED", k.unpaced_speed, 1, 1e6);
    k.tick_s = env_double("SIM_TICK_MS", 100, 10, 1000) / 1000.0;
    k.trip_scale = env_double("SIM_TRIP_SCALE", 1.0, 0.01, 100);
    k.match_work = env_long("SIM_MATCH_WORK", 0, 0, 1L << 20);
    k.seed = env_long("SIM_SEED", 42, 0, 1L << 62);
    k.quiet = env_bool("SIM_QUIET", false);
    return k;
}

std::string iso_utc(std::chrono::system_clock::time_point tp) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(tp.time_since_epoch()).count();
    std::time_t secs = static_cast<std::time_t>(us / 1000000);
    long frac = static_cast<long>(us % 1000000);
    if (frac < 0) {
        frac += 1000000;
        --secs;
    }
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06ld+00:00", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
    return buf;
}

// ------------------------------------------------------------------ the engine
enum class State { Stopped, Running, Draining, Paused };
const char* state_name(State s) {
    switch (s) {
        case State::Stopped:
            return "stopped";
        case State::Running:
            return "running";
        case State::Draining:
            return "draining";
        case State::Paused:
            return "paused";
    }
    return "stopped";
}

enum class DS { Offline, Online, Pickup, Destination };
enum class RS { Offline, Waiting, InTrip };

struct Driver {
    DS st = DS::Online;
    long trip = -1;
    Block mem;
};
struct Rider {
    RS st = RS::Offline;
    double next_request = 0;
    double waiting_since = 0;
    long trip = -1;
    Block mem;
};
struct Trip {
    size_t driver = 0;
    size_t rider = 0;
    bool picked_up = false;
    double due = 0;  // simulated time of the next phase change
};

constexpr double kImmediateRate = 2.0;   // agents per simulated second per type
constexpr double kScheduledRate = 10.0;  // agents per simulated second per type
constexpr size_t kMaxDrivers = 2000;
constexpr size_t kMaxRiders = 10000;

enum class Outcome { Ok, BadState, Crash };

class Engine {
  public:
    explicit Engine(const Knobs& k) : k_(k), rng_(static_cast<uint64_t>(k.seed)), burner_(k.max_cores) {
        speed_ = k.initial_speed;
        base_mem_ = Block(static_cast<size_t>(k.base_mem_mb) << 20);
        sim_origin_ = std::chrono::system_clock::now();
        last_consumed_ = burner_.consumed_ns();
        thread_ = std::thread([this] { loop(); });
    }
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;
    ~Engine() {
        {
            std::lock_guard<std::mutex> g(mu_);
            quit_ = true;
        }
        cv_.notify_all();
        if (thread_.joinable()) thread_.join();
    }

    // ---- API operations (all under the lock)
    Outcome start() {
        std::lock_guard<std::mutex> g(mu_);
        if (state_ == State::Running) return Outcome::BadState;
        state_ = State::Running;
        start_wall_ = std::chrono::steady_clock::now();
        started_ = true;
        log("start -> running");
        return Outcome::Ok;
    }
    Outcome pause() {
        std::lock_guard<std::mutex> g(mu_);
        if (state_ != State::Running) return Outcome::BadState;
        state_ = State::Draining;
        drain_start_ = sim_elapsed_;
        next_drain_check_ = sim_elapsed_ + 5.0;
        drain_credit_ = 0;
        // new trip requests are refused while draining: riders still waiting for a driver give up
        for (auto& r : riders_) {
            if (r.st == RS::Waiting && r.trip < 0) {
                r.st = RS::Offline;
                r.next_request = sim_elapsed_ + idle_time();
            }
        }
        waiting_.clear();
        log("pause -> draining (" + std::to_string(trips_.size()) + " trips in flight)");
        return Outcome::Ok;
    }
    Outcome resume() {
        std::lock_guard<std::mutex> g(mu_);
        if (state_ != State::Paused) return Outcome::BadState;
        state_ = State::Running;
        log("resume -> running");
        return Outcome::Ok;
    }
    Outcome stop() {
        std::lock_guard<std::mutex> g(mu_);
        if (state_ == State::Stopped) return Outcome::BadState;
        if (state_ == State::Paused || state_ == State::Draining) {
            log(std::string("stop from ") + state_name(state_) + ": invalid transition -> 500");
            return Outcome::Crash;
        }
        state_ = State::Stopped;
        clear_agents();
        log("stop -> stopped (agents released)");
        return Outcome::Ok;
    }
    void reset() {
        std::lock_guard<std::mutex> g(mu_);
        state_ = State::Stopped;
        clear_agents();
        leak_.clear();
        leak_.shrink_to_fit();
        leak_accum_mb_ = 0;
        sim_elapsed_ = 0;
        sim_origin_ = std::chrono::system_clock::now();
        started_ = false;
        trim();
        log("reset -> stopped (agents, queues, trips, leak released; speed kept)");
    }
    void set_speed(int m) {
        std::lock_guard<std::mutex> g(mu_);
        speed_ = m;
        log("speed -> " + std::to_string(m));
    }
    // returns the active count when the capacity would be exceeded
    std::optional<size_t> spawn(bool drivers, long n, bool scheduled) {
        std::lock_guard<std::mutex> g(mu_);
        const size_t active = drivers ? drivers_.size() : riders_.size();
        const size_t cap = drivers ? kMaxDrivers : kMaxRiders;
        if (active + static_cast<size_t>(n) > cap) return active;
        auto& q = drivers ? (scheduled ? q_drv_sched_ : q_drv_imm_) : (scheduled ? q_rid_sched_ : q_rid_imm_);
        q += n;
        return std::nullopt;
    }
    json spawn_status() {
        std::lock_guard<std::mutex> g(mu_);
        return json{{"drivers_queued", q_drv_imm_ + q_drv_sched_},
                    {"riders_queued", q_rid_imm_ + q_rid_sched_}};
    }
    json status() {
        std::lock_guard<std::mutex> g(mu_);
        long d[4] = {0, 0, 0, 0};
        long r[3] = {0, 0, 0};
        for (auto& x : drivers_) d[static_cast<int>(x.st)]++;
        for (auto& x : riders_) r[static_cast<int>(x.st)]++;
        double uptime = 0.0;
        if (started_)
            uptime = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_wall_).count();
        auto now = sim_origin_ + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                     std::chrono::duration<double>(sim_elapsed_));
        return json{{"state", state_name(state_)},
                    {"speed_multiplier", speed_},
                    {"current_time", iso_utc(now)},
                    {"drivers_total", static_cast<long>(drivers_.size())},
                    {"drivers_offline", d[0]},
                    {"drivers_online", d[1]},
                    {"drivers_en_route_pickup", d[2]},
                    {"drivers_en_route_destination", d[3]},
                    {"riders_total", static_cast<long>(riders_.size())},
                    {"riders_offline", r[0]},
                    {"riders_waiting", r[1]},
                    {"riders_in_trip", r[2]},
                    {"active_trips_count", static_cast<long>(trips_.size())},
                    {"uptime_seconds", std::round(uptime * 1000.0) / 1000.0}};
    }
    json performance() {
        std::lock_guard<std::mutex> g(mu_);
        const bool live = state_ == State::Running || state_ == State::Draining;
        // Events the engine really produced per wall second over the last few seconds (the clock's progress
        // decides how many: an engine that falls behind produces fewer).
        const auto rates = event_rates();
        const double gps = rates[0];
        const double trip_ev = rates[1];
        const double status_ev = rates[2];
        auto lat = [&](double base) -> json {
            if (!live) return nullptr;
            double load = std::min(1.0, static_cast<double>(drivers_.size() + riders_.size()) / 2000.0);
            double avg = base * (1.0 + 3.0 * load);
            return json{{"avg_ms", std::round(avg * 100) / 100},
                        {"p95_ms", std::round(avg * 250) / 100},
                        {"p99_ms", std::round(avg * 400) / 100},
                        {"count", static_cast<long>(trip_events_ + status_events_)}};
        };
        long rss_kb = 0;
        {
            std::ifstream f("/proc/self/statm");
            long size = 0, res = 0;
            if (f >> size >> res) rss_kb = res * (sysconf(_SC_PAGESIZE) / 1024);
        }
        double limit_mb = 0;
        {
            std::ifstream f("/sys/fs/cgroup/memory/memory.limit_in_bytes");
            unsigned long long b = 0;
            if (f >> b && b < (1ULL << 62)) limit_mb = static_cast<double>(b) / 1048576.0;
        }
        if (limit_mb <= 0) {
            std::ifstream f("/proc/meminfo");
            std::string key;
            long kb = 0;
            if (f >> key >> kb) limit_mb = static_cast<double>(kb) / 1024.0;
        }
        const double rss_mb = static_cast<double>(rss_kb) / 1024.0;
        size_t pending = 0;
        for (auto& x : riders_)
            if (x.st == RS::Waiting && x.trip < 0) ++pending;
        return json{
            {"events",
             {{"gps_pings_per_sec", gps},
              {"trip_events_per_sec", trip_ev},
              {"driver_status_per_sec", status_ev},
              {"total_per_sec", gps + trip_ev + status_ev}}},
            {"latency", {{"osrm", lat(4.0)}, {"kafka", lat(1.5)}, {"redis", lat(0.4)}}},
            {"errors", {{"osrm_failures", 0}, {"kafka_failures", 0}, {"redis_failures", 0}}},
            {"queue_depths",
             {{"pending_offers", static_cast<long>(pending)},
              {"simpy_events", static_cast<long>(drivers_.size() + riders_.size() + trips_.size())}}},
            {"memory",
             {{"rss_mb", std::round(rss_mb * 10) / 10},
              {"percent", limit_mb > 0 ? std::round(rss_mb / limit_mb * 1000) / 10 : 0.0}}},
            {"resources",
             {{"cpu_demand_cores", demand_},
              {"max_cores", burner_.max_cores()},
              {"real_time_ratio", std::round(progress_ratio_ * 1000) / 1000},
              {"leak_mb", static_cast<long>(leak_.size())},
              {"agent_memory_mb", static_cast<double>((drivers_.size() + riders_.size()) *
                                                      static_cast<size_t>(k_.mem_per_agent_kb)) /
                                      1024.0}}},
            {"stream_processor", nullptr},
            {"timestamp",
             std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count()}};
    }
    State state() {
        std::lock_guard<std::mutex> g(mu_);
        return state_;
    }
    // GET /metrics: the live state; counters are cumulative over the process lifetime (not cleared by reset).
    standin::SimulationMetrics metrics() {
        std::lock_guard<std::mutex> g(mu_);
        standin::SimulationMetrics m;
        m.trip_events = static_cast<double>(trip_events_before_ + trip_events_);
        m.status_events = static_cast<double>(status_events_before_ + status_events_);
        m.gps_pings = gps_pings_;
        m.trips_active = static_cast<long>(trips_.size());
        m.real_time_ratio = progress_ratio_;
        m.speed_multiplier = speed_;
        m.effective_speed = eff_speed();
        m.simpy_events = static_cast<long>(drivers_.size() + riders_.size() + trips_.size());
        m.drivers = static_cast<long>(drivers_.size());
        m.riders = static_cast<long>(riders_.size());
        m.agents_queued = q_drv_imm_ + q_drv_sched_ + q_rid_imm_ + q_rid_sched_;
        m.cpu_demand_cores = demand_;
        m.state = state_name(state_);
        return m;
    }

  private:
    double uni(double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng_); }
    // simulated durations of the trip model (seconds, × SIM_TRIP_SCALE)
    double idle_time() { return k_.trip_scale * uni(5, 30); }
    double pickup_time() { return k_.trip_scale * uni(5, 20); }
    double ride_time() { return k_.trip_scale * uni(20, 60); }
    double eff_speed() const { return speed_ == 100 ? k_.unpaced_speed : static_cast<double>(speed_); }
    void log(const std::string& s) {
        if (!k_.quiet) std::fprintf(stderr, "[simulation] %s\n", s.c_str());
    }
    static void trim() { malloc_trim(0); }

    void clear_agents() {
        drivers_.clear();
        drivers_.shrink_to_fit();
        riders_.clear();
        riders_.shrink_to_fit();
        trips_.clear();
        idle_drivers_.clear();
        idle_drivers_.shrink_to_fit();
        waiting_.clear();
        q_drv_imm_ = q_drv_sched_ = q_rid_imm_ = q_rid_sched_ = 0;
        c_drv_imm_ = c_drv_sched_ = c_rid_imm_ = c_rid_sched_ = 0;
        trim();
    }

    static long take(long& queue, double& credit, double add) {
        if (queue <= 0) {
            credit = 0;
            return 0;
        }
        credit += add;
        long n = std::min(queue, static_cast<long>(std::floor(credit)));
        credit -= static_cast<double>(n);
        queue -= n;
        return n;
    }

    void spawn_driver() {
        Driver d;
        d.st = DS::Online;
        d.mem = Block(static_cast<size_t>(k_.mem_per_agent_kb) * 1024);
        drivers_.push_back(std::move(d));
        idle_drivers_.push_back(drivers_.size() - 1);
        ++status_events_;
    }
    void spawn_rider() {
        Rider r;
        r.st = RS::Offline;
        r.next_request = sim_elapsed_ + k_.trip_scale * uni(1, 10);
        r.mem = Block(static_cast<size_t>(k_.mem_per_agent_kb) * 1024);
        riders_.push_back(std::move(r));
    }

    // Cumulative events of every kind, sampled once per tick (wall clock) for the sliding-window rates.
    struct EventMark {
        std::chrono::steady_clock::time_point at;
        double gps, trip, status;
    };
    std::array<double, 3> event_rates() const {
        if (marks_.size() < 2) return {0.0, 0.0, 0.0};
        const auto& a = marks_.front();
        const auto& b = marks_.back();
        const double secs = std::chrono::duration<double>(b.at - a.at).count();
        if (secs <= 0) return {0.0, 0.0, 0.0};
        return {(b.gps - a.gps) / secs, (b.trip - a.trip) / secs, (b.status - a.status) / secs};
    }
    void mark_events(std::chrono::steady_clock::time_point now) {
        marks_.push_back({now, gps_pings_, static_cast<double>(trip_events_before_ + trip_events_),
                          static_cast<double>(status_events_before_ + status_events_)});
        while (marks_.size() > 2 && now - marks_[1].at >= kRateWindow) marks_.pop_front();
    }

    // The dispatcher's matching pass for dt simulated seconds: every driver is scored against every rider
    // (match_work units per pair per simulated second), under the engine lock like the rest of the model.
    // Its cost grows with drivers x riders, so past some load the engine cannot finish a simulated second in
    // a wall second: the clock falls behind and the events per wall second fall - the contention is the
    // engine's own work, not a formula.
    void match_pass(double dt) {
        if (k_.match_work <= 0 || drivers_.empty() || riders_.empty()) return;
        match_credit_ += static_cast<double>(drivers_.size()) * static_cast<double>(riders_.size()) *
                         static_cast<double>(k_.match_work) * dt;
        const auto units = static_cast<uint64_t>(match_credit_);
        match_credit_ -= static_cast<double>(units);
        uint64_t x = match_state_;
        for (uint64_t i = 0; i < units; ++i) {
            for (int j = 0; j < 16; ++j) {  // one work unit: a few ns of integer scoring
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
            }
        }
        match_state_ = x;
    }

    // advance the model by dt simulated seconds (state is Running or Draining)
    void step(double dt) {
        sim_elapsed_ += dt;
        gps_pings_ += static_cast<double>(drivers_.size()) * 0.2 * dt;
        const double now = sim_elapsed_;
        if (state_ == State::Running) {
            for (long n = take(q_drv_imm_, c_drv_imm_, dt * kImmediateRate) +
                          take(q_drv_sched_, c_drv_sched_, dt * kScheduledRate);
                 n > 0; --n)
                spawn_driver();
            for (long n = take(q_rid_imm_, c_rid_imm_, dt * kImmediateRate) +
                          take(q_rid_sched_, c_rid_sched_, dt * kScheduledRate);
                 n > 0; --n)
                spawn_rider();
            // riders request trips
            for (size_t i = 0; i < riders_.size(); ++i) {
                auto& r = riders_[i];
                if (r.st == RS::Offline && r.next_request <= now) {
                    r.st = RS::Waiting;
                    r.waiting_since = now;
                    waiting_.push_back(i);
                    ++trip_events_;
                }
            }
            // match waiting riders with idle drivers (FIFO)
            while (!waiting_.empty() && !idle_drivers_.empty()) {
                size_t ri = waiting_.front();
                waiting_.pop_front();
                auto& r = riders_[ri];
                if (r.st != RS::Waiting || r.trip >= 0) continue;
                size_t di = idle_drivers_.back();
                idle_drivers_.pop_back();
                auto& d = drivers_[di];
                long id = next_trip_++;
                trips_[id] = Trip{di, ri, false, now + pickup_time()};
                d.st = DS::Pickup;
                d.trip = id;
                r.trip = id;
                trip_events_ += 2;
                ++status_events_;
            }
            // riders give up after 5 simulated minutes without a driver
            for (auto& r : riders_) {
                if (r.st == RS::Waiting && r.trip < 0 && now - r.waiting_since > 300) {
                    r.st = RS::Offline;
                    r.next_request = now + idle_time();
                    ++trip_events_;
                }
            }
        }
        // trip progress
        if (state_ == State::Draining)
            drain_credit_ =
                std::min(drain_credit_ + dt * k_.drain_trips_per_s, dt * k_.drain_trips_per_s + 1.0);
        for (auto it = trips_.begin(); it != trips_.end();) {
            Trip& t = it->second;
            if (!t.picked_up && now >= t.due) {
                t.picked_up = true;
                t.due = now + ride_time();
                drivers_[t.driver].st = DS::Destination;
                riders_[t.rider].st = RS::InTrip;
                trip_events_ += 1;
                ++status_events_;
            }
            if (t.picked_up && now >= t.due) {
                if (state_ == State::Draining) {
                    if (drain_credit_ < 1.0) {
                        ++it;
                        continue;
                    }
                    drain_credit_ -= 1.0;
                }
                finish_trip(t, now);
                it = trips_.erase(it);
                continue;
            }
            ++it;
        }
        // drain process: checks every 5 simulated seconds
        if (state_ == State::Draining) {
            while (state_ == State::Draining && now >= next_drain_check_) {
                if (trips_.empty()) {
                    state_ = State::Paused;
                    log("drain: quiescence achieved -> paused");
                } else if (next_drain_check_ - drain_start_ >= k_.drain_timeout_s) {
                    for (auto& [id, t] : trips_) finish_trip(t, now);
                    trips_.clear();
                    state_ = State::Paused;
                    log("drain: timeout, trips cancelled -> paused");
                }
                next_drain_check_ += 5.0;
            }
        }
    }
    void finish_trip(Trip& t, double now) {
        auto& d = drivers_[t.driver];
        auto& r = riders_[t.rider];
        d.st = DS::Online;
        d.trip = -1;
        idle_drivers_.push_back(t.driver);
        r.st = RS::Offline;
        r.trip = -1;
        r.next_request = now + idle_time();
        trip_events_ += 1;
        ++status_events_;
    }

    void loop() {
        auto next = std::chrono::steady_clock::now();
        auto last = next;
        auto perf_start = next;
        std::unique_lock<std::mutex> lk(mu_);
        while (!quit_) {
            next += std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                std::chrono::duration<double>(k_.tick_s));
            cv_.wait_until(lk, next, [this] { return quit_; });
            if (quit_) break;
            auto now = std::chrono::steady_clock::now();
            if (now - next > std::chrono::seconds(1)) next = now;  // we were starved: do not try to catch up
            const double dt_wall = std::chrono::duration<double>(now - last).count();
            last = now;
            // 1) what CPU did the agents get during the last tick, compared with what they needed?
            const int64_t consumed = burner_.consumed_ns();
            const double achieved = static_cast<double>(consumed - last_consumed_) / 1e9;
            last_consumed_ = consumed;
            const double required = demand_ * dt_wall;
            win_.push_back({achieved, required});
            if (win_.size() > 10) win_.pop_front();
            double sa = 0, sr = 0;
            for (auto& [a, r] : win_) {
                sa += a;
                sr += r;
            }
            ratio_ = sr > 1e-6 ? std::min(1.0, sa / (sr * 0.97)) : 1.0;
            // 2) advance the simulated clock by speed × wall × ratio, in slices that each include the
            // dispatcher's matching pass; slices left when the tick's wall time is used up are dropped (the
            // engine fell behind). The lock is let go between slices so API calls are served meanwhile.
            if (state_ == State::Running || state_ == State::Draining) {
                double due = dt_wall * eff_speed() * ratio_;
                // A slice's matching pass stays near 30 ms of work, so the budget check below comes often.
                const double pair_units = static_cast<double>(drivers_.size()) *
                                          static_cast<double>(riders_.size()) *
                                          static_cast<double>(k_.match_work);
                double slice = std::max(0.01, due / 8.0);
                if (pair_units > 0) slice = std::min(slice, std::max(1e-4, 2e6 / pair_units));
                const auto budget_end = now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                  std::chrono::duration<double>(k_.tick_s * 0.9));
                double done = 0;
                while (due > 1e-9 && !quit_) {
                    const double d = std::min(slice, due);
                    match_pass(d);
                    step(d);
                    done += d;
                    due -= d;
                    if (std::chrono::steady_clock::now() >= budget_end) break;
                    lk.unlock();
                    lk.lock();
                    if (state_ != State::Running && state_ != State::Draining) break;
                }
                const double achieved = dt_wall > 0 ? std::min(1.0, done / (dt_wall * eff_speed())) : 1.0;
                progress_ratio_ += 0.2 * (achieved - progress_ratio_);  // ~1 s of ticks
            } else {
                progress_ratio_ = 1.0;
            }
            mark_events(std::chrono::steady_clock::now());
            // 3) leak while running (wall minutes), touched 1-MB blocks kept until reset
            if (state_ == State::Running && k_.leak_mb_per_min > 0) {
                leak_accum_mb_ += k_.leak_mb_per_min * dt_wall / 60.0;
                while (leak_accum_mb_ >= 1.0) {
                    leak_.emplace_back(size_t{1} << 20);
                    leak_accum_mb_ -= 1.0;
                }
            }
            // 4) CPU demand for the next tick
            const bool live = state_ == State::Running || state_ == State::Draining;
            demand_ =
                live ? static_cast<double>(drivers_.size() + riders_.size()) * k_.cpu_per_agent * eff_speed()
                     : 0.0;
            burner_.set_demand(demand_);
            // keep the per-window counters small (the /metrics counters add both parts)
            if (now - perf_start >= std::chrono::seconds(10)) {
                perf_start = now;
                trip_events_before_ += trip_events_;
                status_events_before_ += status_events_;
                trip_events_ = status_events_ = 0;
            }
        }
    }

    Knobs k_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool quit_ = false;
    std::mt19937_64 rng_;
    standin::Burner burner_;
    Block base_mem_;
    std::thread thread_;

    State state_ = State::Stopped;
    int speed_ = 1;
    bool started_ = false;
    std::chrono::steady_clock::time_point start_wall_{};
    std::chrono::system_clock::time_point sim_origin_{};
    double sim_elapsed_ = 0;  // simulated seconds since the last reset

    std::vector<Driver> drivers_;
    std::vector<Rider> riders_;
    std::unordered_map<long, Trip> trips_;
    long next_trip_ = 1;
    std::vector<size_t> idle_drivers_;
    std::deque<size_t> waiting_;
    long q_drv_imm_ = 0, q_drv_sched_ = 0, q_rid_imm_ = 0, q_rid_sched_ = 0;
    double c_drv_imm_ = 0, c_drv_sched_ = 0, c_rid_imm_ = 0, c_rid_sched_ = 0;

    double drain_start_ = 0, next_drain_check_ = 0, drain_credit_ = 0;

    std::vector<Block> leak_;
    double leak_accum_mb_ = 0;

    int64_t last_consumed_ = 0;
    double demand_ = 0;
    double ratio_ = 1.0;
    std::deque<std::pair<double, double>> win_;
    long trip_events_ = 0, status_events_ = 0;
    long long trip_events_before_ = 0, status_events_before_ = 0;  // events of earlier windows (for /metrics)
    double gps_pings_ = 0;
    static constexpr std::chrono::seconds kRateWindow{5};
    std::deque<EventMark> marks_;
    double match_credit_ = 0;
    uint64_t match_state_ = 0x9E3779B97F4A7C15ULL;
    // Simulated progress / (wall x speed), smoothed over ~1 s: the CPU the burners got and the dispatcher's
    // pace together (what /metrics/performance and /metrics report as the real-time ratio).
    double progress_ratio_ = 1.0;
};

// ------------------------------------------------------------------ rate limiting (slowapi-like fixed
// windows)
class RateLimiter {
  public:
    explicit RateLimiter(bool enabled) : enabled_(enabled) {}
    bool hit(const std::string& route, const std::string& key, int limit) {
        if (!enabled_) return true;
        std::lock_guard<std::mutex> g(mu_);
        const auto now = std::chrono::steady_clock::now();
        auto& w = windows_[route + "|key:" + key];
        if (w.count == 0 || now - w.start >= std::chrono::seconds(60)) {
            w.start = now;
            w.count = 0;
        }
        if (w.count >= limit) return false;
        ++w.count;
        return true;
    }

  private:
    struct Window {
        std::chrono::steady_clock::time_point start{};
        int count = 0;
    };
    bool enabled_;
    std::mutex mu_;
    std::map<std::string, Window> windows_;
};

// ------------------------------------------------------------------ FastAPI / pydantic-like validation
json verr(const std::string& type, json loc, const std::string& msg, json input, json ctx = nullptr) {
    json e{{"type", type}, {"loc", std::move(loc)}, {"msg", msg}, {"input", std::move(input)}};
    if (!ctx.is_null()) e["ctx"] = std::move(ctx);
    return e;
}

// pydantic v2 lax int: ints, bools, integral floats and integer strings are accepted
std::optional<long long> lax_int(const json& v, const json& loc, json& errors) {
    if (v.is_number_integer()) return v.get<long long>();
    if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
    if (v.is_number_float()) {
        double d = v.get<double>();
        if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) < 9e18) return static_cast<long long>(d);
        errors.push_back(verr("int_from_float", loc,
                              "Input should be a valid integer, got a number with a fractional part", v));
        return std::nullopt;
    }
    if (v.is_string()) {
        std::string s = v.get<std::string>();
        size_t a = s.find_first_not_of(" \t\n\r"), b = s.find_last_not_of(" \t\n\r");
        if (a != std::string::npos) {
            std::string t = s.substr(a, b - a + 1);
            size_t i = (t[0] == '-' || t[0] == '+') ? 1 : 0;
            bool ok = i < t.size() && t.size() - i <= 18;
            for (size_t j = i; ok && j < t.size(); ++j)
                ok = (t[j] >= '0' && t[j] <= '9') || (t[j] == '_' && j > i && j + 1 < t.size());
            if (ok) {
                t.erase(std::remove(t.begin(), t.end(), '_'), t.end());
                return std::stoll(t);
            }
        }
        errors.push_back(verr("int_parsing", loc,
                              "Input should be a valid integer, unable to parse string as an integer", v));
        return std::nullopt;
    }
    errors.push_back(verr("int_type", loc, "Input should be a valid integer", v));
    return std::nullopt;
}

// parses a JSON object body; on failure appends the FastAPI error and returns nullopt
std::optional<json> object_body(const httplib::Request& req, json& errors) {
    std::string b = req.body;
    if (b.find_first_not_of(" \t\r\n") == std::string::npos) {
        errors.push_back(verr("missing", json::array({"body"}), "Field required", nullptr));
        return std::nullopt;
    }
    json j;
    try {
        j = json::parse(b);
    } catch (const json::parse_error& e) {
        errors.push_back(verr("json_invalid",
                              json::array({"body", static_cast<long>(e.byte > 0 ? e.byte - 1 : 0)}),
                              "JSON decode error", json::object(), json{{"error", "Expecting value"}}));
        return std::nullopt;
    }
    if (!j.is_object()) {
        errors.push_back(verr("model_attributes_type", json::array({"body"}),
                              "Input should be a valid dictionary or object to extract fields from", j));
        return std::nullopt;
    }
    return j;
}

void reply(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
}
void detail(httplib::Response& res, int status, const std::string& msg) {
    reply(res, status, json{{"detail", msg}});
}
void internal_error(httplib::Response& res) {
    res.status = 500;
    res.set_content("Internal Server Error", "text/plain; charset=utf-8");
}

// ------------------------------------------------------------------ the HTTP application
class App {
  public:
    App(const Knobs& k, Engine& e) : k_(k), eng_(e), rl_(k.rate_limits) {}

    void install(httplib::Server& s) {
        srv_ = &s;
        s.Get("/health", [](const httplib::Request&, httplib::Response& res) {
            reply(res, 200, json{{"status", "ok"}});
        });
        s.Get("/health/detailed", [this](const httplib::Request&, httplib::Response& res) {
            json st = eng_.status();
            reply(res, 200,
                  json{{"status", "healthy"},
                       {"services",
                        {{"simulation", {{"status", "healthy"}, {"state", st["state"]}}},
                         {"kafka", {{"status", "unknown"}, {"message", "stand-in: not checked"}}},
                         {"redis", {{"status", "unknown"}, {"message", "stand-in: not checked"}}},
                         {"osrm", {{"status", "unknown"}, {"message", "stand-in: not checked"}}}}},
                       {"timestamp", iso_utc(std::chrono::system_clock::now())}});
        });
        s.Get("/auth/validate", [this](const httplib::Request& q, httplib::Response& r) {
            route(q, r, nullptr, 0, nullptr, [](httplib::Response& res) {
                reply(res, 200, json{{"status", "authenticated"}});
            });
        });
        s.Get("/simulation/status", [this](const httplib::Request& q, httplib::Response& r) {
            route(q, r, "status", 100, nullptr,
                  [this](httplib::Response& res) { reply(res, 200, eng_.status()); });
        });
        add("POST", "/simulation/start", [this](const httplib::Request& q, httplib::Response& r) {
            route(q, r, "start", 10, nullptr, [this](httplib::Response& res) {
                if (eng_.start() == Outcome::BadState) return detail(res, 400, "Simulation already running");
                reply(res, 200, json{{"status", "started"}, {"message", nullptr}});
            });
        });
        add("POST", "/simulation/pause", [this](const httplib::Request& q, httplib::Response& r) {
            route(q, r, "pause", 10, nullptr, [this](httplib::Response& res) {
                if (eng_.pause() == Outcome::BadState) return detail(res, 400, "Simulation not running");
                reply(res, 200, json{{"status", "pausing"}, {"message", "Draining in-flight trips"}});
            });
        });
        add("POST", "/simulation/resume", [this](const httplib::Request& q, httplib::Response& r) {
            route(q, r, "resume", 10, nullptr, [this](httplib::Response& res) {
                if (eng_.resume() == Outcome::BadState) return detail(res, 400, "Simulation not paused");
                reply(res, 200, json{{"status", "resumed"}, {"message", nullptr}});
            });
        });
        add("POST", "/simulation/stop", [this](const httplib::Request& q, httplib::Response& r) {
            route(q, r, "stop", 10, nullptr, [this](httplib::Response& res) {
                switch (eng_.stop()) {
                    case Outcome::BadState:
                        return detail(res, 400, "Simulation already stopped");
                    case Outcome::Crash:
                        return internal_error(res);
                    case Outcome::Ok:
                        break;
                }
                reply(res, 200, json{{"status", "stopped"}, {"message", nullptr}});
            });
        });
        add("POST", "/simulation/reset", [this](const httplib::Request& q, httplib::Response& r) {
            route(q, r, "reset", 10, nullptr, [this](httplib::Response& res) {
                eng_.reset();
                reply(res, 200, json{{"status", "reset"}, {"message", "Simulation reset to initial state"}});
            });
        });
        add("PUT", "/simulation/speed", [this](const httplib::Request& q, httplib::Response& r) {
            auto mult = std::make_shared<long long>(0);
            route(
                q, r, "speed", 10,
                [mult](const httplib::Request& req, json& errors) {
                    auto body = object_body(req, errors);
                    if (!body) return;
                    if (!body->contains("multiplier")) {
                        errors.push_back(
                            verr("missing", json::array({"body", "multiplier"}), "Field required", *body));
                        return;
                    }
                    if (auto v = lax_int((*body)["multiplier"], json::array({"body", "multiplier"}), errors))
                        *mult = *v;
                },
                [this, mult](httplib::Response& res) {
                    if (*mult < 1) return detail(res, 400, "Invalid multiplier. Must be a positive integer");
                    int m = static_cast<int>(std::min<long long>(*mult, 1 << 30));
                    eng_.set_speed(m);
                    reply(res, 200, json{{"speed", m}});
                });
        });
        add("POST", "/agents/drivers",
            [this](const httplib::Request& q, httplib::Response& r) { spawn(q, r, true); });
        add("POST", "/agents/riders",
            [this](const httplib::Request& q, httplib::Response& r) { spawn(q, r, false); });
        s.Get("/agents/spawn-status", [this](const httplib::Request& q, httplib::Response& r) {
            route(q, r, "spawn_status", 60, nullptr,
                  [this](httplib::Response& res) { reply(res, 200, eng_.spawn_status()); });
        });
        // Open like the platform's Prometheus endpoint (scraped without the API key).
        s.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
            res.set_content(standin::prometheus_text(eng_.metrics()),
                            "text/plain; version=0.0.4; charset=utf-8");
        });
        s.Get("/metrics/performance", [this](const httplib::Request& q, httplib::Response& r) {
            route(q, r, "metrics_performance", 120, nullptr,
                  [this](httplib::Response& res) { reply(res, 200, eng_.performance()); });
        });

        // FastAPI answers 405 for a known path with another method, 404 otherwise
        const std::vector<std::pair<std::string, std::string>> known = {{"/health", "GET"},
                                                                        {"/health/detailed", "GET"},
                                                                        {"/auth/validate", "GET"},
                                                                        {"/simulation/status", "GET"},
                                                                        {"/simulation/start", "POST"},
                                                                        {"/simulation/pause", "POST"},
                                                                        {"/simulation/resume", "POST"},
                                                                        {"/simulation/stop", "POST"},
                                                                        {"/simulation/reset", "POST"},
                                                                        {"/simulation/speed", "PUT"},
                                                                        {"/agents/drivers", "POST"},
                                                                        {"/agents/riders", "POST"},
                                                                        {"/agents/spawn-status", "GET"},
                                                                        {"/metrics/performance", "GET"},
                                                                        {"/metrics", "GET"}};
        auto not_allowed = [](const httplib::Request&, httplib::Response& res) {
            detail(res, 405, "Method Not Allowed");
        };
        for (auto& [path, method] : known) {
            if (method != "GET") s.Get(path, not_allowed);
            if (method != "POST") s.Post(path, not_allowed);
            if (method != "PUT") s.Put(path, not_allowed);
            s.Delete(path, not_allowed);
            s.Patch(path, not_allowed);
        }
        // httplib 0.11 answers 400 to a POST/PUT without Content-Length before routing; FastAPI treats it as
        // an empty body. Dispatch such requests ourselves in the pre-routing handler (it runs before the body
        // is read).
        s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
            if (req.method != "POST" && req.method != "PUT" && req.method != "PATCH" &&
                req.method != "DELETE")
                return httplib::Server::HandlerResponse::Unhandled;
            if (req.has_header("Content-Length") || req.has_header("Transfer-Encoding"))
                return httplib::Server::HandlerResponse::Unhandled;
            auto it = handlers_.find({req.method, req.path});
            if (it != handlers_.end()) {
                it->second(req, res);
            } else {
                bool known = false;
                for (auto& [k, h] : handlers_) known = known || k.second == req.path;
                if (known || req.path == "/health" || req.path == "/simulation/status" ||
                    req.path == "/auth/validate" || req.path == "/agents/spawn-status" ||
                    req.path == "/metrics/performance" || req.path == "/health/detailed" ||
                    req.path == "/metrics")
                    detail(res, 405, "Method Not Allowed");
                else
                    detail(res, 404, "Not Found");
            }
            return httplib::Server::HandlerResponse::Handled;
        });
        s.set_error_handler(
            httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
                if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
                if (res.status == 404) {
                    detail(res, 404, "Not Found");
                    return httplib::Server::HandlerResponse::Handled;
                }
                return httplib::Server::HandlerResponse::Unhandled;
            }));
    }

  private:
    using Validate = std::function<void(const httplib::Request&, json&)>;

    void add(const std::string& method, const std::string& path, httplib::Server::Handler h) {
        handlers_[{method, path}] = h;
        if (method == "POST")
            srv_->Post(path, h);
        else
            srv_->Put(path, h);
    }

    // FastAPI order: header presence (422, combined with the other validation errors) → API key dependency
    // (500 not configured, 401 wrong) → query/body validation (422) → slowapi limit (429) → handler.
    void route(const httplib::Request& req, httplib::Response& res, const char* limit_name, int limit,
               const Validate& validate, const std::function<void(httplib::Response&)>& act) {
        json errors = json::array();
        if (!req.has_header("X-API-Key")) {
            errors.push_back(
                verr("missing", json::array({"header", "x-api-key"}), "Field required", nullptr));
            if (validate) validate(req, errors);
            return reply(res, 422, json{{"detail", errors}});
        }
        const std::string key = req.get_header_value("X-API-Key");
        if (!k_.api_key) return detail(res, 500, "API_KEY not configured");
        if (key != *k_.api_key) return detail(res, 401, "Invalid API key");
        if (validate) validate(req, errors);
        if (!errors.empty()) return reply(res, 422, json{{"detail", errors}});
        if (limit_name != nullptr && !rl_.hit(limit_name, key, limit)) {
            res.set_header("retry-after", "60");
            return reply(res, 429, json{{"error", std::to_string(limit) + " per 1 minute"}});
        }
        act(res);
    }

    void spawn(const httplib::Request& q, httplib::Response& r, bool drivers) {
        const long max_n = drivers ? 100 : 2000;
        struct Parsed {
            long long n = 0;
            bool scheduled = false;
        };
        auto p = std::make_shared<Parsed>();
        p->scheduled = !drivers;  // server default: immediate for drivers, scheduled for riders
        route(
            q, r, drivers ? "spawn_drivers" : "spawn_riders", 30,
            [p, max_n](const httplib::Request& req, json& errors) {
                if (req.has_param("mode")) {
                    const std::string m = req.get_param_value("mode");
                    if (m == "immediate")
                        p->scheduled = false;
                    else if (m == "scheduled")
                        p->scheduled = true;
                    else
                        errors.push_back(verr("enum", json::array({"query", "mode"}),
                                              "Input should be 'immediate' or 'scheduled'", m,
                                              json{{"expected", "'immediate' or 'scheduled'"}}));
                }
                auto body = object_body(req, errors);
                if (!body) return;
                const json loc = json::array({"body", "count"});
                if (!body->contains("count")) {
                    errors.push_back(verr("missing", loc, "Field required", *body));
                    return;
                }
                const json& v = (*body)["count"];
                auto n = lax_int(v, loc, errors);
                if (!n) return;
                if (*n < 1)
                    errors.push_back(verr("greater_than_equal", loc,
                                          "Input should be greater than or equal to 1", v, json{{"ge", 1}}));
                else if (*n > max_n)
                    errors.push_back(verr("less_than_equal", loc,
                                          "Input should be less than or equal to " + std::to_string(max_n), v,
                                          json{{"le", max_n}}));
                p->n = *n;
            },
            [this, p, drivers](httplib::Response& res) {
                const long n = static_cast<long>(p->n);
                if (auto active = eng_.spawn(drivers, n, p->scheduled)) {
                    std::string msg = std::string(drivers ? "Driver" : "Rider") +
                                      " capacity limit exceeded: " + std::to_string(*active) + " + " +
                                      std::to_string(n) + " > " +
                                      std::to_string(drivers ? kMaxDrivers : kMaxRiders);
                    return detail(res, 400, msg);
                }
                const double rate = p->scheduled ? kScheduledRate : kImmediateRate;
                reply(res, 200,
                      json{{"queued", n},
                           {"spawn_rate", rate},
                           {"estimated_completion_seconds", static_cast<double>(n) / rate}});
            });
    }

    Knobs k_;
    Engine& eng_;
    RateLimiter rl_;
    httplib::Server* srv_ = nullptr;
    std::map<std::pair<std::string, std::string>, httplib::Server::Handler> handlers_;
};

}  // namespace

int main() {
    const Knobs k = read_knobs();
    // block termination signals in every thread; a dedicated thread waits for them
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    signal(SIGPIPE, SIG_IGN);

    Engine engine(k);
    App app(k, engine);
    httplib::Server srv;
    app.install(srv);
    srv.set_keep_alive_max_count(1000);
    if (!srv.bind_to_port("127.0.0.1", k.port)) {
        std::fprintf(stderr, "fatal: cannot bind 127.0.0.1:%d\n", k.port);
        return 1;
    }
    std::fprintf(stderr,
                 "[simulation] listening on 127.0.0.1:%d (api_key %s, cpu/agent %.4f, mem/agent %ld KB, base "
                 "%ld MB, leak %.1f "
                 "MB/min, max_cores %.2f, rate_limits %s, speed %d)\n",
                 k.port, k.api_key ? "set" : "NOT SET", k.cpu_per_agent, k.mem_per_agent_kb, k.base_mem_mb,
                 k.leak_mb_per_min, k.max_cores, k.rate_limits ? "on" : "off", k.initial_speed);
    std::thread sig([&srv, set] {
        int s = 0;
        sigwait(&set, &s);
        std::fprintf(stderr, "[simulation] signal %d: shutting down\n", s);
        srv.stop();
    });
    sig.detach();
    srv.listen_after_bind();
    return 0;
}
