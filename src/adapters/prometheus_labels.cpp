#include "perfrunner/adapters/prometheus_labels.hpp"

#include <algorithm>

#include "perfrunner/adapters/compose_names.hpp"

namespace perfrunner::adapters::prometheus {
namespace {

std::string label(const Labels& labels, const std::string& key) {
    if (key.empty()) {
        return {};
    }
    const auto it = labels.find(key);
    return it == labels.end() ? std::string() : it->second;
}

std::vector<std::string> split(const std::string& text, char sep) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == sep) {
            parts.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    }
    return parts;
}

bool pod_matches(const std::string& pattern, const std::string& pod) {
    if (!pattern.empty() && pattern.back() == '*') {
        const std::string prefix = pattern.substr(0, pattern.size() - 1);
        return pod.compare(0, prefix.size(), prefix) == 0;
    }
    return pattern == pod;
}

}  // namespace

std::vector<std::string> container_identity_labels(const LabelMapping& m) {
    std::vector<std::string> keep;
    if (m.scheme == LabelScheme::docker) {
        keep = {m.name_label, m.service_label, m.project_label};
    } else {
        keep = {m.namespace_label, m.pod_label, m.container_label};
    }
    keep.emplace_back("id");
    keep.push_back(m.host_label);
    keep.erase(std::remove(keep.begin(), keep.end(), std::string()), keep.end());
    std::sort(keep.begin(), keep.end());
    keep.erase(std::unique(keep.begin(), keep.end()), keep.end());
    return keep;
}

std::string container_matchers(const LabelMapping& m, const std::string& compose_project) {
    if (m.scheme == LabelScheme::kubernetes) {
        return m.container_label + "!=\"\"," + m.container_label + "!=\"POD\"";
    }
    std::string matchers = m.name_label + "!=\"\"";
    if (!compose_project.empty() && !m.project_label.empty()) {
        matchers += "," + m.project_label + "=" + promql_string(compose_project);
    }
    return matchers;
}

std::string container_display_name(const Labels& labels, const LabelMapping& m) {
    if (m.scheme == LabelScheme::docker) {
        return label(labels, m.name_label);
    }
    return label(labels, m.namespace_label) + "/" + label(labels, m.pod_label) + "/" +
           label(labels, m.container_label);
}

std::string host_of(const Labels& labels, const LabelMapping& m) {
    return label(labels, m.host_label);
}

std::optional<std::string> match_configured(const std::string& configured, const Labels& labels,
                                            const LabelMapping& m, const std::string& compose_project) {
    if (m.scheme == LabelScheme::docker) {
        const std::string name = label(labels, m.name_label);
        if (!name.empty() && (name == configured || (name[0] == '/' && name.substr(1) == configured))) {
            return "name";
        }
        const std::string service = label(labels, m.service_label);
        const std::string project = label(labels, m.project_label);
        if (service.empty() || (!compose_project.empty() && project != compose_project)) {
            return std::nullopt;
        }
        if (service == configured) {
            return "label";
        }
        if (!project.empty() && compose_generated_name(configured, project, service)) {
            return "generated_name";
        }
        return std::nullopt;
    }
    const std::string container = label(labels, m.container_label);
    if (container.empty() || container == "POD") {
        return std::nullopt;
    }
    const auto parts = split(configured, '/');
    const std::string ns = label(labels, m.namespace_label);
    const std::string pod = label(labels, m.pod_label);
    if (parts.size() == 3 && parts[0] == ns && pod_matches(parts[1], pod) && parts[2] == container) {
        return "kubernetes";
    }
    if (parts.size() == 2 && pod_matches(parts[0], pod) && parts[1] == container) {
        return "kubernetes";
    }
    return std::nullopt;
}

}  // namespace perfrunner::adapters::prometheus
