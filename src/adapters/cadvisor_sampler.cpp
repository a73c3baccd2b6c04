#include "perfrunner/adapters/cadvisor_sampler.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "perfrunner/adapters/compose_names.hpp"
#include "perfrunner/adapters/json_input.hpp"
#include "perfrunner/config/config.hpp"
#include "perfrunner/config/secrets.hpp"

namespace perfrunner::adapters {
namespace {

constexpr double kMiB = 1048576.0;

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string label(const cadvisor::ContainerInfo& c, const std::string& key) {
    auto it = c.labels.find(key);
    return it == c.labels.end() ? std::string() : it->second;
}

}  // namespace

std::optional<ContainerMatch> match_container(const std::string& name,
                                              const std::vector<cadvisor::ContainerInfo>& containers,
                                              const std::string& compose_project) {
    // 1. exact alias (Docker: [name, id]); a leading "/" of a Docker name is ignored.
    for (std::size_t i = 0; i < containers.size(); ++i) {
        for (const auto& alias : containers[i].aliases) {
            if (alias == name || (!alias.empty() && alias[0] == '/' && alias.substr(1) == name)) {
                return ContainerMatch{i, "alias"};
            }
        }
    }
    // 2. compose labels
    for (std::size_t i = 0; i < containers.size(); ++i) {
        const auto service = label(containers[i], "com.docker.compose.service");
        const auto project = label(containers[i], "com.docker.compose.project");
        if (service.empty()) {
            continue;
        }
        if (!compose_project.empty() && project != compose_project) {
            continue;
        }
        if (service == name || (!project.empty() && compose_generated_name(name, project, service))) {
            return ContainerMatch{i, "label"};
        }
    }
    // 3. cgroup name suffix, a whole path component
    for (std::size_t i = 0; i < containers.size(); ++i) {
        if (ends_with(containers[i].key, "/" + name) || ends_with(containers[i].name, "/" + name)) {
            return ContainerMatch{i, "name_suffix"};
        }
    }
    return std::nullopt;
}

EffectiveCores effective_cores(const cadvisor::ContainerInfo& c, std::optional<double> override_cores) {
    if (override_cores && *override_cores > 0.0) {
        return {*override_cores, "override"};
    }
    if (c.cpu_quota_us && c.cpu_period_us && *c.cpu_quota_us > 0 && *c.cpu_period_us > 0) {
        return {static_cast<double>(*c.cpu_quota_us) / static_cast<double>(*c.cpu_period_us), "quota"};
    }
    if (const int n = cadvisor::cpuset_count(c.cpu_mask); n > 0) {
        return {static_cast<double>(n), "cpuset"};
    }
    return {1.0, "default"};
}

CadvisorSampler::CadvisorSampler(CadvisorSamplerOptions options)
    : options_(std::move(options)),
      http_(HttpClientOptions{.connect_timeout_seconds = options_.connect_timeout_seconds,
                              .timeout_seconds = options_.timeout_seconds,
                              .max_retries = 0,  // a failed tick is recorded as a gap; the next tick retries
                              .backoff_initial_seconds = 0.5,
                              .default_retry_after_seconds = 60.0,
                              .api_key = {},
                              .sleep = {},
                              .max_body_bytes = std::size_t{64} << 20U}) {
    while (!options_.base_url.empty() && options_.base_url.back() == '/') {
        options_.base_url.pop_back();
    }
    for (const auto& c : options_.containers) {
        baselines_[c.name] = std::nullopt;
    }
}

CadvisorSamplerOptions CadvisorSampler::options_from(const config::Config& config) {
    CadvisorSamplerOptions o;
    o.base_url = config.docker.cadvisor_url;
    o.timeout_seconds = config.docker.cadvisor_timeout > 0 ? config.docker.cadvisor_timeout : 5.0;
    o.connect_timeout_seconds = config.api.connect_timeout > 0 ? config.api.connect_timeout : 5.0;
    o.compose_project = config.docker.project_name;
    for (const auto& spec : config.containers) {
        const auto& profiles = config.docker.profiles;
        const bool active = spec.profile.empty() || profiles.empty() ||
                            std::find(profiles.begin(), profiles.end(), spec.profile) != profiles.end();
        if (active) {
            o.containers.push_back({spec.name, spec.cpu_cores});
        }
    }
    return o;
}

void CadvisorSampler::reset_baselines() {
    for (auto& [name, baseline] : baselines_) {
        baseline.reset();
    }
    host_baseline_.reset();
}

CadvisorSampler::Rate CadvisorSampler::advance(std::optional<Baseline>& baseline, const std::string& id,
                                               const cadvisor::Stat& stat) {
    Rate rate;
    if (!stat.cpu_total_ns) {
        return rate;  // no CPU figure in this stat: keep the baseline
    }
    const Baseline current{id, stat.timestamp_ns, *stat.cpu_total_ns};
    if (!baseline) {
        baseline = current;
        return rate;
    }
    if (current.id != baseline->id || current.total_ns < baseline->total_ns) {
        rate.counter_reset = true;
        baseline = current;
        return rate;
    }
    const std::int64_t dt = current.timestamp_ns - baseline->timestamp_ns;
    if (dt <= 0) {
        rate.stale =
            true;  // no newer stat than at the previous poll (or time went backwards): keep the baseline
        return rate;
    }
    const std::uint64_t used = current.total_ns - baseline->total_ns;
    rate.cpu_percent = 100.0 * static_cast<double>(used) / static_cast<double>(dt);
    baseline = current;
    return rate;
}

ports::MetricsReading CadvisorSampler::evaluate(const std::vector<cadvisor::ContainerInfo>& containers,
                                                const std::optional<cadvisor::ContainerInfo>& root) {
    ports::MetricsReading reading;
    reading.ok = true;
    const std::uint64_t capacity = machine_ ? machine_->memory_capacity : 0;
    for (const auto& configured : options_.containers) {
        const auto match = match_container(configured.name, containers, options_.compose_project);
        if (!match || containers[match->index].stats.empty()) {
            reading.missing.push_back(configured.name);
            continue;
        }
        const auto& info = containers[match->index];
        const auto& stat = *info.newest();
        ports::ContainerReading r;
        r.name = configured.name;
        r.memory_used_mb = static_cast<double>(stat.memory_working_set.value_or(0)) / kMiB;
        if (info.memory_limit && !cadvisor::memory_limit_is_unlimited(*info.memory_limit, capacity)) {
            r.memory_limit_mb = static_cast<double>(*info.memory_limit) / kMiB;
            r.memory_percent = r.memory_used_mb / r.memory_limit_mb * 100.0;
        }
        if (stat.memory_rss) {
            r.memory_rss_mb = static_cast<double>(*stat.memory_rss) / kMiB;
        }
        if (stat.memory_usage) {
            r.memory_usage_mb = static_cast<double>(*stat.memory_usage) / kMiB;
        }
        const auto cores = effective_cores(info, configured.cpu_cores);
        r.cpu_cores_effective = cores.cores;
        r.cores_source = cores.source;
        r.cadvisor_timestamp = stat.timestamp;
        const auto rate = advance(baselines_[configured.name], info.id.empty() ? info.key : info.id, stat);
        r.cpu_percent = rate.cpu_percent;
        r.stale = rate.stale;
        r.counter_reset = rate.counter_reset;
        reading.containers.push_back(std::move(r));
    }
    if (root && root->newest() != nullptr) {
        const auto& stat = *root->newest();
        ports::HostReading host;
        host.num_cores = machine_ ? machine_->num_cores : 0;
        const auto rate = advance(host_baseline_, "/", stat);
        host.cpu_percent = rate.cpu_percent;
        if (rate.cpu_percent && host.num_cores > 0) {
            host.cpu_percent_of_host = *rate.cpu_percent / host.num_cores;
        }
        if (stat.memory_working_set) {
            host.memory_used_mb = static_cast<double>(*stat.memory_working_set) / kMiB;
        }
        if (capacity > 0) {
            host.memory_total_mb = static_cast<double>(capacity) / kMiB;
        }
        reading.host = host;
    }
    return reading;
}

nlohmann::json CadvisorSampler::get_json(const std::string& path) {
    HttpRequest request;
    request.url = options_.base_url + path;
    if (options_.num_stats > 0 && path.rfind("/api/v1.3/", 0) == 0 && path != "/api/v1.3/machine") {
        request.body = fmt::format(R"({{"num_stats":{}}})", options_.num_stats);
    }
    const auto response = http_.send_ok(request);
    try {
        return parse_json_input(response.body);
    } catch (const nlohmann::json::exception&) {
        throw RuntimeFailure(
            fmt::format("cAdvisor GET {}: response is not valid JSON: {} (is {} a cAdvisor?)",
                        config::redact_url_credentials(request.url), body_excerpt(response.body),
                        config::redact_url_credentials(options_.base_url)));
    }
}

std::vector<cadvisor::ContainerInfo> CadvisorSampler::fetch_docker_containers() {
    const auto document = get_json("/api/v1.3/docker/");
    try {
        return cadvisor::parse_containers(document);
    } catch (const std::exception& e) {
        throw RuntimeFailure(fmt::format("cAdvisor GET {}/api/v1.3/docker/: unexpected response shape: {}",
                                         config::redact_url_credentials(options_.base_url), e.what()));
    }
}

std::optional<cadvisor::ContainerInfo> CadvisorSampler::fetch_root() {
    const auto document = get_json("/api/v1.3/containers/");
    auto list = cadvisor::parse_containers(document);
    for (auto& c : list) {
        if (c.name == "/" || c.key == "/") {
            return std::move(c);
        }
    }
    return std::nullopt;
}

cadvisor::MachineInfo CadvisorSampler::fetch_machine() {
    try {
        return cadvisor::parse_machine(get_json("/api/v1.3/machine"));
    } catch (const HttpError&) {
        throw;
    } catch (const RuntimeFailure&) {
        throw;
    } catch (const std::exception& e) {
        throw RuntimeFailure(fmt::format("cAdvisor GET {}/api/v1.3/machine: {}",
                                         config::redact_url_credentials(options_.base_url), e.what()));
    }
}

void CadvisorSampler::healthz() {
    http_.get_ok(options_.base_url + "/healthz");
}

ports::MetricsReading CadvisorSampler::poll() {
    std::vector<cadvisor::ContainerInfo> containers;
    try {
        containers = fetch_docker_containers();
    } catch (const std::exception& e) {
        ports::MetricsReading failed;
        failed.ok = false;
        failed.error = fmt::format("cadvisor: {}", e.what());
        return failed;
    }
    std::optional<cadvisor::ContainerInfo> root;
    std::string host_error;
    if (options_.read_host) {
        try {
            if (!machine_) {
                machine_ = fetch_machine();
            }
            root = fetch_root();
        } catch (const std::exception& e) {
            host_error = fmt::format("cadvisor host: {}", e.what());
        }
    }
    auto reading = evaluate(containers, root);
    if (!host_error.empty()) {
        reading.error = host_error;  // partial: containers read, host figures missing
    }
    return reading;
}

}  // namespace perfrunner::adapters
