#include "perfrunner/adapters/prometheus_sampler.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>

#include <fmt/format.h>

#include "perfrunner/adapters/cadvisor_json.hpp"
#include "perfrunner/model/timestamps.hpp"

namespace perfrunner::adapters {
namespace {

namespace pr = prometheus;

constexpr double kMiB = 1048576.0;
constexpr double kDefaultScrapeIntervalSeconds = 15.0;  // Prometheus' own default

std::optional<double> finite(const std::optional<double>& v) {
    if (v && std::isfinite(*v)) {
        return v;
    }
    return std::nullopt;
}

std::string label(const pr::Labels& labels, const std::string& key) {
    const auto it = labels.find(key);
    return it == labels.end() ? std::string() : it->second;
}

void append_note(std::string& error, const std::string& note) {
    error += (error.empty() ? "" : "; ") + note;
}

// A limit Prometheus reports as 0, huge, not finite or at least the host's memory means "no limit".
bool unlimited(const std::optional<double>& limit, const std::optional<double>& host_memory) {
    if (!limit || !std::isfinite(*limit) || *limit <= 0.0 || *limit >= 9.2e18) {
        return true;
    }
    const auto capacity = host_memory && std::isfinite(*host_memory) && *host_memory > 0
                              ? static_cast<std::uint64_t>(*host_memory)
                              : std::uint64_t{0};
    return cadvisor::memory_limit_is_unlimited(static_cast<std::uint64_t>(*limit), capacity);
}

}  // namespace

PrometheusSampler::PrometheusSampler(PrometheusSamplerOptions options)
    : options_(std::move(options)), client_(options_.client) {}

double PrometheusSampler::window_seconds() {
    if (window_) {
        return *window_;
    }
    if (options_.window_seconds > 0.0) {
        window_ = options_.window_seconds;
        return *window_;
    }
    double longest = 0.0;
    for (const auto& t : client_.targets()) {
        longest = std::max(longest, t.scrape_interval_seconds.value_or(0.0));
    }
    scrape_interval_ = longest > 0.0 ? longest : kDefaultScrapeIntervalSeconds;
    window_ = 4.0 * *scrape_interval_;
    return *window_;
}

double PrometheusSampler::stale_after_seconds() {
    return options_.stale_after_seconds > 0.0 ? options_.stale_after_seconds : 2.0 * window_seconds();
}

std::string PrometheusSampler::tick_query() {
    return pr::tick_query(options_.labels, options_.compose_project, window_seconds(), options_.read_host);
}

ports::MetricsReading PrometheusSampler::evaluate(const pr::TickFigures& tick,
                                                  PrometheusBaselines& baselines) const {
    ports::MetricsReading reading;
    reading.ok = true;
    const double stale_after = options_.stale_after_seconds > 0.0
                                   ? options_.stale_after_seconds
                                   : 2.0 * window_.value_or(options_.window_seconds);
    std::map<std::string, const pr::HostFigures*> hosts;
    for (const auto& h : tick.hosts) {
        hosts[h.host] = &h;
    }
    for (const auto& configured : options_.containers) {
        // per host: the freshest matching series whose newest sample is recent enough
        std::map<std::string, const pr::ContainerFigures*> chosen;
        for (const auto& c : tick.containers) {
            if (!pr::match_configured(configured.name, c.identity, options_.labels,
                                      options_.compose_project)) {
                continue;
            }
            if (!c.working_set_bytes || !std::isfinite(*c.working_set_bytes)) {
                append_note(reading.error, fmt::format("{}: working set is {}", configured.name,
                                                       c.working_set_bytes ? "not a number" : "absent"));
                continue;
            }
            const double sample_time = c.sample_time.value_or(0.0);
            if (stale_after > 0.0 && tick.time - sample_time > stale_after) {
                continue;  // a container that is gone: Prometheus still answers with its last value
            }
            const std::string host = pr::host_of(c.identity, options_.labels);
            auto& best = chosen[host];
            if (best == nullptr || sample_time > best->sample_time.value_or(0.0)) {
                best = &c;
            }
        }
        if (chosen.empty()) {
            reading.missing.push_back(configured.name);
            continue;
        }
        for (const auto& [host, c] : chosen) {
            const auto host_it = hosts.find(host);
            const pr::HostFigures* machine = host_it == hosts.end() ? nullptr : host_it->second;
            ports::ContainerReading r;
            r.name = configured.name;
            r.host = host;
            r.memory_used_mb = *c->working_set_bytes / kMiB;
            if (!unlimited(c->limit_bytes, machine ? machine->memory_bytes : std::nullopt)) {
                r.memory_limit_mb = *c->limit_bytes / kMiB;
                r.memory_percent = r.memory_used_mb / r.memory_limit_mb * 100.0;
            }
            if (const auto rss = finite(c->rss_bytes)) {
                r.memory_rss_mb = *rss / kMiB;
            }
            if (const auto usage = finite(c->usage_bytes)) {
                r.memory_usage_mb = *usage / kMiB;
            }
            const auto quota = finite(c->cpu_quota_us);
            const auto period = finite(c->cpu_period_us);
            const auto machine_cores = machine ? finite(machine->cores) : std::nullopt;
            if (configured.cpu_cores && *configured.cpu_cores > 0.0) {
                r.cpu_cores_effective = *configured.cpu_cores;
                r.cores_source = "override";
            } else if (quota && period && *quota > 0.0 && *period > 0.0) {
                r.cpu_cores_effective = *quota / *period;
                r.cores_source = "quota";
            } else if (machine_cores && *machine_cores > 0.0) {
                r.cpu_cores_effective = *machine_cores;
                r.cores_source = "machine";
            } else {
                r.cpu_cores_effective = 1.0;
                r.cores_source = "default";
            }
            if (c->sample_time) {
                r.cadvisor_timestamp = model::iso_utc(*c->sample_time);
            }
            // CPU, with the cAdvisor source's reset and staleness rules
            const std::string id = label(c->identity, "id");
            const auto total = finite(c->cpu_total_seconds);
            const auto rate = finite(c->cpu_cores);
            auto& baseline = baselines.by_container[{configured.name, host}];
            const bool have_baseline = !baseline.id.empty() || baseline.sample_time > 0.0;
            const double sample_time = c->sample_time.value_or(tick.time);
            if (total && have_baseline && (id != baseline.id || *total < baseline.cpu_total_seconds)) {
                r.counter_reset = true;
            } else if (have_baseline && sample_time <= baseline.sample_time) {
                r.stale = true;
            } else if (have_baseline && total) {
                // across the tick interval with the source's own timestamps, like the cAdvisor source: rate()
                // would divide by its whole window although cAdvisor's samples lag it (measured 10-30 % low)
                r.cpu_percent =
                    100.0 * (*total - baseline.cpu_total_seconds) / (sample_time - baseline.sample_time);
            } else if (rate && *rate >= 0.0) {
                r.cpu_percent = *rate * 100.0;  // first tick of a sequence: no earlier sample of ours
            }
            if (!r.stale && total) {
                baseline = {id, sample_time, *total};
            }
            reading.containers.push_back(std::move(r));
        }
    }
    for (const auto& h : tick.hosts) {
        ports::HostReading host;
        host.name = h.host;
        const auto cores = finite(h.cores);
        host.num_cores = cores ? static_cast<int>(std::lround(*cores)) : 0;
        if (const auto rate = finite(h.cpu_cores); rate && *rate >= 0.0) {
            host.cpu_percent = *rate * 100.0;
            if (host.num_cores > 0) {
                host.cpu_percent_of_host = *host.cpu_percent / host.num_cores;
            }
        }
        if (const auto ws = finite(h.working_set_bytes)) {
            host.memory_used_mb = *ws / kMiB;
        }
        if (const auto total = finite(h.memory_bytes)) {
            host.memory_total_mb = *total / kMiB;
        }
        reading.hosts.push_back(std::move(host));
    }
    if (!reading.hosts.empty()) {
        reading.host = reading.hosts.front();
    }
    reading.events_per_sec = tick.events_per_sec;
    return reading;
}

ports::MetricsReading PrometheusSampler::poll() {
    pr::TickFigures tick;
    try {
        const auto result = client_.query(tick_query());
        auto ticks = pr::decode_ticks(result, options_.labels);
        tick = std::move(ticks.front());
    } catch (const std::exception& e) {
        ports::MetricsReading failed;
        failed.ok = false;
        failed.error = fmt::format("prometheus: {}", e.what());
        return failed;
    }
    if (tick.time <= 0.0) {  // an empty answer carries no evaluation time
        tick.time =
            std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    }
    return evaluate(tick, live_);
}

std::vector<TimedReading> PrometheusSampler::backfill(double start, double end, double step) {
    // rate() over a range needs a window of at least one step, else steps fall between its samples
    const double window = std::max(window_seconds(), step);
    const auto query = pr::tick_query(options_.labels, options_.compose_project, window, options_.read_host);
    // One step more than asked, before the start: it gives the first asked step a CPU baseline, so every
    // backfilled figure is a counter delta over the source's own timestamps, as live ticks are. Without it
    // the first step took rate()'s figure, which falls up to 20 % low when scrapes land irregularly
    // (Prometheus then stops extrapolating to the window's edges).
    const auto result = client_.query_range(query, start - step, end, step);
    PrometheusBaselines baselines;
    std::vector<TimedReading> out;
    for (const auto& tick : pr::decode_ticks(result, options_.labels)) {
        auto reading = evaluate(tick, baselines);
        if (tick.time >= start - 0.5 * step) {
            out.push_back(TimedReading{tick.time, std::move(reading)});
        }
    }
    return out;
}

}  // namespace perfrunner::adapters
