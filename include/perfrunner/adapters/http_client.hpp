#pragma once
// A small blocking HTTP client over libcurl. One CURL easy handle per client, reused for every request so
// connections are kept alive. Not thread-safe by design: give each thread its own client.
//
// Retries: transport failures and 5xx are retried (with exponential backoff) only for requests marked
// idempotent (GET by default); a 429 is retried for every request after its retry-after, because the server
// did not process it. At most max_retries retries in either case.
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "perfrunner/error.hpp"

namespace perfrunner::adapters {

struct HttpClientOptions {
    double connect_timeout_seconds = 5.0;
    double timeout_seconds = 30.0;  // total, per attempt
    int max_retries = 3;
    double backoff_initial_seconds = 0.5;       // doubled after each retry of a failed idempotent request
    double default_retry_after_seconds = 60.0;  // 429 without an integer retry-after header
    std::string api_key;  // sent as X-API-Key when not empty; never logged, redacted from error text
    // How the client waits between retries. Tests inject a recorder so a 60-s retry-after takes no time.
    std::function<void(double seconds)> sleep;
    // Longest body held; a larger answer fails the request (HttpError, status 0). Each source sets its own.
    std::size_t max_body_bytes = std::size_t{64} << 20U;
};

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    std::optional<std::string> body;        // sent as application/json when set
    std::optional<bool> idempotent;         // default: true for GET and HEAD
    std::optional<double> timeout_seconds;  // overrides the client's total timeout
    std::optional<int> max_retries;         // overrides the client's max_retries
};

struct HttpResponse {
    long status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // names lower-cased
    double elapsed_ms = 0.0;                     // last attempt
    int attempts = 1;
};

// An HTTP call that failed: the transport failed (status 0) or the server answered with a non-2xx status.
// what() names method, URL, status and a body excerpt of at most 200 characters.
class HttpError : public RuntimeFailure {
  public:
    HttpError(const std::string& message, std::string method, std::string url, long status,
              std::string excerpt)
        : RuntimeFailure(message),
          method_(std::move(method)),
          url_(std::move(url)),
          status_(status),
          excerpt_(std::move(excerpt)) {}
    const std::string& method() const noexcept { return method_; }
    const std::string& url() const noexcept { return url_; }
    long status() const noexcept { return status_; }  // 0 = no HTTP answer (refused, timeout, DNS, ...)
    const std::string& body_excerpt() const noexcept { return excerpt_; }
    bool timed_out() const noexcept { return timed_out_; }
    void set_timed_out(bool v) noexcept { timed_out_ = v; }

  private:
    std::string method_;
    std::string url_;
    long status_;
    std::string excerpt_;
    bool timed_out_ = false;
};

// At most `max_chars` bytes of `body` on one printable line of valid UTF-8 (control characters and escape
// sequences become spaces, ill-formed bytes U+FFFD, never cut inside a character), with `secret` (when not
// empty) replaced by "***".
std::string body_excerpt(std::string_view body, const std::string& secret = {}, std::size_t max_chars = 200);

// Seconds to wait for a 429's retry-after value: the integer when it is one (at most 300), else `fallback`.
double retry_after_seconds(const std::optional<std::string>& header_value, double fallback);

class HttpClient {
  public:
    explicit HttpClient(HttpClientOptions options);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;
    HttpClient(HttpClient&&) noexcept;
    HttpClient& operator=(HttpClient&&) noexcept;

    // Sends with retries and returns the final response whatever its status. Throws HttpError only when no
    // HTTP answer arrived (after the allowed retries).
    HttpResponse send(const HttpRequest& request);
    // As send(), but a non-2xx final status throws HttpError.
    HttpResponse send_ok(const HttpRequest& request);
    HttpResponse get_ok(const std::string& url, std::optional<double> timeout_seconds = std::nullopt);

    const HttpClientOptions& options() const noexcept { return options_; }

  private:
    struct Handle;
    HttpResponse attempt(const HttpRequest& request);
    HttpClientOptions options_;
    std::unique_ptr<Handle> handle_;
};

// The error for a non-2xx response (also used by callers that inspect a response themselves).
HttpError make_status_error(const HttpRequest& request, const HttpResponse& response,
                            const std::string& secret);

}  // namespace perfrunner::adapters
