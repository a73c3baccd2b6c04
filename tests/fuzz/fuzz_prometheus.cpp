// libFuzzer target: the Prometheus HTTP API's answers (/api/v1/query, /api/v1/query_range, /api/v1/targets)
// as the Prometheus source parses them, then the tick decoding of a query answer. The first byte picks the
// HTTP status (200 or an error status), the rest is the body.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "perfrunner/adapters/prometheus_api.hpp"
#include "perfrunner/adapters/prometheus_labels.hpp"
#include "perfrunner/adapters/prometheus_query.hpp"
#include "perfrunner/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace prometheus = perfrunner::adapters::prometheus;
    if (size == 0) {
        return 0;
    }
    const long status = (data[0] & 1U) != 0 ? 200 : 400 + static_cast<long>(data[0] % 104);
    const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        const auto result = prometheus::parse_query_response(body, status, "GET /api/v1/query");
        prometheus::LabelMapping docker;
        prometheus::LabelMapping kubernetes;
        kubernetes.scheme = prometheus::LabelScheme::kubernetes;
        kubernetes.host_label = "node";
        for (const auto* mapping : {&docker, &kubernetes}) {
            for (const auto& tick : prometheus::decode_ticks(result, *mapping)) {
                for (const auto& c : tick.containers) {
                    (void)prometheus::container_display_name(c.identity, *mapping);
                    (void)prometheus::match_configured("rideshare-simulation", c.identity, *mapping,
                                                       "rideshare");
                    (void)prometheus::match_configured("default/web-*/app", c.identity, *mapping, "");
                }
            }
        }
    } catch (const perfrunner::Error&) {
    }
    try {
        for (const auto& t : prometheus::parse_targets_response(body, status, "GET /api/v1/targets")) {
            (void)prometheus::host_of(t.labels, prometheus::LabelMapping{});
        }
    } catch (const perfrunner::Error&) {
    }
    (void)prometheus::parse_value(body);
    (void)prometheus::parse_duration_seconds(body);
    return 0;
}
