#include "perfrunner/adapters/prometheus_client.hpp"

#include <cmath>
#include <map>

#include <fmt/format.h>

namespace perfrunner::adapters {

namespace pr = prometheus;

std::string url_encode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() * 3);
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0x0F];
        }
    }
    return out;
}

PrometheusClient::PrometheusClient(PrometheusClientOptions options)
    : options_(std::move(options)),
      http_(HttpClientOptions{
          .connect_timeout_seconds = options_.connect_timeout_seconds,
          .timeout_seconds = options_.timeout_seconds,
          .max_retries = 0,  // a failed tick is a gap; the next tick (or the backfill) retries
          .backoff_initial_seconds = 0.5,
          .default_retry_after_seconds = 60.0,
          .api_key = {},
          .sleep = {},
          .max_body_bytes = std::size_t{64} << 20U}) {
    while (!options_.base_url.empty() && options_.base_url.back() == '/') {
        options_.base_url.pop_back();
    }
}

HttpResponse PrometheusClient::get(const std::string& path_and_query) {
    ++requests_;
    HttpRequest request;
    request.url = options_.base_url + path_and_query;
    return http_.send(request);  // every answer is returned: error answers carry the API's JSON
}

pr::QueryResult PrometheusClient::query(const std::string& promql, std::optional<double> time) {
    std::string path = "/api/v1/query?query=" + url_encode(promql);
    if (time) {
        path += fmt::format("&time={:.3f}", *time);
    }
    const auto response = get(path);
    return pr::parse_query_response(response.body, response.status,
                                    "GET " + options_.base_url + "/api/v1/query");
}

pr::QueryResult PrometheusClient::query_range(const std::string& promql, double start, double end,
                                              double step) {
    if (!(step > 0.0) || !(end >= start)) {
        throw RuntimeFailure(
            fmt::format("Prometheus query_range: bad range start {} end {} step {}", start, end, step));
    }
    const double first = std::floor(start / step) * step;
    const double last = std::ceil(end / step) * step;
    pr::QueryResult merged;
    merged.type = pr::ResultType::matrix;
    std::map<pr::Labels, std::size_t> index;
    for (double chunk_start = first; chunk_start <= last;) {
        const double chunk_end =
            std::min(last, chunk_start + step * static_cast<double>(kMaxPointsPerRangeRequest - 1));
        const auto response =
            get(fmt::format("/api/v1/query_range?query={}&start={:.3f}&end={:.3f}&step={:.3f}",
                            url_encode(promql), chunk_start, chunk_end, step));
        auto part = pr::parse_query_response(response.body, response.status,
                                             "GET " + options_.base_url + "/api/v1/query_range");
        for (auto& w : part.warnings) {
            merged.warnings.push_back(std::move(w));
        }
        for (auto& s : part.series) {
            const auto [it, inserted] = index.emplace(s.labels, merged.series.size());
            if (inserted) {
                merged.series.push_back(std::move(s));
            } else {
                auto& points = merged.series[it->second].points;
                points.insert(points.end(), s.points.begin(), s.points.end());
            }
        }
        chunk_start = chunk_end + step;
    }
    return merged;
}

std::vector<pr::Target> PrometheusClient::targets() {
    const auto response = get("/api/v1/targets?state=active");
    return pr::parse_targets_response(response.body, response.status,
                                      "GET " + options_.base_url + "/api/v1/targets");
}

void PrometheusClient::ready() {
    ++requests_;
    http_.get_ok(options_.base_url + "/-/ready");
}

}  // namespace perfrunner::adapters
