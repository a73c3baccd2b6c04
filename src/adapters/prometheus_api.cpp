#include "perfrunner/adapters/prometheus_api.hpp"

#include <cmath>
#include <cstdlib>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "perfrunner/adapters/http_client.hpp"
#include "perfrunner/adapters/json_input.hpp"

namespace perfrunner::adapters::prometheus {
namespace {

using nlohmann::json;

json parse_document(std::string_view body, long http_status, std::string_view what) {
    json doc;
    try {
        doc = parse_json_input(body);
    } catch (const json::exception&) {
        throw RuntimeFailure(
            fmt::format("Prometheus {}: HTTP {} with a body that is not the API's JSON: {} (is this "
                        "a Prometheus server?)",
                        what, http_status, body_excerpt(body)));
    }
    if (!doc.is_object() || !doc.contains("status") || !doc["status"].is_string()) {
        throw RuntimeFailure(fmt::format("Prometheus {}: HTTP {} without a \"status\" member: {}", what,
                                         http_status, body_excerpt(body)));
    }
    if (doc["status"] != "success") {
        const std::string type = doc.value("errorType", std::string("unknown"));
        const std::string error = doc.value("error", std::string());
        throw ApiError(fmt::format("Prometheus {}: {} (HTTP {}, {})", what, error, http_status, type),
                       http_status, type, error);
    }
    if (http_status < 200 || http_status >= 300) {
        throw RuntimeFailure(fmt::format("Prometheus {}: HTTP {} with status success", what, http_status));
    }
    return doc;
}

Labels parse_labels(const json& metric) {
    Labels labels;
    if (!metric.is_object()) {
        return labels;
    }
    for (const auto& [key, value] : metric.items()) {
        if (value.is_string()) {
            labels.emplace(key, value.get<std::string>());
        }
    }
    return labels;
}

// [<unix time>, "<value>"]
Point parse_point(const json& pair, std::string_view what) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_number() || !pair[1].is_string()) {
        throw RuntimeFailure(fmt::format("Prometheus {}: a sample is not [time, \"value\"]: {}", what,
                                         body_excerpt(pair.dump())));
    }
    const auto value = parse_value(pair[1].get<std::string>());
    if (!value) {
        throw RuntimeFailure(fmt::format("Prometheus {}: sample value \"{}\" is not a number", what,
                                         pair[1].get<std::string>()));
    }
    return Point{pair[0].get<double>(), *value};
}

}  // namespace

std::optional<double> parse_value(std::string_view text) {
    if (text == "NaN") {
        return std::numeric_limits<double>::quiet_NaN();
    }
    if (text == "+Inf" || text == "Inf") {
        return std::numeric_limits<double>::infinity();
    }
    if (text == "-Inf") {
        return -std::numeric_limits<double>::infinity();
    }
    if (text.empty() || text.size() > 64) {
        return std::nullopt;
    }
    const std::string copy(text);
    char* end = nullptr;
    const double v = std::strtod(copy.c_str(), &end);
    if (end != copy.c_str() + copy.size() || std::isnan(v) || std::isinf(v)) {
        return std::nullopt;  // other spellings of NaN/Inf are not Prometheus' own
    }
    return v;
}

std::optional<double> parse_duration_seconds(std::string_view text) {
    if (text.empty()) {
        return std::nullopt;
    }
    double total = 0.0;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t digits = i;
        while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
            ++digits;
        }
        if (digits == i) {
            return std::nullopt;
        }
        const double n = std::stod(std::string(text.substr(i, digits - i)));
        std::size_t unit_end = digits;
        while (unit_end < text.size() && (text[unit_end] < '0' || text[unit_end] > '9')) {
            ++unit_end;
        }
        const std::string_view unit = text.substr(digits, unit_end - digits);
        double scale = 0.0;
        if (unit == "ms") {
            scale = 0.001;
        } else if (unit == "s") {
            scale = 1.0;
        } else if (unit == "m") {
            scale = 60.0;
        } else if (unit == "h") {
            scale = 3600.0;
        } else if (unit == "d") {
            scale = 86400.0;
        } else if (unit == "w") {
            scale = 604800.0;
        } else if (unit == "y") {
            scale = 31536000.0;
        } else {
            return std::nullopt;
        }
        total += n * scale;
        i = unit_end;
    }
    return total;
}

