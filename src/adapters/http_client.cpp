#include "perfrunner/adapters/http_client.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <thread>

#include <fmt/format.h>

#include "curl_library.hpp"
#include "perfrunner/config/secrets.hpp"
#include "perfrunner/model/utf8.hpp"

namespace perfrunner::adapters {
namespace {

// The body, held only up to the source's limit: a larger answer aborts the transfer (the write callback
// returning less than it got makes curl fail with CURLE_WRITE_ERROR) instead of filling memory.
struct BodySink {
    std::string* body = nullptr;
    std::size_t limit = 0;
    bool too_large = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* sink = static_cast<BodySink*>(user);
    const std::size_t n = size * count;
    if (n > sink->limit - std::min(sink->limit, sink->body->size())) {
        sink->too_large = true;
        return 0;
    }
    sink->body->append(data, n);
    return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* headers = static_cast<std::map<std::string, std::string>*>(user);
    std::string_view line(data, size * count);
    if (line.rfind("HTTP/", 0) == 0) {
        headers->clear();  // a new response (after a redirect or 100-continue) starts
        return size * count;
    }
    const auto colon = line.find(':');
    if (colon != std::string_view::npos) {
        std::string name(line.substr(0, colon));
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        std::string value(line.substr(colon + 1));
        const auto first = value.find_first_not_of(" \t");
        const auto last = value.find_last_not_of(" \t\r\n");
        value = first == std::string::npos ? std::string() : value.substr(first, last - first + 1);
        (*headers)[name] = value;
    }
    return size * count;
}

// Validation bounds every timeout (at most a day); the clamp keeps the cast defined whatever a caller passes,
// and never turns a huge value into curl's 0 = "no timeout".
long to_ms(double seconds) {
    constexpr double kMaxMs = 86400.0 * 1000.0;
    const double ms = seconds * 1000.0 + 0.5;
    return static_cast<long>(std::isfinite(ms) ? std::clamp(ms, 1.0, kMaxMs) : kMaxMs);
}

// Retry-After is honoured up to this: a server asking for days is answered by giving up after the retries.
constexpr double kMaxRetryAfterSeconds = 300.0;

bool is_idempotent(const HttpRequest& request) {
    if (request.idempotent) {
        return *request.idempotent;
    }
    return request.method == "GET" || request.method == "HEAD";
}

}  // namespace

std::string body_excerpt(std::string_view body, const std::string& secret, std::size_t max_chars) {
    // Only the start of a huge body is looked at (a secret is never longer than this margin).
    constexpr std::size_t kMargin = 4096;
    std::string text(body.substr(0, max_chars + kMargin));
    if (!secret.empty()) {
        for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3)) {
            text.replace(pos, secret.size(), "***");
        }
    }
    // One printable line of valid UTF-8: no terminal escape sequence or control character reaches a log,
    // an error or results.json.
    text = model::printable_text(text);
    const auto last = text.find_last_not_of(' ');
    text = last == std::string::npos ? std::string() : text.substr(0, last + 1);
    if (text.size() > max_chars) {
        text = std::string(model::utf8_prefix(text, max_chars - 3)) + "...";
    }
    return text;
}

double retry_after_seconds(const std::optional<std::string>& header_value, double fallback) {
    if (!header_value || header_value->empty()) {
        return fallback;
    }
    const std::string& v = *header_value;
    if (!std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c) != 0; })) {
        return fallback;
    }
    if (v.size() > 6) {
        return kMaxRetryAfterSeconds;  // days or more: capped
    }
    return std::min(static_cast<double>(std::stol(v)), kMaxRetryAfterSeconds);
}

struct HttpClient::Handle {
    const CurlLibrary& lib;
    CURL* curl = nullptr;
    Handle() : lib(curl_library()) {
        curl = lib.easy_init();
        if (curl == nullptr) {
            throw RuntimeFailure("http: curl_easy_init failed (out of memory?)");
        }
    }
    ~Handle() {
        if (curl != nullptr) {
            lib.easy_cleanup(curl);
        }
    }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
};

HttpClient::HttpClient(HttpClientOptions options)
    : options_(std::move(options)), handle_(std::make_unique<Handle>()) {
    if (!options_.sleep) {
        options_.sleep = [](double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); };
    }
}
HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

