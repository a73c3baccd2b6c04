#pragma once
// The subcommands of `perfrunner`. Each is one function of the effective config and its own options,
// returning the process exit code (perfrunner::ExitCode); errors are thrown as perfrunner::Error and mapped
// by main.cpp.
#include <optional>
#include <string>
#include <vector>

#include "perfrunner/config/config.hpp"

namespace perfrunner::cli {

// Options every subcommand accepts (before or after the subcommand name).
struct GlobalOptions {
    std::optional<std::string> config_file;  // --config FILE
    std::vector<std::string> set_overrides;  // --set key.path=value (repeatable, applied in order)
    std::string log_level = "info";          // --log-level trace|debug|info|warn|error|off
    bool quiet = false;                      // --quiet: warnings and errors only, no summary
};

struct RunOptions {
    GlobalOptions global;
    std::optional<std::string> output_dir;  // --output DIR (default: output.output_dir)
    std::optional<std::string> png;         // --png auto|always|never (default: output.png)
    std::optional<std::string> scenarios;   // --scenarios baseline,stress,duration,speed (default: all four)
    std::optional<long> agents;             // --agents N: duration/speed load without the stress test
    bool keep_stack = false;                // --keep-stack: no final `down -v`
};

struct CheckOptions {
    GlobalOptions global;
    bool json = false;  // --json: one JSON document on stdout instead of the table
};

struct AnalyzeOptions {
    GlobalOptions global;
    std::string results_json;               // RESULTS_JSON
    std::optional<std::string> output_dir;  // --output DIR (default: the file's directory)
    std::optional<std::string> png;         // --png auto|always|never (default: output.png)
};

struct RebuildOptions {
    GlobalOptions global;
    std::string run_dir;             // RUN_DIR: the folder holding journal.jsonl
    std::optional<std::string> png;  // --png auto|always|never (default: output.png)
};

struct CompareOptions {
    GlobalOptions global;
    std::string base;                       // BASE: results.json or its run folder
    std::string next;                       // NEW: the same
    std::optional<std::string> output_dir;  // --output DIR (default: output.output_dir/compare_<UTC time>)
};

struct ConfigOptions {
    GlobalOptions global;
    bool keys = false;  // --keys: every config key with its allowed values, default and meaning
};

int run_command(const config::Config& config, const RunOptions& options);
int check_command(const config::Config& config, const CheckOptions& options);
int analyze_command(const config::Config& config, const AnalyzeOptions& options);
int rebuild_command(const config::Config& config, const RebuildOptions& options);
int compare_command(const config::Config& config, const CompareOptions& options);
int config_command(const config::Config& config, const ConfigOptions& options);

}  // namespace perfrunner::cli
