#include "perfrunner/check/compose_drift.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "perfrunner/adapters/cadvisor_json.hpp"

namespace perfrunner::check {
namespace {

constexpr double kMiB = 1048576.0;

std::optional<double> parse_cpus(const nlohmann::json& v) {
    if (v.is_number()) {
        return v.get<double>();
    }
    if (v.is_string()) {
        try {
            return std::stod(v.get<std::string>());
        } catch (const std::exception&) {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

const nlohmann::json* path(const nlohmann::json& j, std::initializer_list<const char*> keys) {
    const nlohmann::json* cur = &j;
    for (const char* k : keys) {
        if (!cur->is_object()) {
            return nullptr;
        }
        auto it = cur->find(k);
        if (it == cur->end() || it->is_null()) {
            return nullptr;
        }
        cur = &*it;
    }
    return cur;
}

}  // namespace

std::optional<std::uint64_t> parse_compose_bytes(const nlohmann::json& v) {
    if (v.is_number_unsigned() || v.is_number_integer()) {
        return v.get<std::uint64_t>();
    }
    if (v.is_number_float()) {
        return static_cast<std::uint64_t>(v.get<double>());
    }
    if (!v.is_string()) {
        return std::nullopt;
    }
    std::string s = v.get<std::string>();
    if (s.empty()) {
        return std::nullopt;
    }
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (s.back() == 'b') {
        s.pop_back();
    }
    double scale = 1;
    if (!s.empty() && std::string("kmg").find(s.back()) != std::string::npos) {
        scale = s.back() == 'k' ? 1024.0 : s.back() == 'm' ? kMiB : kMiB * 1024.0;
        s.pop_back();
    }
    try {
        std::size_t used = 0;
        const double n = std::stod(s, &used);
        if (used != s.size() || n < 0) {
            return std::nullopt;
        }
        return static_cast<std::uint64_t>(std::llround(n * scale));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::vector<CheckRow> compose_drift(const nlohmann::json& compose_config,
                                    const std::vector<CatalogueEntry>& catalogue,
                                    const std::map<std::string, std::uint64_t>& observed_memory_limits,
                                    const std::string& project_name) {
    std::vector<CheckRow> rows;
    const auto* services = path(compose_config, {"services"});
    if (services == nullptr || !services->is_object()) {
        rows.push_back({"drift", "compose config", "problem", "no services in `compose config` output"});
        return rows;
    }
    std::set<std::string> provided;
    for (const auto& [service, spec] : services->items()) {
        std::string name;
        if (const auto* cn = path(spec, {"container_name"}); cn && cn->is_string()) {
            name = cn->get<std::string>();
        }
        const std::string generated = fmt::format("{}-{}-1", project_name, service);
        const CatalogueEntry* entry = nullptr;
        for (const auto& e : catalogue) {
            if (e.name == name || e.name == service || e.name == generated) {
                entry = &e;
            }
        }
        const std::string shown = name.empty() ? generated : name;
        if (entry == nullptr) {
            rows.push_back(
                {"drift", shown, "problem",
                 fmt::format("service {} ({}) is not in the container catalogue (add it to `containers`)",
                             service, shown)});
            continue;
        }
        provided.insert(entry->name);
        std::optional<double> cpus;
        if (const auto* v = path(spec, {"cpus"})) {
            cpus = parse_cpus(*v);
        }
        if (!cpus) {
            if (const auto* v = path(spec, {"deploy", "resources", "limits", "cpus"})) {
                cpus = parse_cpus(*v);
            }
        }
        if (entry->cpu_cores && cpus && std::fabs(*entry->cpu_cores - *cpus) > 1e-6) {
            rows.push_back({"drift", entry->name, "problem",
                            fmt::format("catalogue cpu_cores {:g} but compose limits it to {:g} CPUs",
                                        *entry->cpu_cores, *cpus)});
        }
        std::optional<std::uint64_t> memory;
        if (const auto* v = path(spec, {"mem_limit"})) {
            memory = parse_compose_bytes(*v);
        }
        if (!memory) {
            if (const auto* v = path(spec, {"deploy", "resources", "limits", "memory"})) {
                memory = parse_compose_bytes(*v);
            }
        }
        if (auto it = observed_memory_limits.find(entry->name);
            memory && it != observed_memory_limits.end()) {
            const bool unlimited = adapters::cadvisor::memory_limit_is_unlimited(it->second);
            if (unlimited || it->second != *memory) {
                rows.push_back(
                    {"drift", entry->name, "problem",
                     fmt::format("compose sets memory {:.0f} MB but the running container has {} (recreate "
                                 "it: compose up -d)",
                                 static_cast<double>(*memory) / kMiB,
                                 unlimited
                                     ? std::string("no limit")
                                     : fmt::format("{:.0f} MB", static_cast<double>(it->second) / kMiB))});
            }
        }
        rows.push_back({"drift", entry->name, "ok", "in compose and catalogue"});
    }
    for (const auto& e : catalogue) {
        if (!provided.count(e.name)) {
            rows.push_back({"drift", e.name, "problem",
                            "catalogue entry of an active profile that no active compose service provides"});
        }
    }
    return rows;
}

}  // namespace perfrunner::check
