#pragma once
// Parsing of cAdvisor v1 responses (../shared/spec/cadvisor.md): ContainerInfo maps and lists, RFC 3339
// timestamps to integer nanoseconds, memory-limit sentinels, cpuset masks. Every counter is kept as an
// integer.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace perfrunner::adapters::cadvisor {

struct Stat {
    std::int64_t timestamp_ns = 0;              // cAdvisor's own sample time, ns since the epoch
    std::string timestamp;                      // as sent
    std::optional<std::uint64_t> cpu_total_ns;  // cumulative
    std::optional<std::uint64_t> memory_working_set;
    std::optional<std::uint64_t> memory_usage;
    std::optional<std::uint64_t> memory_rss;
    std::optional<std::uint64_t> memory_cache;
};

struct ContainerInfo {
    std::string key;   // the map key, else `name` (absolute cgroup name)
    std::string name;  // `name`
    std::string id;    // `id` when sent, else the last path component of the name
    std::string ns;    // `namespace`
    std::vector<std::string> aliases;
    std::map<std::string, std::string> labels;
    std::optional<std::uint64_t> memory_limit;  // spec.memory.limit as sent (may be a sentinel)
    std::optional<std::int64_t> cpu_quota_us;   // spec.cpu.quota
    std::optional<std::int64_t> cpu_period_us;  // spec.cpu.period
    std::string cpu_mask;                       // spec.cpu.mask
    std::vector<Stat> stats;  // oldest first; stats whose timestamp does not parse are skipped
    int skipped_stats = 0;

    const Stat* newest() const { return stats.empty() ? nullptr : &stats.back(); }
};

struct MachineInfo {
    int num_cores = 0;
    std::uint64_t memory_capacity = 0;  // bytes
};

// RFC 3339 with 0-9 fraction digits and Z or a numeric offset, to ns since the epoch. With truncate_to_us the
// fraction is cut to microseconds first (what Python's datetime does; used by the reference-compatible
// values).
std::optional<std::int64_t> parse_timestamp_ns(std::string_view text, bool truncate_to_us = false);

// An unsigned JSON integer; a float (a float-printer-corrupted value) is accepted when it is >= 0 and is
// converted with saturation. nullopt when absent or not a number.
std::optional<std::uint64_t> json_uint(const nlohmann::json& parent, std::string_view key);

ContainerInfo parse_container(const nlohmann::json& info, std::string key = {});
// `/api/v1.3/docker/` (a map keyed by cgroup name) or `/api/v1.x/subcontainers/` (a list); throws
// std::invalid_argument when the document is neither.
std::vector<ContainerInfo> parse_containers(const nlohmann::json& document);
MachineInfo parse_machine(const nlohmann::json& document);

// "unlimited": 0, >= 2^62 (cgroup v1 LONG_MAX-ish and uint64 max sentinels, and their float-corrupted forms),
// or at least the machine's memory capacity (a root cgroup's host-sized limit).
bool memory_limit_is_unlimited(std::uint64_t limit, std::uint64_t machine_memory_capacity = 0);

// Number of CPUs in a cpuset mask ("0-3", "0,2-3"); 0 when empty or malformed.
int cpuset_count(std::string_view mask);

// The reference framework's figures for one container (reference-framework.md, cadvisor.md §3/§6/§7): last
// stat's working set / 2^20; limit 0 or > 64 GiB => 0; last-two-stats CPU with µs-truncated timestamps,
// floored at 0, not clamped; every value rounded like Python's round(x, 1) (model::round_half_even).
struct ReferenceValues {
    double memory_used_mb = 0.0;
    double memory_limit_mb = 0.0;
    double memory_percent = 0.0;
    double cpu_percent = 0.0;
};
ReferenceValues reference_values(const ContainerInfo& container);

}  // namespace perfrunner::adapters::cadvisor
