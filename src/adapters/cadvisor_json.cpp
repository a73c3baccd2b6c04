#include "perfrunner/adapters/cadvisor_json.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <stdexcept>

#include "perfrunner/model/rounding.hpp"
#include "perfrunner/model/timestamps.hpp"

namespace perfrunner::adapters::cadvisor {
namespace {

std::optional<std::string> json_string(const nlohmann::json& parent, std::string_view key) {
    if (!parent.is_object()) {
        return std::nullopt;
    }
    auto it = parent.find(key);
    if (it == parent.end() || !it->is_string()) {
        return std::nullopt;
    }
    return it->get<std::string>();
}

std::optional<std::int64_t> json_int(const nlohmann::json& parent, std::string_view key) {
    if (!parent.is_object()) {
        return std::nullopt;
    }
    auto it = parent.find(key);
    if (it == parent.end()) {
        return std::nullopt;
    }
    if (it->is_number_unsigned()) {
        const auto v = it->get<std::uint64_t>();
        return v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
                   ? std::numeric_limits<std::int64_t>::max()
                   : static_cast<std::int64_t>(v);
    }
    if (it->is_number_integer()) {
        return it->get<std::int64_t>();
    }
    return std::nullopt;
}

const nlohmann::json& member(const nlohmann::json& parent, std::string_view key) {
    static const nlohmann::json null_value;
    if (!parent.is_object()) {
        return null_value;
    }
    auto it = parent.find(key);
    return it == parent.end() ? null_value : *it;
}

}  // namespace

std::optional<std::int64_t> parse_timestamp_ns(std::string_view text, bool truncate_to_us) {
    const auto parsed = model::parse_iso(text);
    if (!parsed || !parsed->has_zone) {
        return std::nullopt;  // cAdvisor always sends a zone; a naive time would be a guess
    }
    if (!truncate_to_us) {
        return parsed->epoch_ns;
    }
    // Offsets are whole seconds, so flooring the instant to the microsecond cuts the fraction as Python does.
    std::int64_t sub_us = parsed->epoch_ns % 1000;
    if (sub_us < 0) {
        sub_us += 1000;
    }
    return parsed->epoch_ns - sub_us;
}

std::optional<std::uint64_t> json_uint(const nlohmann::json& parent, std::string_view key) {
    if (!parent.is_object()) {
        return std::nullopt;
    }
    auto it = parent.find(key);
    if (it == parent.end()) {
        return std::nullopt;
    }
    if (it->is_number_unsigned()) {
        return it->get<std::uint64_t>();
    }
    if (it->is_number_integer()) {
        const auto v = it->get<std::int64_t>();
        return v < 0 ? std::optional<std::uint64_t>{} : static_cast<std::uint64_t>(v);
    }
    if (it->is_number_float()) {
        const double v = it->get<double>();
        if (!(v >= 0.0)) {
            return std::nullopt;
        }
        if (v >= 18446744073709551615.0) {
            return std::numeric_limits<std::uint64_t>::max();
        }
        return static_cast<std::uint64_t>(v);
    }
    return std::nullopt;
}

ContainerInfo parse_container(const nlohmann::json& info, std::string key) {
    if (!info.is_object()) {
        throw std::invalid_argument("container entry is not a JSON object");
    }
    ContainerInfo c;
    c.name = json_string(info, "name").value_or("");
    c.key = key.empty() ? c.name : std::move(key);
    c.ns = json_string(info, "namespace").value_or("");
    if (const auto& aliases = member(info, "aliases"); aliases.is_array()) {
        for (const auto& a : aliases) {
            if (a.is_string()) {
                c.aliases.push_back(a.get<std::string>());
            }
        }
    }
    c.id = json_string(info, "id").value_or("");
    if (c.id.empty()) {
        const auto slash = c.key.find_last_of('/');
        std::string last = slash == std::string::npos ? c.key : c.key.substr(slash + 1);
        // systemd driver: docker-<id>.scope
        if (last.rfind("docker-", 0) == 0) {
            last = last.substr(7);
        }
        if (last.size() > 6 && last.compare(last.size() - 6, 6, ".scope") == 0) {
            last.resize(last.size() - 6);
        }
        c.id = last;
    }
    const auto& spec = member(info, "spec");
    if (const auto& labels = member(spec, "labels"); labels.is_object()) {
        for (const auto& [k, v] : labels.items()) {
            if (v.is_string()) {
                c.labels[k] = v.get<std::string>();
            }
        }
    }
    c.memory_limit = json_uint(member(spec, "memory"), "limit");
    const auto& cpu = member(spec, "cpu");
    c.cpu_quota_us = json_int(cpu, "quota");
    c.cpu_period_us = json_int(cpu, "period");
    c.cpu_mask = json_string(cpu, "mask").value_or("");
    if (const auto& stats = member(info, "stats"); stats.is_array()) {
        c.stats.reserve(stats.size());
        for (const auto& s : stats) {
            auto ts_text = json_string(s, "timestamp");
            auto ts = ts_text ? parse_timestamp_ns(*ts_text) : std::nullopt;
            if (!ts) {
                ++c.skipped_stats;
                continue;
            }
            Stat stat;
            stat.timestamp_ns = *ts;
            stat.timestamp = std::move(*ts_text);
            stat.cpu_total_ns = json_uint(member(member(s, "cpu"), "usage"), "total");
            const auto& mem = member(s, "memory");
            stat.memory_working_set = json_uint(mem, "working_set");
            stat.memory_usage = json_uint(mem, "usage");
            stat.memory_rss = json_uint(mem, "rss");
            stat.memory_cache = json_uint(mem, "cache");
            c.stats.push_back(std::move(stat));
        }
    }
    return c;
}

std::vector<ContainerInfo> parse_containers(const nlohmann::json& document) {
    std::vector<ContainerInfo> out;
    if (document.is_object()) {
        // A single ContainerInfo (e.g. /api/v1.3/containers/) has "name" and "spec"; a map has cgroup keys.
        if (document.contains("spec") && document.contains("name") && document["name"].is_string()) {
            out.push_back(parse_container(document));
            return out;
        }
        for (const auto& [k, v] : document.items()) {
            out.push_back(parse_container(v, k));
        }
        return out;
    }
    if (document.is_array()) {
        for (const auto& v : document) {
            out.push_back(parse_container(v));
        }
        return out;
    }
    throw std::invalid_argument("expected a JSON object (map of containers) or a list of containers");
}

MachineInfo parse_machine(const nlohmann::json& document) {
    if (!document.is_object()) {
        throw std::invalid_argument("machine info is not a JSON object");
    }
    MachineInfo m;
    m.num_cores = static_cast<int>(json_int(document, "num_cores").value_or(0));
    m.memory_capacity = json_uint(document, "memory_capacity").value_or(0);
    return m;
}

bool memory_limit_is_unlimited(std::uint64_t limit, std::uint64_t machine_memory_capacity) {
    constexpr std::uint64_t two_pow_62 = std::uint64_t{1} << 62;
    if (limit == 0 || limit >= two_pow_62) {
        return true;
    }
    return machine_memory_capacity > 0 && limit >= machine_memory_capacity;
}

int cpuset_count(std::string_view mask) {
    int count = 0;
    std::size_t pos = 0;
    while (pos < mask.size()) {
        auto comma = mask.find(',', pos);
        if (comma == std::string_view::npos) {
            comma = mask.size();
        }
        std::string_view part = mask.substr(pos, comma - pos);
        while (!part.empty() && std::isspace(static_cast<unsigned char>(part.front()))) {
            part.remove_prefix(1);
        }
        while (!part.empty() && std::isspace(static_cast<unsigned char>(part.back()))) {
            part.remove_suffix(1);
        }
        if (part.empty()) {
            return 0;
        }
        const auto dash = part.find('-');
        char* end = nullptr;
        const std::string first(part.substr(0, dash));
        const long a = std::strtol(first.c_str(), &end, 10);
        if (end == first.c_str() || *end != '\0' || a < 0) {
            return 0;
        }
        long b = a;
        if (dash != std::string_view::npos) {
            const std::string second(part.substr(dash + 1));
            b = std::strtol(second.c_str(), &end, 10);
            if (end == second.c_str() || *end != '\0' || b < a) {
                return 0;
            }
        }
        count += static_cast<int>(b - a + 1);
        pos = comma + 1;
    }
    return count;
}

ReferenceValues reference_values(const ContainerInfo& c) {
    ReferenceValues r;
    constexpr double mib = 1048576.0;
    constexpr std::uint64_t sixty_four_gib = 68719476736ULL;
    const Stat* last = c.newest();
    const double used_mb =
        last && last->memory_working_set ? static_cast<double>(*last->memory_working_set) / mib : 0.0;
    const std::uint64_t limit = c.memory_limit.value_or(0);
    const double limit_mb = (limit == 0 || limit > sixty_four_gib) ? 0.0 : static_cast<double>(limit) / mib;
    r.memory_used_mb = model::round_half_even(used_mb, 1);
    r.memory_limit_mb = model::round_half_even(limit_mb, 1);
    r.memory_percent = limit_mb > 0.0 ? model::round_half_even(used_mb / limit_mb * 100.0, 1) : 0.0;
    if (c.stats.size() >= 2) {
        const Stat& a = c.stats[c.stats.size() - 2];
        const Stat& b = c.stats.back();
        const auto ta = parse_timestamp_ns(a.timestamp, true);
        const auto tb = parse_timestamp_ns(b.timestamp, true);
        if (ta && tb && *tb > *ta && a.cpu_total_ns && b.cpu_total_ns) {
            // Python: (total2 - total1) / (delta.total_seconds() * 1e9) * 100 on integers made floats.
            // Both stamps are whole microseconds, as timedelta holds them: total_seconds() is µs / 1e6.
            const std::int64_t dt_us = (*tb - *ta) / 1000;
            const double dt_seconds = static_cast<double>(dt_us) / 1e6;
            const double delta = static_cast<double>(*b.cpu_total_ns) - static_cast<double>(*a.cpu_total_ns);
            const double cpu = delta / (dt_seconds * 1e9) * 100.0;
            r.cpu_percent = model::round_half_even(cpu < 0.0 ? 0.0 : cpu, 1);
        }
    }
    return r;
}

}  // namespace perfrunner::adapters::cadvisor
