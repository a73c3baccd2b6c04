#include "perfrunner/adapters/docker_cli.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "perfrunner/adapters/json_input.hpp"
#include "perfrunner/config/config.hpp"
#include "perfrunner/error.hpp"

namespace perfrunner::adapters {
DockerCli::DockerCli(DockerCliOptions options) : options_(std::move(options)) {
    if (!options_.now) {
        options_.now = [] {
            return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
        };
    }
    if (!options_.sleep) {
        options_.sleep = [](double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); };
    }
}

DockerCliOptions DockerCli::options_from(const config::Config& config) {
    DockerCliOptions o;
    o.compose_file = config.docker.compose_file;
    o.profiles = config.docker.profiles;
    o.project_name = config.docker.project_name;
    o.compose_command = config.docker.compose_command;
    if (config.docker.health_timeout_seconds > 0) {
        o.health_timeout_seconds = config.docker.health_timeout_seconds;
    }
    if (config.docker.command_timeout_seconds > 0) {
        o.command_timeout_seconds = config.docker.command_timeout_seconds;
    }
    for (const auto& spec : config.containers) {
        const auto& p = config.docker.profiles;
        if (spec.profile.empty() || p.empty() || std::find(p.begin(), p.end(), spec.profile) != p.end()) {
            o.expected_containers.push_back(spec.name);
        }
    }
    return o;
}

ProcessResult DockerCli::run(const std::vector<std::string>& argv, bool must_succeed,
                             std::optional<double> timeout) {
    ProcessOptions po;
    po.timeout_seconds = timeout.value_or(options_.command_timeout_seconds);
    po.cancelled = options_.cancelled;
    if (!options_.docker_host.empty()) {
        po.environment["DOCKER_HOST"] = options_.docker_host;
    }
    ++processes_started_;
    auto result = run_process(argv, po);
    if ((must_succeed && !result.ok()) || result.interrupted) {
        throw RuntimeFailure(describe_failure(argv, result, po));
    }
    return result;
}

const std::vector<std::string>& DockerCli::compose_command() {
    if (compose_prefix_) {
        return *compose_prefix_;
    }
    std::vector<std::vector<std::string>> candidates;
    if (!options_.compose_command.empty()) {
        candidates.push_back(options_.compose_command);
    } else {
        candidates.push_back({options_.docker, "compose"});
        candidates.push_back({"docker-compose"});
    }
    std::string failures;
    for (const auto& c : candidates) {
        auto argv = c;
        argv.push_back("version");
        try {
            const auto r = run(argv, false, 30.0);
            if (r.ok()) {
                compose_prefix_ = c;
                const auto nl = r.out.find('\n');
                compose_version_ = r.out.substr(0, nl);
                return *compose_prefix_;
            }
            failures += (failures.empty() ? "" : "; ") + describe_failure(argv, r, {});
        } catch (const RuntimeFailure& e) {
            failures += (failures.empty() ? "" : "; ") + std::string(e.what());
        }
    }
    throw RuntimeFailure("docker compose: neither `docker compose` (v2) nor `docker-compose` (v1) works: " +
                         failures + " (install compose or set docker.compose_command)");
}

bool DockerCli::compose_is_v2() {
    const auto& c = compose_command();
    if (c.size() >= 2 && c[1] == "compose") {
        return true;
    }
    const auto v = compose_version();
    // "Docker Compose version 2.26.1-4" / "docker-compose version 1.29.2, build ..."
    const auto pos = v.find("version ");
    if (pos == std::string::npos) {
        return false;
    }
    std::string num = v.substr(pos + 8);
    if (!num.empty() && num[0] == 'v') {
        num.erase(0, 1);
    }
    return !num.empty() && num[0] >= '2';
}

std::string DockerCli::compose_version() {
    compose_command();
    return compose_version_;
}

std::string DockerCli::engine_version() {
    const auto r = run({options_.docker, "version", "--format", "{{.Server.Version}}"}, true, 30.0);
    auto v = r.out;
    while (!v.empty() && (v.back() == '\n' || v.back() == '\r' || v.back() == ' ')) {
        v.pop_back();
    }
    return v;
}