HttpResponse HttpClient::attempt(const HttpRequest& request) {
    const CurlLibrary& lib = handle_->lib;
    CURL* curl = handle_->curl;
    // reset keeps the connection cache, so keep-alive connections survive between requests.
    lib.easy_reset(curl);
    HttpResponse response;
    char error_buffer[CURL_ERROR_SIZE] = {0};
    // The options whose failure would change what is sent or remove a limit are checked.
    // Credentials in the URL (user:password@) never reach an error, a log or results.json.
    const std::string shown_url = config::redact_url_credentials(request.url);
    const auto required = [&](CURLcode code, const char* what) {
        if (code != CURLE_OK) {
            throw HttpError(fmt::format("{} {}: cannot set {} ({})", request.method, shown_url, what,
                                        lib.easy_strerror(code)),
                            request.method, shown_url, 0, "");
        }
    };
    required(lib.easy_setopt(curl, CURLOPT_URL, request.url.c_str()), "the URL");
    lib.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    lib.easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
    required(lib.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, to_ms(options_.connect_timeout_seconds)),
             "the connect timeout");
    required(lib.easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                             to_ms(request.timeout_seconds.value_or(options_.timeout_seconds))),
             "the timeout");
    BodySink sink{&response.body, options_.max_body_bytes, false};
    lib.easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    lib.easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    lib.easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    lib.easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
    lib.easy_setopt(curl, CURLOPT_PROXY, "");  // test traffic goes to 127.0.0.1 directly, never via a proxy
    lib.easy_setopt(curl, CURLOPT_USERAGENT, "perfrunner/" PERFRUNNER_VERSION);

    curl_slist* headers = nullptr;
    headers = lib.slist_append(headers, "Accept: application/json");
    std::string key_header;
    if (!options_.api_key.empty()) {
        key_header = "X-API-Key: " + options_.api_key;
        headers = lib.slist_append(headers, key_header.c_str());
    }
    if (request.body) {
        headers = lib.slist_append(headers, "Content-Type: application/json");
        lib.easy_setopt(curl, CURLOPT_POSTFIELDS, request.body->c_str());
        lib.easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body->size()));
    }
    if (request.method == "POST" && !request.body) {
        lib.easy_setopt(curl, CURLOPT_POSTFIELDS, "");
        lib.easy_setopt(curl, CURLOPT_POSTFIELDSIZE, 0L);
    }
    if (request.method != "GET" && request.method != "POST") {
        lib.easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    } else if (request.method == "GET" && request.body) {
        lib.easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "GET");  // cAdvisor's v1 API reads a body on GET
    }
    lib.easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

    const auto t0 = std::chrono::steady_clock::now();
    const CURLcode rc = lib.easy_perform(curl);
    response.elapsed_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    lib.easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
    lib.slist_free_all(headers);
    std::fill(key_header.begin(), key_header.end(), '\0');

    if (rc != CURLE_OK) {
        std::string why = error_buffer[0] != '\0' ? std::string(error_buffer) : lib.easy_strerror(rc);
        std::string what;
        if (sink.too_large) {
            what = fmt::format("answer larger than {} MiB, not read (is the URL right?)",
                               options_.max_body_bytes >> 20U);
        } else if (rc == CURLE_COULDNT_CONNECT) {
            what = "connection refused or unreachable";
        } else if (rc == CURLE_OPERATION_TIMEDOUT) {
            what = fmt::format("no complete answer within {:g} s",
                               request.timeout_seconds.value_or(options_.timeout_seconds));
        } else {
            what = "request failed";
        }
        HttpError error(fmt::format("{} {}: {} ({}) (is the service running and the URL right?)",
                                    request.method, shown_url, what, body_excerpt(why, options_.api_key)),
                        request.method, shown_url, 0, "");
        error.set_timed_out(rc == CURLE_OPERATION_TIMEDOUT);
        throw error;
    }
    lib.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
}

HttpResponse HttpClient::send(const HttpRequest& request) {
    const bool idempotent = is_idempotent(request);
    double backoff = options_.backoff_initial_seconds;
    const int max_retries = request.max_retries.value_or(options_.max_retries);
    int retries = 0;
    for (;;) {
        HttpResponse response;
        try {
            response = attempt(request);
        } catch (const HttpError&) {
            if (!idempotent || retries >= max_retries) {
                throw;
            }
            options_.sleep(backoff);
            backoff *= 2;
            ++retries;
            continue;
        }
        response.attempts = retries + 1;
        if (response.status == 429 && retries < max_retries) {
            std::optional<std::string> header;
            if (auto it = response.headers.find("retry-after"); it != response.headers.end()) {
                header = it->second;
            }
            options_.sleep(retry_after_seconds(header, options_.default_retry_after_seconds));
            ++retries;
            continue;
        }
        if (response.status >= 500 && idempotent && retries < max_retries) {
            options_.sleep(backoff);
            backoff *= 2;
            ++retries;
            continue;
        }
        return response;
    }
}

HttpError make_status_error(const HttpRequest& request, const HttpResponse& response,
                            const std::string& secret) {
    const std::string excerpt = body_excerpt(response.body, secret);
    std::string hint;
    if (response.status == 401 || response.status == 403) {
        hint = " (check the API key: api.api_key or PERFRUNNER_API_KEY)";
    }
    if (response.status == 422) {
        hint = " (the request was rejected as invalid; is the API key header sent?)";
    }
    if (response.status == 429) {
        hint = " (rate limited; retries exhausted)";
    }
    const std::string shown_url = config::redact_url_credentials(request.url);
    return HttpError(fmt::format("{} {}: HTTP {}: {}{}", request.method, shown_url, response.status,
                                 excerpt.empty() ? "<empty body>" : excerpt, hint),
                     request.method, shown_url, response.status, excerpt);
}

HttpResponse HttpClient::send_ok(const HttpRequest& request) {
    HttpResponse response = send(request);
    if (response.status < 200 || response.status >= 300) {
        throw make_status_error(request, response, options_.api_key);
    }
    return response;
}

HttpResponse HttpClient::get_ok(const std::string& url, std::optional<double> timeout_seconds) {
    HttpRequest request;
    request.url = url;
    request.timeout_seconds = timeout_seconds;
    return send_ok(request);
}

}  // namespace perfrunner::adapters
