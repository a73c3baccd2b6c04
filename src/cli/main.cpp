// perfrunner's command line: parse, load the config, call one command, map errors to exit codes.
#include <cstdio>
#include <exception>
#include <string>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "huge_pages.hpp"
#include "perfrunner/error.hpp"
#include "perfrunner/model/utf8.hpp"

namespace {

using namespace perfrunner;

constexpr const char* kExitCodes =
    "\nExit codes:\n"
    "  0    verdict PASS or WARNING\n"
    "  1    runtime error (a service, docker or the file system failed)\n"
    "  2    usage, config or input error\n"
    "  3    verdict FAIL; compare: a regression\n"
    "  130  interrupted (SIGINT/SIGTERM)\n";

// CLI11's "The following arguments were not expected: --bad 123456" with every stray value that is not an
// option shown as "***": it may be a secret given with a space instead of '=' (`--set api.api_key 123456`).
std::string without_stray_values(const std::string& message) {
    const auto colon = message.rfind(": ");
    if (colon == std::string::npos) {
        return "unexpected arguments on the command line";
    }
    std::string out = message.substr(0, colon + 1);
    std::size_t start = colon + 2;
    while (start < message.size()) {
        auto end = message.find(' ', start);
        if (end == std::string::npos) {
            end = message.size();
        }
        const std::string word = message.substr(start, end - start);
        if (!word.empty()) {
            out += ' ';
            out += word.front() == '-' ? word.substr(0, word.find('=')) : std::string("***");
        }
        start = end + 1;
    }
    return out;
}

int print_error(const std::string& message) {
    // Messages quote files, HTTP bodies and command lines: one line of valid UTF-8 without escape sequences.
    const std::string line = model::printable_text(message);
    std::fprintf(stderr, "perfrunner: %s\n", line.c_str());
    return 0;
}

void setup_logging(const cli::GlobalOptions& global) {
    auto logger = spdlog::stderr_color_mt("perfrunner");
    logger->set_pattern("[%H:%M:%S] [%^%l%$] %v");
    spdlog::set_default_logger(logger);
    auto level = spdlog::level::from_str(global.log_level);
    if (global.quiet && level < spdlog::level::warn) {
        level = spdlog::level::warn;
    }
    spdlog::set_level(level);
}

config::Config load_config(const cli::GlobalOptions& global) {
    config::LoadOptions load;
    load.config_file = global.config_file;
    load.set_overrides = global.set_overrides;
    return config::load(load);
}

// Everything main does; main only makes sure nothing escapes it.
int run_cli(int argc, char** argv) {
    CLI::App app{"perfrunner: load tests for the Docker Compose rideshare platform", "perfrunner"};
    app.footer(kExitCodes);
    app.set_version_flag("--version", std::string("perfrunner ") + PERFRUNNER_VERSION);
    app.require_subcommand(1);
    app.fallthrough();  // global options are accepted after the subcommand too

    cli::GlobalOptions global;
    app.add_option("--config", global.config_file,
                   "Config file (JSON, comments allowed) merged over the defaults");
    app.add_option("--set", global.set_overrides, "Override one config value: key.path=value (repeatable)")
        ->type_name("KEY=VALUE")
        ->allow_extra_args(false);
    app.add_option("--log-level", global.log_level, "Log level on stderr")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
    app.add_flag("-q,--quiet", global.quiet, "Warnings and errors only");

    cli::RunOptions run_options;
    auto* run = app.add_subcommand("run", "Run baseline, stress, duration/leak and speed-scaling scenarios");
    run->add_option("--output", run_options.output_dir, "Output folder (default: output.output_dir)");
    run->add_option("--png", run_options.png, "Chart PNGs")
        ->check(CLI::IsMember({"auto", "always", "never"}));
    run->add_option(
        "--scenarios", run_options.scenarios,
        "Comma list of baseline, stress, duration, speed (or their scenario_name values); default all");
    run->add_option("--agents", run_options.agents,
                    "Drivers (and riders) for duration and speed scaling (>= 1)");
    run->add_flag("--keep-stack", run_options.keep_stack,
                  "Leave the stack up after the run (no final down -v)");

    cli::CheckOptions check_options;
    auto* check =
        app.add_subcommand("check", "Preflight: cAdvisor, the simulation API, docker and the containers");
    check->add_flag("--json", check_options.json, "Print the checks as one JSON document");

    cli::AnalyzeOptions analyze_options;
    auto* analyze =
        app.add_subcommand("analyze", "Analyse a results.json and write the verdict, reports and charts");
    analyze
        ->add_option("RESULTS_JSON", analyze_options.results_json,
                     "results.json of perfrunner or the reference framework")
        ->required();
    analyze->add_option(
        "--output", analyze_options.output_dir,
        "New or empty output folder (default: a new folder beside the file; the input is never "
        "written)");
    analyze
        ->add_option("--png", analyze_options.png, "Chart PNGs (auto: skip with a warning without Chromium)")
        ->check(CLI::IsMember({"auto", "always", "never"}));

    cli::RebuildOptions rebuild_options;
    auto* rebuild = app.add_subcommand(
        "rebuild",
        "Turn a run's journal (crashed, killed or interrupted run) into results.json and every report");
    rebuild->add_option("RUN_DIR", rebuild_options.run_dir, "The run's folder (holds journal.jsonl)")
        ->required();
    rebuild->add_option("--png", rebuild_options.png, "Chart PNGs")
        ->check(CLI::IsMember({"auto", "always", "never"}));

    cli::CompareOptions compare_options;
    auto* compare = app.add_subcommand(
        "compare", "Compare two runs: what got worse from BASE to NEW (exit 3 on a regression)");
    compare->add_option("BASE", compare_options.base, "results.json (or run folder) of the reference run")
        ->required();
    compare->add_option("NEW", compare_options.next, "results.json (or run folder) of the run to judge")
        ->required();
    compare->add_option("--output", compare_options.output_dir,
                        "Output folder (default: output.output_dir/compare_<UTC time>)");

    cli::ConfigOptions config_options;
    auto* config_cmd =
        app.add_subcommand("config", "Print the effective configuration as JSON (secrets redacted)");
    config_cmd->add_flag("--keys", config_options.keys, "Print every key: allowed values, default, meaning");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ExtrasError& e) {
        print_error(without_stray_values(e.what()) +
                    " (an option takes one value: --set key.path=value; see perfrunner --help)");
        return static_cast<int>(ExitCode::usage_error);
    } catch (const CLI::ParseError& e) {
        print_error(std::string(e.what()) + " (see perfrunner --help)");
        return static_cast<int>(ExitCode::usage_error);
    }