std::string DockerCli::project_name() {
    if (!options_.project_name.empty()) {
        return options_.project_name;
    }
    namespace fs = std::filesystem;
    const fs::path dir = fs::absolute(fs::path(options_.compose_file)).parent_path();
    std::ifstream env(dir / ".env");
    std::string line;
    while (std::getline(env, line)) {
        const std::string key = "COMPOSE_PROJECT_NAME=";
        if (line.rfind(key, 0) == 0) {
            return line.substr(key.size());
        }
    }
    std::string name = dir.filename().string();
    std::string cleaned;
    for (char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || ch == '-' || ch == '_') {
            cleaned += static_cast<char>(std::tolower(c));
        }
    }
    return cleaned;
}

std::vector<std::string> DockerCli::compose_args(std::initializer_list<std::string> extra) {
    std::vector<std::string> argv = compose_command();
    if (!options_.compose_file.empty()) {
        argv.push_back("-f");
        argv.push_back(options_.compose_file);
    }
    if (!options_.project_name.empty()) {
        argv.push_back("-p");
        argv.push_back(options_.project_name);
    }
    for (const auto& p : options_.profiles) {
        argv.push_back("--profile");
        argv.push_back(p);
    }
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
}

std::vector<std::string> DockerCli::down_argv() {
    return compose_args({"down", "-v"});
}

void DockerCli::down() {
    auto argv = down_argv();
    argv.insert(argv.end(), {"-t", "1"});
    run(argv, true);
}

void DockerCli::up() {
    auto argv = compose_args({"up", "-d"});
    if (!options_.services.empty()) {
        argv.emplace_back("--no-deps");  // a dependency may run on another host
        argv.insert(argv.end(), options_.services.begin(), options_.services.end());
    }
    run(argv, true);
}

void DockerCli::clean_restart() {
    down();
    up();
    wait_healthy();
}

