#pragma once
// Per-container CPU and memory through Prometheus (../shared/spec/prometheus.md), behind the same port as the
// cAdvisor source: one instant query per tick for every container on every host (prometheus_query.hpp), and
// the same query through query_range to backfill ticks perfrunner missed.
//
// CPU % is computed like the cAdvisor source's: (counter_now - counter_prev) / (sample_time_now -
// sample_time_prev) with the counter and cAdvisor's own sample timestamps the tick query returns; rate() over
// the window serves the first tick of a sequence only. rate() divides the increase by its whole window, but
// cAdvisor's samples reach Prometheus 1-2.5 s after they were taken and irregularly, so a 4-s rate() read
// 10-30 % low on the bundled stack (rate[4s] 0.27-0.41 cores where deriv/irate read 0.40-0.42).
//
// Per-sample semantics, as the cAdvisor source's:
//   missing        no series of the container, or its newest sample is older than stale_after (a container
//   that
//                  is gone keeps answering with its last value for 5 minutes: cAdvisor sends explicit
//                  timestamps, so Prometheus writes no staleness marker)
//   stale          the newest sample is the one of the previous tick: memory as before, cpu null
//   counter_reset  the CPU counter went down or the cgroup id changed (restart / recreate): cpu null
//   NaN / ±Inf     a figure that is not finite is absent (cpu null; rss/usage null; limit = unlimited); a
//   working
//                  set that is not finite makes the container missing in that sample, with a note in `error`
// One configured name matching containers on several hosts gives one reading per host (the same name on two
// hosts stays two containers); on one host the freshest series wins (a recreated container's old id lingers).
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "perfrunner/adapters/cadvisor_sampler.hpp"
#include "perfrunner/adapters/prometheus_client.hpp"
#include "perfrunner/adapters/prometheus_query.hpp"
#include "perfrunner/ports/metrics_source.hpp"

namespace perfrunner::adapters {

struct PrometheusSamplerOptions {
    PrometheusClientOptions client;
    std::vector<CatalogueContainer> containers;
    std::string compose_project;  // when set, Docker series must carry this compose project label
    prometheus::LabelMapping labels;
    double window_seconds = 0.0;  // rate() window; 0 = 4 x the longest scrape interval of the active targets
    double stale_after_seconds = 0.0;  // 0 = 2 x the window
    bool read_host = true;
};

// CPU baselines of one sequence of ticks (live polling, or one backfill), per configured container and host.
struct PrometheusBaselines {
    struct Baseline {
        std::string id;
        double sample_time = 0.0;
        double cpu_total_seconds = 0.0;
    };
    std::map<std::pair<std::string, std::string>, Baseline> by_container;
};

using ports::TimedReading;

class PrometheusSampler final : public ports::MetricsSource {
  public:
    explicit PrometheusSampler(PrometheusSamplerOptions options);

    ports::MetricsReading poll() override;
    void reset_baselines() override { live_.by_container.clear(); }

    // The readings of every `step` from start to end (aligned to the step), from one query_range sequence
    // with its own baselines (live polling is not disturbed). Throws on failure (HttpError, ApiError,
    // RuntimeFailure).
    std::vector<TimedReading> backfill(double start, double end, double step) override;

    // The computation behind poll() and backfill(), fed with decoded figures (unit tests feed recorded
    // answers).
    ports::MetricsReading evaluate(const prometheus::TickFigures& tick, PrometheusBaselines& baselines) const;

    // The rate window: the configured one, else 4 x the longest scrape interval of the active targets (asked
    // once; throws when the targets cannot be read).
    double window_seconds();
    double stale_after_seconds();
    std::optional<double> scrape_interval_seconds() const { return scrape_interval_; }
    std::string tick_query();  // the PromQL of one tick, as sent

    PrometheusClient& client() { return client_; }
    const PrometheusSamplerOptions& options() const noexcept { return options_; }

  private:
    PrometheusSamplerOptions options_;
    PrometheusClient client_;
    PrometheusBaselines live_;
    std::optional<double> window_;
    std::optional<double> scrape_interval_;
};

}  // namespace perfrunner::adapters
