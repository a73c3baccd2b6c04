#pragma once
// A client of one Prometheus server's HTTP API over the project's HttpClient: instant and range queries, the
// targets list, readiness. Counts the requests it sent (the cost figures of the Prometheus source).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "perfrunner/adapters/http_client.hpp"
#include "perfrunner/adapters/prometheus_api.hpp"

namespace perfrunner::adapters {

struct PrometheusClientOptions {
    std::string base_url = "http://127.0.0.1:9090";
    double timeout_seconds = 5.0;
    double connect_timeout_seconds = 5.0;
};

// Prometheus refuses a range query of more than 11,000 points per series; chunks stay below this.
inline constexpr long kMaxPointsPerRangeRequest = 10000;

class PrometheusClient {
  public:
    explicit PrometheusClient(PrometheusClientOptions options);

    // GET /api/v1/query (at `time` when given, else Prometheus' now). Throws HttpError (no answer),
    // prometheus::ApiError (an error answer) or RuntimeFailure (not the API's JSON).
    prometheus::QueryResult query(const std::string& promql, std::optional<double> time = std::nullopt);
    // GET /api/v1/query_range from start to end (aligned outwards to multiples of step), in requests of at
    // most kMaxPointsPerRangeRequest steps whose matrices are merged series by series.
    prometheus::QueryResult query_range(const std::string& promql, double start, double end, double step);
    // GET /api/v1/targets?state=active.
    std::vector<prometheus::Target> targets();
    // GET /-/ready; throws HttpError when not ready or unreachable.
    void ready();

    std::size_t requests_sent() const noexcept { return requests_; }
    const std::string& base_url() const noexcept { return options_.base_url; }

  private:
    HttpResponse get(const std::string& path_and_query);

    PrometheusClientOptions options_;
    HttpClient http_;
    std::size_t requests_ = 0;
};

// Percent-encoding of a query-string value (RFC 3986 unreserved characters stay).
std::string url_encode(std::string_view text);

}  // namespace perfrunner::adapters
