#pragma once
// Compose's generated container names, shared by every metrics source that maps a configured container to a
// series (cAdvisor's container list, Prometheus labels).
#include <string>

namespace perfrunner::adapters {

// True when `name` is "<project>-<service>-<n>" (compose v2) or "<project>_<service>_<n>" (v1), n all digits.
bool compose_generated_name(const std::string& name, const std::string& project, const std::string& service);

}  // namespace perfrunner::adapters
