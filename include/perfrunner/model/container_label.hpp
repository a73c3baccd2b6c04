#pragma once
// A container's label, "name" or "name@host" (RunResult::container_label): what analysis and reports key a
// container by, so that the same name on two Docker hosts stays two containers. Docker names never hold '@'
// ([a-zA-Z0-9][a-zA-Z0-9_.-]*), so the first '@' separates the name from the host. Config is keyed by name:
// lookups go through label_name.
#include <string_view>

namespace perfrunner::model {

inline std::string_view label_name(std::string_view label) {
    return label.substr(0, label.find('@'));
}

// "" for a label without a host.
inline std::string_view label_host(std::string_view label) {
    const auto at = label.find('@');
    return at == std::string_view::npos ? std::string_view() : label.substr(at + 1);
}

}  // namespace perfrunner::model
