#pragma once
// The Prometheus HTTP API's documents (../shared/spec/prometheus.md): query results (vector, matrix, scalar,
// string) with values sent as strings ("NaN", "+Inf" included), error answers with their errorType, the
// targets list, and Prometheus' duration syntax. Pure parsing: no I/O here.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "perfrunner/error.hpp"

namespace perfrunner::adapters::prometheus {

using Labels = std::map<std::string, std::string>;

struct Point {
    double time = 0.0;   // unix seconds (Prometheus sends millisecond resolution)
    double value = 0.0;  // may be NaN or ±Inf
};

struct Series {
    Labels labels;              // without __name__ when the expression dropped it
    std::vector<Point> points;  // vector and scalar: one point; matrix: oldest first
};

enum class ResultType { vector, matrix, scalar, string };

struct QueryResult {
    ResultType type = ResultType::vector;
    std::vector<Series> series;
    std::string string_value;  // resultType "string"
    std::vector<std::string> warnings;
};

// Prometheus answered, but with "status":"error" (bad PromQL, too many points, timeout, not ready...).
class ApiError : public RuntimeFailure {
  public:
    ApiError(const std::string& message, long http_status, std::string error_type, std::string error)
        : RuntimeFailure(message),
          http_status_(http_status),
          error_type_(std::move(error_type)),
          error_(std::move(error)) {}
    long http_status() const noexcept { return http_status_; }
    const std::string& error_type() const noexcept { return error_type_; }  // "bad_data", "timeout", ...
    const std::string& error() const noexcept { return error_; }

  private:
    long http_status_;
    std::string error_type_;
    std::string error_;
};

// A sample value as Prometheus writes it: "NaN", "+Inf", "-Inf", or a decimal / exponent number.
std::optional<double> parse_value(std::string_view text);

// Prometheus durations: "500ms", "15s", "1m30s", "2h", "1d", "1w", "1y". nullopt when malformed.
std::optional<double> parse_duration_seconds(std::string_view text);

// The body of /api/v1/query or /api/v1/query_range. `what` names the request in error messages. Throws
// ApiError for an error answer (any HTTP status) and RuntimeFailure for a body that is not the API's JSON.
QueryResult parse_query_response(std::string_view body, long http_status, std::string_view what);

struct Target {
    Labels labels;  // after relabelling: job, instance, and any target labels
    std::string scrape_pool;
    std::string scrape_url;
    std::string health;  // "up" | "down" | "unknown"
    std::string last_error;
    std::optional<double> scrape_interval_seconds;
    std::optional<double> scrape_timeout_seconds;
};

// The active targets of /api/v1/targets.
std::vector<Target> parse_targets_response(std::string_view body, long http_status, std::string_view what);

// A PromQL string literal: "text" with \ and " escaped.
std::string promql_string(std::string_view text);
// `text` matched literally inside a PromQL (RE2) regular expression.
std::string regex_escape(std::string_view text);

}  // namespace perfrunner::adapters::prometheus
