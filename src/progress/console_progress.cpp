#include "perfrunner/progress/console_progress.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "perfrunner/model/timestamps.hpp"

namespace perfrunner::progress {
namespace {

std::string clock_text(double seconds) {
    if (!(seconds >= 0) || !std::isfinite(seconds)) {
        seconds = 0;
    }
    const long s = std::lround(seconds);
    if (s >= 3600) {
        return fmt::format("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60);
    }
    return fmt::format("{:02}:{:02}", s / 60, s % 60);
}

std::string short_name(const std::string& name) {
    return name.rfind("rideshare-", 0) == 0 ? name.substr(10) : name;
}

}  // namespace

ConsoleProgress::ConsoleProgress(const config::Config& config, Mode mode, std::FILE* out,
                                 std::function<double()> now, double log_interval_seconds)
    : config_(config), mode_(mode), out_(out), now_(std::move(now)), log_interval_(log_interval_seconds) {}

std::string ConsoleProgress::stamp() const {
    std::string iso = model::iso_utc(now_());
    // Seconds are enough for a log line: 2026-02-12T19:30:00Z
    if (iso.size() > 19) {
        iso = iso.substr(0, 19) + "Z";
    }
    return iso;
}

void ConsoleProgress::clear_line() {
    if (mode_ == Mode::terminal && line_open_) {
        std::fputs("\r\033[K", out_);
        line_open_ = false;
    }
}

void ConsoleProgress::phase_started(const PhaseInfo& phase) {
    phase_ = phase;
    clear_line();
    const std::string planned =
        phase.planned_seconds > 0 ? " (" + clock_text(phase.planned_seconds) + ")" : "";
    if (mode_ == Mode::terminal) {
        std::fprintf(out_, "== %s: %s%s\n", phase.scenario.c_str(), phase.phase.c_str(), planned.c_str());
    } else {
        std::fprintf(out_, "%s %s: %s started%s\n", stamp().c_str(), phase.scenario.c_str(),
                     phase.phase.c_str(), planned.c_str());
    }
    std::fflush(out_);
    last_log_ = now_();
}

std::string ConsoleProgress::status_text(const model::RunResult& run, const model::Sample& sample,
                                         const LiveFigures& live) const {
    const double elapsed = sample.timestamp - phase_.started_at;
    std::string text = fmt::format("[{} {}] {}", phase_.scenario, phase_.phase, clock_text(elapsed));
    if (phase_.planned_seconds > 0) {
        text += " / " + clock_text(phase_.planned_seconds) +
                fmt::format(" (-{})", clock_text(phase_.planned_seconds - elapsed));
    }
    if (live.drivers_queued > 0 || live.riders_queued > 0) {
        text += fmt::format("  agents {}+{}", live.drivers_queued, live.riders_queued);
    }
    if (sample.containers.empty()) {
        text += "  metrics: " + sample.error.value_or("no data");
        return text;
    }
    // Busiest containers: highest share of either threshold.
    struct Row {
        std::string name;
        double cpu, cpu_thr, mem, load;
    };
    std::vector<Row> rows;
    const double mem_thr = config_.scenarios.stress_memory_threshold_percent;
    for (const auto& c : sample.containers) {
        if (c.missing) {
            continue;
        }
        const double cores = c.cpu_cores_effective.value_or(1.0);
        const double cpu_thr = config_.scenarios.stress_cpu_threshold_percent * cores;
        const double cpu = c.cpu_percent.value_or(0.0);
        const double load = std::max(cpu / cpu_thr, c.memory_percent / mem_thr);  // thresholds validated > 0
        rows.push_back({run.container_name(c.container), cpu, cpu_thr, c.memory_percent, load});
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.load > b.load; });
    for (std::size_t i = 0; i < rows.size() && i < 3; ++i) {
        text += fmt::format("  {} cpu {:.0f}/{:.0f}% mem {:.0f}/{:.0f}%", short_name(rows[i].name),
                            rows[i].cpu, rows[i].cpu_thr, rows[i].mem, mem_thr);
    }
    if (sample.pace && sample.pace->real_time_ratio) {
        text += fmt::format("  rtr {:.2f}", *sample.pace->real_time_ratio);
    }
    if (sample.error) {
        text += "  (" + *sample.error + ")";
    }
    return text;
}

void ConsoleProgress::sample_taken(const model::RunResult& run, const model::Sample& sample,
                                   const LiveFigures& live) {
    if (mode_ == Mode::terminal) {
        std::string text = status_text(run, sample, live);
        if (text.size() > 200) {
            text.resize(200);
        }
        std::fprintf(out_, "\r\033[K%s", text.c_str());
        line_open_ = true;
        std::fflush(out_);
        return;
    }
    const double now = now_();
    if (now - last_log_ < log_interval_) {
        return;
    }
    last_log_ = now;
    std::fprintf(out_, "%s %s\n", stamp().c_str(), status_text(run, sample, live).c_str());
    std::fflush(out_);
}

void ConsoleProgress::note(std::string_view text) {
    clear_line();
    if (mode_ == Mode::terminal) {
        std::fprintf(out_, "   %.*s\n", static_cast<int>(text.size()), text.data());
    } else {
        std::fprintf(out_, "%s %.*s\n", stamp().c_str(), static_cast<int>(text.size()), text.data());
    }
    std::fflush(out_);
}

void ConsoleProgress::finished() {
    clear_line();
    std::fflush(out_);
}

}  // namespace perfrunner::progress
