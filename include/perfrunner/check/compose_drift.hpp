#pragma once
// Drift between the container catalogue (config `containers`) and what compose really runs: services missing
// from either side, CPU limits that differ, memory limits the running containers do not have yet.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "perfrunner/check/check_report.hpp"

namespace perfrunner::check {

struct CatalogueEntry {
    std::string name;
    std::optional<double> cpu_cores;
};

// `compose_config`: `compose config --format json`; `catalogue`: the active catalogue entries;
// `observed_memory_limits`: container name -> bytes as the running container has it (cAdvisor), to spot
// limits that differ from the compose file. One row per service and per catalogue entry no service provides.
std::vector<CheckRow> compose_drift(const nlohmann::json& compose_config,
                                    const std::vector<CatalogueEntry>& catalogue,
                                    const std::map<std::string, std::uint64_t>& observed_memory_limits,
                                    const std::string& project_name);

// Compose memory sizes ("536870912", "512m", "1.5g", 536870912) in bytes; nullopt when unreadable.
std::optional<std::uint64_t> parse_compose_bytes(const nlohmann::json& value);

}  // namespace perfrunner::check