QueryResult parse_query_response(std::string_view body, long http_status, std::string_view what) {
    const json doc = parse_document(body, http_status, what);
    const json& data = doc.contains("data") ? doc["data"] : json();
    if (!data.is_object() || !data.contains("resultType") || !data.contains("result")) {
        throw RuntimeFailure(
            fmt::format("Prometheus {}: no data.resultType / data.result: {}", what, body_excerpt(body)));
    }
    QueryResult out;
    if (doc.contains("warnings") && doc["warnings"].is_array()) {
        for (const auto& w : doc["warnings"]) {
            if (w.is_string()) {
                out.warnings.push_back(w.get<std::string>());
            }
        }
    }
    const std::string type = data["resultType"].is_string() ? data["resultType"].get<std::string>() : "";
    const json& result = data["result"];
    if (type == "vector" || type == "matrix") {
        out.type = type == "vector" ? ResultType::vector : ResultType::matrix;
        if (!result.is_array()) {
            throw RuntimeFailure(fmt::format("Prometheus {}: {} result is not a list", what, type));
        }
        out.series.reserve(result.size());
        for (const auto& item : result) {
            Series s;
            s.labels = parse_labels(item.value("metric", json::object()));
            if (out.type == ResultType::vector) {
                s.points.push_back(parse_point(item.value("value", json()), what));
            } else {
                const json values = item.value("values", json::array());
                s.points.reserve(values.size());
                for (const auto& pair : values) {
                    s.points.push_back(parse_point(pair, what));
                }
            }
            out.series.push_back(std::move(s));
        }
    } else if (type == "scalar") {
        out.type = ResultType::scalar;
        out.series.push_back(Series{{}, {parse_point(result, what)}});
    } else if (type == "string") {
        out.type = ResultType::string;
        if (!result.is_array() || result.size() != 2 || !result[1].is_string()) {
            throw RuntimeFailure(fmt::format("Prometheus {}: string result is not [time, \"text\"]", what));
        }
        out.string_value = result[1].get<std::string>();
    } else {
        throw RuntimeFailure(fmt::format("Prometheus {}: unknown resultType \"{}\"", what, type));
    }
    return out;
}

std::vector<Target> parse_targets_response(std::string_view body, long http_status, std::string_view what) {
    const json doc = parse_document(body, http_status, what);
    const json& data = doc.contains("data") ? doc["data"] : json();
    if (!data.is_object() || !data.contains("activeTargets") || !data["activeTargets"].is_array()) {
        throw RuntimeFailure(fmt::format("Prometheus {}: no data.activeTargets list", what));
    }
    std::vector<Target> targets;
    for (const auto& t : data["activeTargets"]) {
        Target target;
        target.labels = parse_labels(t.value("labels", json::object()));
        target.scrape_pool = t.value("scrapePool", std::string());
        target.scrape_url = t.value("scrapeUrl", std::string());
        target.health = t.value("health", std::string("unknown"));
        target.last_error = t.value("lastError", std::string());
        target.scrape_interval_seconds = parse_duration_seconds(t.value("scrapeInterval", std::string()));
        target.scrape_timeout_seconds = parse_duration_seconds(t.value("scrapeTimeout", std::string()));
        targets.push_back(std::move(target));
    }
    return targets;
}

std::string promql_string(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '\\' || c == '"') {
            out += '\\';
        }
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}

std::string regex_escape(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (std::string_view(R"(\.+*?()|[]{}^$)").find(c) != std::string_view::npos) {
            out += '\\';
        }
        out += c;
    }
    return out;
}

}  // namespace perfrunner::adapters::prometheus