std::vector<StackContainer> DockerCli::stack_containers() {
    if (compose_is_v2()) {
        const auto r = run(compose_args({"ps", "-a", "--format", "json"}), true);
        try {
            return parse_compose_ps(r.out);
        } catch (const nlohmann::json::exception& e) {
            throw RuntimeFailure(fmt::format("`{}` printed unparsable JSON: {}",
                                             format_command(compose_args({"ps"})), e.what()));
        }
    }
    // v1 has no `ps --format`: find the project's containers by compose labels.
    const auto r = run({options_.docker, "ps", "-a", "--filter",
                        "label=com.docker.compose.project=" + project_name(), "--format", "{{json .}}"},
                       true);
    std::vector<std::string> names;
    try {
        names = parse_ps_names(r.out);
    } catch (const nlohmann::json::exception& e) {
        throw RuntimeFailure(fmt::format("`docker ps` printed unparsable JSON: {}", e.what()));
    }
    std::vector<StackContainer> out;
    for (const auto& s : inspect(names)) {
        StackContainer c;
        c.name = s.name;
        c.state = s.running ? "running" : "exited";
        c.health = s.health;
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<ports::ContainerState> DockerCli::inspect(const std::vector<std::string>& names) {
    if (names.empty()) {
        return {};
    }
    std::vector<std::string> argv{options_.docker, "inspect"};
    argv.insert(argv.end(), names.begin(), names.end());
    // Exit 1 when one of the names does not exist; the others are still printed.
    const auto r = run(argv, false);
    if (r.timed_out || r.out.find('[') == std::string::npos) {
        if (r.ok()) {
            return {};
        }
        if (r.err.find("No such") != std::string::npos) {
            return {};
        }
        ProcessOptions po;
        po.timeout_seconds = options_.command_timeout_seconds;
        throw RuntimeFailure(describe_failure(argv, r, po));
    }
    try {
        return parse_inspect(r.out);
    } catch (const nlohmann::json::exception& e) {
        throw RuntimeFailure(fmt::format("`docker inspect` printed unparsable JSON: {}", e.what()));
    }
}

void DockerCli::wait_healthy() {
    std::vector<std::string> names = options_.expected_containers;
    if (names.empty()) {
        for (const auto& c : stack_containers()) {
            names.push_back(c.name);
        }
    }
    const double deadline = options_.now() + options_.health_timeout_seconds;
    for (;;) {
        const auto states = inspect(names);
        std::vector<std::string> pending;
        for (const auto& n : names) {
            auto it = std::find_if(states.begin(), states.end(), [&](const auto& s) { return s.name == n; });
            if (it == states.end()) {
                pending.push_back(n + " (missing)");
            } else if (!it->running) {
                pending.push_back(fmt::format("{} (not running, exit code {})", n, it->exit_code));
            } else if (!it->health.empty() && it->health != "healthy") {
                pending.push_back(fmt::format("{} ({})", n, it->health));
            }
        }
        if (pending.empty()) {
            return;
        }
        if (options_.now() >= deadline) {
            std::string list;
            for (const auto& p : pending) {
                list += (list.empty() ? "" : ", ") + p;
            }
            throw RuntimeFailure(
                fmt::format("docker: containers still unhealthy after {:g} s: {} (see `docker logs "
                            "<name>`; raise docker.health_timeout_seconds if they are just slow)",
                            options_.health_timeout_seconds, list));
        }
        options_.sleep(1.0);
    }
}

nlohmann::json DockerCli::compose_config() {
    if (!compose_is_v2()) {
        throw RuntimeFailure("docker compose: v1 (" + compose_version() +
                             ") cannot print the config as JSON; install compose v2 to check drift");
    }
    const auto r = run(compose_args({"config", "--format", "json"}), true);
    try {
        return parse_json_input(r.out);
    } catch (const nlohmann::json::exception& e) {
        throw RuntimeFailure(
            fmt::format("`compose config --format json` printed unparsable JSON: {}", e.what()));
    }
}

void DockerCli::begin_oom_watch(double epoch_seconds) {
    watched_.clear();
    for (const auto& c : stack_containers()) {
        watched_.push_back(c.name);
    }
    for (const auto& n : options_.expected_containers) {
        if (std::find(watched_.begin(), watched_.end(), n) == watched_.end()) {
            watched_.push_back(n);
        }
    }
    oom_.begin(epoch_seconds, inspect(watched_));
    inspect_owed_.clear();
    inspect_all_owed_ = false;
    if (!events_) {
        std::vector<std::string> docker{options_.docker};
        if (!options_.docker_host.empty()) {
            docker.insert(docker.end(), {"-H", options_.docker_host});
        }
        events_ = std::make_unique<DockerEventStream>(
            std::move(docker), options_.event_pipes ? options_.event_pipes : background_event_pipes());
    }
    // Kept running across scenarios; what it brings from before `epoch_seconds` the baseline covers.
    events_->watch(watched_, epoch_seconds);
}

std::vector<model::OomEvent> DockerCli::poll_oom(double now_epoch_seconds) {
    if (!events_) {
        return {};
    }
    auto batch = events_->poll(now_epoch_seconds);
    notes_.insert(notes_.end(), batch.notes.begin(), batch.notes.end());
    inspect_all_owed_ = inspect_all_owed_ || batch.gap;
    const auto since_nano = static_cast<std::int64_t>(oom_.window_start() * 1e9);
    std::vector<DockerOomEvent> ooms;
    for (auto& e : batch.events) {
        if (e.time_nano < since_nano) {
            continue;  // before the baseline (a previous scenario's down/up, a replay after a restart)
        }
        if (e.action == "oom") {
            ooms.push_back(DockerOomEvent{e.container_id, e.container_name, e.time_nano});
        }
        // `kill` comes before its `die`: the die's inspect is enough.
        if (!e.container_name.empty() &&
            (e.action == "oom" || e.action == "die" || e.action == "start" || e.action == "restart")) {
            inspect_owed_.insert(e.container_name);
        }
    }
    const std::vector<std::string> targets =
        inspect_all_owed_ ? watched_ : std::vector<std::string>(inspect_owed_.begin(), inspect_owed_.end());
    std::vector<ports::ContainerState> states;
    if (!targets.empty()) {
        try {
            states = inspect(targets);
            inspect_owed_.clear();
            inspect_all_owed_ = false;
        } catch (const RuntimeFailure& e) {
            // Owed still: retried at the next poll. An `oom` event is reported now all the same (it needs no
            // inspect), and the change the retried inspect finds counts as that kill.
            if (ooms.empty()) {
                throw;
            }
            notes_.push_back(std::string("docker inspect after an oom event failed (retried at the next "
                                         "sample): ") +
                             e.what());
        }
    }
    return oom_.update(now_epoch_seconds, states, ooms);
}

std::vector<std::string> DockerCli::take_notes() {
    return std::exchange(notes_, {});
}

long DockerCli::processes_started() const noexcept {
    return processes_started_ + (events_ ? events_->processes_started() : 0);
}

}  // namespace perfrunner::adapters
