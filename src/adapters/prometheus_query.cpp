#include "perfrunner/adapters/prometheus_query.hpp"

#include <cmath>
#include <map>

#include <fmt/format.h>

namespace perfrunner::adapters::prometheus {
namespace {

enum class Figure {
    cpu_cores,
    cpu_total,
    working_set,
    rss,
    usage,
    limit,
    cpu_quota,
    cpu_period,
    sample_time,
    host_cpu_cores,
    host_working_set,
    host_sample_time,
    host_cores,
    host_memory,
    events_rate,
};

struct FigureName {
    Figure figure;
    const char* tag;
};

constexpr FigureName kFigures[] = {
    {Figure::cpu_cores, "cpu_cores"},
    {Figure::cpu_total, "cpu_total"},
    {Figure::working_set, "working_set"},
    {Figure::rss, "rss"},
    {Figure::usage, "usage"},
    {Figure::limit, "limit"},
    {Figure::cpu_quota, "cpu_quota"},
    {Figure::cpu_period, "cpu_period"},
    {Figure::sample_time, "sample_time"},
    {Figure::host_cpu_cores, "host_cpu_cores"},
    {Figure::host_working_set, "host_working_set"},
    {Figure::host_sample_time, "host_sample_time"},
    {Figure::host_cores, "host_cores"},
    {Figure::host_memory, "host_memory"},
    {Figure::events_rate, "events_per_sec"},
};

const char* tag_of(Figure f) {
    for (const auto& n : kFigures) {
        if (n.figure == f) {
            return n.tag;
        }
    }
    return "";
}

std::optional<Figure> figure_of(const std::string& tag) {
    for (const auto& n : kFigures) {
        if (tag == n.tag) {
            return n.figure;
        }
    }
    return std::nullopt;
}

bool is_host_figure(Figure f) {
    return f == Figure::host_cpu_cores || f == Figure::host_working_set || f == Figure::host_sample_time ||
           f == Figure::host_cores || f == Figure::host_memory;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : ",") + item;
    }
    return out;
}

std::string tagged(const std::string& expression, Figure f) {
    return fmt::format(R"(label_replace({},"{}","{}","",""))", expression, kFigureLabel, tag_of(f));
}

void set(ContainerFigures& c, Figure f, double v) {
    switch (f) {
        case Figure::cpu_cores:
            c.cpu_cores = v;
            break;
        case Figure::cpu_total:
            c.cpu_total_seconds = v;
            break;
        case Figure::working_set:
            c.working_set_bytes = v;
            break;
        case Figure::rss:
            c.rss_bytes = v;
            break;
        case Figure::usage:
            c.usage_bytes = v;
            break;
        case Figure::limit:
            c.limit_bytes = v;
            break;
        case Figure::cpu_quota:
            c.cpu_quota_us = v;
            break;
        case Figure::cpu_period:
            c.cpu_period_us = v;
            break;
        case Figure::sample_time:
            c.sample_time = v;
            break;
        default:
            break;
    }
}

void set(HostFigures& h, Figure f, double v) {
    switch (f) {
        case Figure::host_cpu_cores:
            h.cpu_cores = v;
            break;
        case Figure::host_working_set:
            h.working_set_bytes = v;
            break;
        case Figure::host_sample_time:
            h.sample_time = v;
            break;
        case Figure::host_cores:
            h.cores = v;
            break;
        case Figure::host_memory:
            h.memory_bytes = v;
            break;
        default:
            break;
    }
}

// Step times of a range answer are exact multiples of the step; a millisecond key merges them across series.
long long time_key(double t) {
    return std::llround(t * 1000.0);
}

}  // namespace

