// Shared helpers of the stand-in services (simulation + kafka worker): environment knobs, a CPU burner that
// consumes real CPU time at a requested number of cores and measures what it really got, and touched
// anonymous memory blocks that are returned to the OS on release.
#pragma once

#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace standin {

// ------------------------------------------------------------------ environment knobs
[[noreturn]] inline void die(const std::string& msg) {
    std::fprintf(stderr, "fatal: %s\n", msg.c_str());
    std::exit(2);
}

inline double env_double(const char* name, double def, double lo, double hi) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') return def;
    char* end = nullptr;
    double d = std::strtod(v, &end);
    if (end == v || *end != '\0' || !std::isfinite(d) || d < lo || d > hi) {
        die(std::string(name) + "='" + v + "' must be a number in [" + std::to_string(lo) + ", " +
            std::to_string(hi) + "]");
    }
    return d;
}

inline long env_long(const char* name, long def, long lo, long hi) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') return def;
    char* end = nullptr;
    long d = std::strtol(v, &end, 10);
    if (end == v || *end != '\0' || d < lo || d > hi) {
        die(std::string(name) + "='" + v + "' must be an integer in [" + std::to_string(lo) + ", " +
            std::to_string(hi) + "]");
    }
    return d;
}

inline bool env_bool(const char* name, bool def) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') return def;
    std::string s(v);
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (s == "1" || s == "true" || s == "yes" || s == "on") return true;
    if (s == "0" || s == "false" || s == "no" || s == "off") return false;
    die(std::string(name) + "='" + v + "' must be 0/1/true/false");
}

inline std::string env_str(const char* name, const std::string& def) {
    const char* v = std::getenv(name);
    return (v == nullptr || *v == '\0') ? def : std::string(v);
}

inline int64_t thread_cpu_ns() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

inline int64_t mono_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// ------------------------------------------------------------------ memory
// One mmap'd anonymous block whose pages are all written (so they count in RSS / the cgroup working set).
// munmap on destruction gives the pages back to the OS immediately.
class Block {
  public:
    Block() = default;
    explicit Block(size_t bytes) : size_(bytes) {
        if (bytes == 0) return;
        void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            size_ = 0;
            return;
        }
        ptr_ = static_cast<unsigned char*>(p);
        const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
        for (size_t off = 0; off < bytes; off += page) ptr_[off] = static_cast<unsigned char>(off / page | 1);
        ptr_[bytes - 1] = 1;
    }
    Block(const Block&) = delete;
    Block& operator=(const Block&) = delete;
    Block(Block&& o) noexcept : ptr_(o.ptr_), size_(o.size_) {
        o.ptr_ = nullptr;
        o.size_ = 0;
    }
    Block& operator=(Block&& o) noexcept {
        if (this != &o) {
            release();
            ptr_ = o.ptr_;
            size_ = o.size_;
            o.ptr_ = nullptr;
            o.size_ = 0;
        }
        return *this;
    }
    ~Block() { release(); }
    void release() {
        if (ptr_ != nullptr) munmap(ptr_, size_);
        ptr_ = nullptr;
        size_ = 0;
    }
    size_t size() const { return size_; }

  private:
    unsigned char* ptr_ = nullptr;
    size_t size_ = 0;
};

// ------------------------------------------------------------------ CPU burner
// `threads` worker threads; set_demand(cores) asks for that many cores in total (capped at max_cores). Each
// worker runs 20-ms periods and spins until its own thread CPU time in the period reaches its share (or the
// period ends). consumed_ns() is the real CPU time the workers obtained: under a cgroup CPU quota or on a
// busy host it falls below the demand, which the simulation uses to slow its simulated clock.
class Burner {
  public:
    explicit Burner(double max_cores) : max_cores_(std::max(0.0, max_cores)) {
        int n = std::max(1, static_cast<int>(std::ceil(max_cores_)));
        for (int i = 0; i < n; ++i) workers_.push_back(std::make_unique<Worker>());
        for (auto& w : workers_) {
            Worker* wp = w.get();
            w->th = std::thread([this, wp] { run(*wp); });
        }
    }
    Burner(const Burner&) = delete;
    Burner& operator=(const Burner&) = delete;
    ~Burner() {
        stop_.store(true);
        for (auto& w : workers_)
            if (w->th.joinable()) w->th.join();
    }
    // total cores requested (clamped to [0, max_cores])
    void set_demand(double cores) {
        double c = std::clamp(cores, 0.0, max_cores_);
        share_.store(c / static_cast<double>(workers_.size()));
    }
    double max_cores() const { return max_cores_; }
    int64_t consumed_ns() const {
        int64_t s = 0;
        for (auto& w : workers_) s += w->consumed.load(std::memory_order_relaxed);
        return s;
    }

  private:
    struct Worker {
        std::thread th;
        std::atomic<int64_t> consumed{0};
    };
    void run(Worker& w) {
        constexpr int64_t kPeriod = 20'000'000;  // 20 ms
        uint64_t x = 0x9E3779B97F4A7C15ULL ^ reinterpret_cast<uintptr_t>(&w);
        int64_t cpu_base = thread_cpu_ns();
        while (!stop_.load(std::memory_order_relaxed)) {
            double share = share_.load(std::memory_order_relaxed);
            if (share <= 0.0) {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                int64_t c = thread_cpu_ns();
                w.consumed.fetch_add(c - cpu_base, std::memory_order_relaxed);
                cpu_base = c;
                continue;
            }
            const int64_t t0 = mono_ns();
            const int64_t c0 = thread_cpu_ns();
            const auto target = static_cast<int64_t>(share * kPeriod);
            int64_t c = c0;
            while (c - c0 < target && mono_ns() - t0 < kPeriod) {
                for (int i = 0; i < 2000; ++i) {  // ~ a few µs of integer work between clock reads
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                }
                sink_.store(x, std::memory_order_relaxed);
                c = thread_cpu_ns();
            }
            w.consumed.fetch_add(c - cpu_base, std::memory_order_relaxed);
            cpu_base = c;
            const int64_t left = kPeriod - (mono_ns() - t0);
            if (left > 0) std::this_thread::sleep_for(std::chrono::nanoseconds(left));
        }
    }

    double max_cores_;
    std::vector<std::unique_ptr<Worker>> workers_;
    std::atomic<double> share_{0.0};
    std::atomic<bool> stop_{false};
    std::atomic<uint64_t> sink_{0};
};

}  // namespace standin
