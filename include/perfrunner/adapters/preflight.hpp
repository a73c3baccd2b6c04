#pragma once
// What `perfrunner check` verifies, reusable by `run` before it starts: the simulation API and its key,
// cAdvisor and the containers it sees, the docker engine and compose, each compose container's health, and
// drift between the container catalogue and the compose file.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace perfrunner::config {
struct Config;
}

namespace perfrunner::adapters {

struct CheckRow {
    std::string area;    // "simulation", "cadvisor", "docker", "container", "drift"
    std::string item;    // what was checked, e.g. "GET /health", "rideshare-kafka"
    std::string status;  // "ok" | "problem" | "info"
    std::string detail;  // one line; never contains the API key
};

struct PreflightReport {
    std::vector<CheckRow> rows;
    std::vector<std::string> problems;  // one line each, naming the thing and what to do

    bool ok() const noexcept { return problems.empty(); }
    nlohmann::json to_json() const;
    // The table (fixed-width columns) followed by the problems, one per line.
    std::string to_text() const;
};

struct PreflightOptions {
    double cpu_interval_seconds = 1.2;  // between the two cAdvisor polls that give a CPU figure
};

PreflightReport run_preflight(const config::Config& config, const PreflightOptions& options = {});

// Drift between the catalogue and `compose config --format json`; exposed for tests.
// `catalogue`: names (+ cpu cores) of the active catalogue entries; `observed_memory_limits`: container name ->
// bytes as the running container has it (cAdvisor), used to spot limits that differ from the compose file.
struct CatalogueEntry {
    std::string name;
    std::optional<double> cpu_cores;
};
std::vector<CheckRow> compose_drift(const nlohmann::json& compose_config, const std::vector<CatalogueEntry>& catalogue,
                                    const std::map<std::string, std::uint64_t>& observed_memory_limits,
                                    const std::string& project_name);

}  // namespace perfrunner::adapters
