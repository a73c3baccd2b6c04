#pragma once
// The result of `perfrunner check`: one row per thing checked, and one line per problem.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace perfrunner::check {

struct CheckRow {
    std::string area;    // "simulation", "cadvisor", "docker", "container", "drift"
    std::string item;    // what was checked, e.g. "GET /health", "rideshare-kafka"
    std::string status;  // "ok" | "problem" | "info"
    std::string detail;  // one line; never contains the API key
};

struct CheckReport {
    std::vector<CheckRow> rows;
    std::vector<std::string> problems;  // one line each, naming the thing and what to do

    bool ok() const noexcept { return problems.empty(); }

    void add_ok(std::string area, std::string item, std::string detail);
    void add_info(std::string area, std::string item, std::string detail);
    // A problem row, and its line (naming the thing and what to do) in `problems`.
    void add_problem(std::string area, std::string item, std::string detail, std::string problem_line);

    nlohmann::json to_json() const;
    // The table (fixed-width columns) followed by the problems, one per line.
    std::string to_text() const;
};

}  // namespace perfrunner::check
