#include "perfrunner/adapters/compose_names.hpp"

#include <algorithm>
#include <cctype>
#include <cstddef>

namespace perfrunner::adapters {

bool compose_generated_name(const std::string& name, const std::string& project, const std::string& service) {
    for (const char sep : {'-', '_'}) {
        std::string prefix = project;
        prefix += sep;
        prefix += service;
        prefix += sep;
        if (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0 &&
            std::all_of(name.begin() + static_cast<std::ptrdiff_t>(prefix.size()), name.end(),
                        [](unsigned char c) { return std::isdigit(c) != 0; })) {
            return true;
        }
    }
    return false;
}

}  // namespace perfrunner::adapters
