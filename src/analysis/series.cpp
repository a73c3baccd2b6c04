#include "perfrunner/analysis/series.hpp"
#include "perfrunner/model/container_label.hpp"

#include <algorithm>
#include <cctype>

namespace perfrunner::analysis {

Series extract(const model::ScenarioResult& scenario, model::ContainerId id, std::size_t begin,
               std::size_t end, const SampleValue& value) {
    Series s;
    end = std::min(end, scenario.samples.size());
    for (std::size_t i = begin; i < end; ++i) {
        const auto& sample = scenario.samples[i];
        const auto* c = sample.find(id);
        if (c == nullptr || c->missing) {
            continue;
        }
        if (auto v = value(*c)) {
            s.t.push_back(sample.timestamp);
            s.y.push_back(*v);
        }
    }
    return s;
}

std::vector<double> minutes_since_first(const std::vector<double>& t_seconds) {
    std::vector<double> out(t_seconds.size());
    for (std::size_t i = 0; i < t_seconds.size(); ++i) {
        out[i] = (t_seconds[i] - t_seconds[0]) / 60.0;
    }
    return out;
}

void sort_containers(std::vector<std::string>& names, const config::Config& config) {
    const auto& prio = config.analysis.priority_containers;
    const auto rank = [&](const std::string& n) {
        const auto it = std::find(prio.begin(), prio.end(), model::label_name(n));
        return static_cast<std::size_t>(it - prio.begin());
    };
    // Grouped by host (several Docker hosts), then by priority, then by name.
    std::sort(names.begin(), names.end(), [&](const std::string& a, const std::string& b) {
        if (model::label_host(a) != model::label_host(b)) {
            return model::label_host(a) < model::label_host(b);
        }
        const auto ra = rank(a), rb = rank(b);
        if (ra != rb) {
            return ra < rb;
        }
        return a < b;
    });
}

std::vector<model::ContainerId> containers_in(const model::RunResult& run,
                                              const model::ScenarioResult& scenario,
                                              const config::Config& config, std::size_t begin,
                                              std::size_t end) {
    std::vector<bool> seen(run.containers.size(), false);
    end = std::min(end, scenario.samples.size());
    for (std::size_t i = begin; i < end; ++i) {
        for (const auto& c : scenario.samples[i].containers) {
            if (!c.missing && c.container < seen.size()) {
                seen[c.container] = true;
            }
        }
    }
    std::vector<std::string> names;
    for (std::size_t i = 0; i < seen.size(); ++i) {
        if (seen[i]) {
            names.push_back(run.container_label(static_cast<model::ContainerId>(i)));
        }
    }
    sort_containers(names, config);
    std::vector<model::ContainerId> ids;
    ids.reserve(names.size());
    for (const auto& n : names) {
        ids.push_back(*run.find_container(n));
    }
    return ids;
}

const config::ContainerSpec* find_spec(const config::Config& config, const std::string& container) {
    for (const auto& c : config.containers) {
        if (c.name == model::label_name(container)) {
            return &c;
        }
    }
    return nullptr;
}

namespace {
double positive_or(double v, double fallback) {
    return v > 0 ? v : fallback;
}
}  // namespace

ContainerThresholds thresholds_for(const config::Config& config, const std::string& container) {
    const auto& t = config.thresholds;
    // 0 means "not configured": the documented defaults (reference-framework.md §2, statistics.md §6).
    ContainerThresholds r{
        positive_or(t.memory_leak_mb_per_min, 1.0),   positive_or(t.memory_leak_monitor_mb_per_min, 0.5),
        positive_or(t.memory_warning_percent, 70.0),  positive_or(t.memory_critical_percent, 85.0),
        positive_or(t.cpu_leak_percent_per_min, 5.0), positive_or(t.cpu_warning_percent, 70.0),
        positive_or(t.cpu_critical_percent, 85.0)};
    const auto it = t.container_overrides.find(std::string(model::label_name(container)));
    if (it != t.container_overrides.end()) {
        const auto& o = it->second;
        if (o.memory_leak_mb_per_min) {
            r.memory_leak_mb_per_min = *o.memory_leak_mb_per_min;
        }
        if (o.memory_warning_percent) {
            r.memory_warning_percent = *o.memory_warning_percent;
        }
        if (o.memory_critical_percent) {
            r.memory_critical_percent = *o.memory_critical_percent;
        }
        if (o.cpu_leak_percent_per_min) {
            r.cpu_leak_percent_per_min = *o.cpu_leak_percent_per_min;
        }
        if (o.cpu_warning_percent) {
            r.cpu_warning_percent = *o.cpu_warning_percent;
        }
        if (o.cpu_critical_percent) {
            r.cpu_critical_percent = *o.cpu_critical_percent;
        }
    }
    return r;
}

double effective_cores(const config::Config& config, const std::string& container,
                       std::optional<double> from_samples) {
    if (const auto* spec = find_spec(config, container); spec && spec->cpu_cores && *spec->cpu_cores > 0) {
        return *spec->cpu_cores;
    }
    if (from_samples && *from_samples > 0) {
        return *from_samples;
    }
    return 1.0;
}

std::string display_name(const config::Config& config, const std::string& container) {
    if (const auto host = model::label_host(container); !host.empty()) {  // "name@host": "Display (host)"
        return display_name(config, std::string(model::label_name(container))) + " (" + std::string(host) +
               ")";
    }
    if (const auto* spec = find_spec(config, container); spec && !spec->display_name.empty()) {
        return spec->display_name;
    }
    std::string base = container;
    const std::string prefix = "rideshare-";
    if (base.rfind(prefix, 0) == 0) {
        base = base.substr(prefix.size());
    }
    bool start = true;
    for (auto& ch : base) {
        if (ch == '-' || ch == '_') {
            ch = ' ';
            start = true;
        } else if (start) {
            ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            start = false;
        }
    }
    return base;
}

PhaseRanges phase_ranges(const model::ScenarioResult& scenario) {
    PhaseRanges r;
    const std::size_t n = scenario.samples.size();
    const auto* md = std::get_if<model::DurationMetadata>(&scenario.metadata);
    r.has_counts = md != nullptr && md->phase_sample_counts.has_value();
    if (!r.has_counts) {
        r.active_end = r.drain_end = r.cooldown_end = n;
        return r;
    }
    const auto& counts = *md->phase_sample_counts;
    r.active_end = std::min(counts.active.value_or(0), n);
    r.drain_end = std::min(r.active_end + counts.drain.value_or(0), n);
    r.cooldown_end = std::min(r.drain_end + counts.cooldown.value_or(0), n);
    return r;
}

}  // namespace perfrunner::analysis
