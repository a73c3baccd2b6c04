#pragma once
// Which labels of cAdvisor's series say which container and which host they belong to (../shared/spec/
// prometheus.md, "Series and labels"): a standalone cAdvisor names Docker containers (`name`, compose
// labels), the kubelet's cAdvisor names Kubernetes containers (`namespace`, `pod`, `container`; pod-level
// cgroups have container="" and pause containers container="POD"). The host is a target label: `instance` by
// default, `node` on Kubernetes, or any label the scrape config adds (the bundled stack adds `host`).
#include <optional>
#include <string>
#include <vector>

#include "perfrunner/adapters/prometheus_api.hpp"

namespace perfrunner::adapters::prometheus {

enum class LabelScheme { docker, kubernetes };

struct LabelMapping {
    LabelScheme scheme = LabelScheme::docker;
    std::string host_label = "instance";
    // Docker (standalone cAdvisor)
    std::string name_label = "name";
    std::string service_label = "container_label_com_docker_compose_service";
    std::string project_label = "container_label_com_docker_compose_project";
    // Kubernetes (kubelet's cAdvisor)
    std::string namespace_label = "namespace";
    std::string pod_label = "pod";
    std::string container_label = "container";
};

// The labels a tick query keeps per container (`by (...)`): identity, cgroup id and host.
std::vector<std::string> container_identity_labels(const LabelMapping& mapping);

// The series of containers only (not the root or pod-level cgroups, not pause containers), optionally only
// those of one compose project. Without braces: `name!=""` or `container!="",container!="POD"`.
std::string container_matchers(const LabelMapping& mapping, const std::string& compose_project);

// How a container's series is shown and told apart: the Docker name, or namespace/pod/container.
std::string container_display_name(const Labels& labels, const LabelMapping& mapping);
std::string host_of(const Labels& labels, const LabelMapping& mapping);

// Does the configured (catalogue) container name these series? The answer says how ("name" | "label" |
// "generated_name" | "kubernetes"), nullopt when not.
//   Docker: the `name` label equals it; else the compose service label does (with the project when one is
//   configured), or it is the compose-generated <project>-<service>-<n> / <project>_<service>_<n>.
//   Kubernetes: "<namespace>/<pod>/<container>" exactly, where <pod> may end in "*" (any pod whose name
//   starts so: the pods of a Deployment), or "<pod>/<container>" in any namespace.
std::optional<std::string> match_configured(const std::string& configured, const Labels& labels,
                                            const LabelMapping& mapping, const std::string& compose_project);

}  // namespace perfrunner::adapters::prometheus