    if (analyze->parsed() || compare->parsed() || rebuild->parsed()) {
        cli::restart_with_huge_pages(argv);  // before anything is printed: the new start does it all again
    }
    try {
        setup_logging(global);
        // SIGINT/SIGTERM handlers are installed by the commands that stop gracefully (run; analyze, which
        // finishes the file it is writing); elsewhere the default action ends the process at once.
        const config::Config cfg = load_config(global);
        int code = static_cast<int>(ExitCode::usage_error);
        if (run->parsed()) {
            run_options.global = global;
            code = cli::run_command(cfg, run_options);
        } else if (check->parsed()) {
            check_options.global = global;
            code = cli::check_command(cfg, check_options);
        } else if (analyze->parsed()) {
            analyze_options.global = global;
            code = cli::analyze_command(cfg, analyze_options);
        } else if (rebuild->parsed()) {
            rebuild_options.global = global;
            code = cli::rebuild_command(cfg, rebuild_options);
        } else if (compare->parsed()) {
            compare_options.global = global;
            code = cli::compare_command(cfg, compare_options);
        } else if (config_cmd->parsed()) {
            config_options.global = global;
            code = cli::config_command(cfg, config_options);
        }
        spdlog::shutdown();
        return code;
    } catch (const Error& e) {
        print_error(e.what());
        return static_cast<int>(e.code());
    } catch (const std::exception& e) {
        print_error(std::string("internal error: ") + e.what() + " (please report this)");
        return static_cast<int>(ExitCode::runtime_error);
    }
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run_cli(argc, argv);
    } catch (...) {
        // Only while setting up the command line or reporting an error (out of memory, most likely): nothing
        // here may allocate.
        std::fputs("perfrunner: internal error (please report this)\n", stderr);
        return static_cast<int>(ExitCode::runtime_error);
    }
}