std::string tick_query(const LabelMapping& mapping, const std::string& compose_project, double window_seconds,
                       bool with_host) {
    const std::string window =
        fmt::format("{}ms", std::max<long long>(1, std::llround(window_seconds * 1000.0)));
    const std::string s = "{" + container_matchers(mapping, compose_project) + "}";
    const std::string by = "by(" + join(container_identity_labels(mapping)) + ")";
    std::vector<std::string> parts = {
        tagged(fmt::format("sum {}(rate(container_cpu_usage_seconds_total{}[{}]))", by, s, window),
               Figure::cpu_cores),
        tagged(fmt::format("sum {}(container_cpu_usage_seconds_total{})", by, s), Figure::cpu_total),
        tagged(fmt::format("max {}(container_memory_working_set_bytes{})", by, s), Figure::working_set),
        tagged(fmt::format("max {}(container_memory_rss{})", by, s), Figure::rss),
        tagged(fmt::format("max {}(container_memory_usage_bytes{})", by, s), Figure::usage),
        tagged(fmt::format("max {}(container_spec_memory_limit_bytes{})", by, s), Figure::limit),
        tagged(fmt::format("max {}(container_spec_cpu_quota{})", by, s), Figure::cpu_quota),
        tagged(fmt::format("max {}(container_spec_cpu_period{})", by, s), Figure::cpu_period),
        tagged(fmt::format("max {}(timestamp(container_memory_working_set_bytes{}))", by, s),
               Figure::sample_time),
    };
    if (with_host) {
        const std::string root = R"({id="/"})";
        const std::string hb = "by(" + mapping.host_label + ")";
        parts.push_back(
            tagged(fmt::format("sum {}(rate(container_cpu_usage_seconds_total{}[{}]))", hb, root, window),
                   Figure::host_cpu_cores));
        parts.push_back(tagged(fmt::format("max {}(container_memory_working_set_bytes{})", hb, root),
                               Figure::host_working_set));
        parts.push_back(
            tagged(fmt::format("max {}(timestamp(container_memory_working_set_bytes{}))", hb, root),
                   Figure::host_sample_time));
        parts.push_back(tagged(fmt::format("max {}(machine_cpu_cores)", hb), Figure::host_cores));
        parts.push_back(tagged(fmt::format("max {}(machine_memory_bytes)", hb), Figure::host_memory));
    }
    // The platform's own event counter (the stand-in and the real simulation export it): its throughput comes
    // in the same request; a platform without the series simply adds no answer to this part.
    parts.push_back(
        tagged(fmt::format("sum(rate(simulation_events_total[{}]))", window), Figure::events_rate));
    std::string query;
    for (const auto& p : parts) {
        query += (query.empty() ? "" : " or ") + p;
    }
    return query;
}

std::vector<TickFigures> decode_ticks(const QueryResult& result, const LabelMapping& mapping) {
    // time -> (identity -> figures), kept in time order
    std::map<long long, std::pair<std::map<Labels, ContainerFigures>, std::map<std::string, HostFigures>>>
        by_time;
    std::map<long long, double> times;
    std::map<long long, double> events;  // time -> events per second
    for (const auto& series : result.series) {
        const auto tag = series.labels.find(kFigureLabel);
        if (tag == series.labels.end()) {
            continue;
        }
        const auto figure = figure_of(tag->second);
        if (!figure) {
            continue;
        }
        Labels identity = series.labels;
        identity.erase(kFigureLabel);
        identity.erase("__name__");
        for (const auto& point : series.points) {
            const long long key = time_key(point.time);
            times.emplace(key, point.time);
            if (*figure == Figure::events_rate) {
                events[key] = point.value;
                continue;
            }
            auto& [containers, hosts] = by_time[key];
            if (is_host_figure(*figure)) {
                const std::string host = host_of(identity, mapping);
                auto& h = hosts[host];
                h.host = host;
                set(h, *figure, point.value);
            } else {
                auto& c = containers[identity];
                c.identity = identity;
                set(c, *figure, point.value);
            }
        }
    }
    for (const auto& [key, value] : events) {
        by_time.try_emplace(key);  // a tick that has only the throughput is still a tick
    }
    std::vector<TickFigures> ticks;
    ticks.reserve(by_time.size());
    for (auto& [key, maps] : by_time) {
        TickFigures tick;
        tick.time = times[key];
        if (const auto e = events.find(key); e != events.end()) {
            tick.events_per_sec = e->second;
        }
        for (auto& [identity, c] : maps.first) {
            tick.containers.push_back(std::move(c));
        }
        for (auto& [host, h] : maps.second) {
            tick.hosts.push_back(std::move(h));
        }
        ticks.push_back(std::move(tick));
    }
    if (ticks.empty() && result.type == ResultType::vector) {
        ticks.emplace_back();  // an empty answer is still one tick (every container missing)
    }
    return ticks;
}

}  // namespace perfrunner::adapters::prometheus
