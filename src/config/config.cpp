#include "perfrunner/config/config.hpp"

#include <algorithm>
#include <cctype>

namespace perfrunner::config {

const ContainerSpec* Config::find_container(const std::string& name) const {
    for (const auto& c : containers) {
        if (c.name == name) {
            return &c;
        }
    }
    return nullptr;
}

std::string Config::display_name(const std::string& container) const {
    if (const auto* spec = find_container(container); spec != nullptr && !spec->display_name.empty()) {
        return spec->display_name;
    }
    // Reference fallback: strip "rideshare-", then title-case every dash-separated word.
    std::string base = container;
    constexpr std::string_view prefix = "rideshare-";
    if (base.rfind(prefix, 0) == 0) {
        base.erase(0, prefix.size());
    }
    std::string out;
    bool word_start = true;
    for (char ch : base) {
        if (ch == '-' || ch == '_') {
            out.push_back(' ');
            word_start = true;
            continue;
        }
        const auto uch = static_cast<unsigned char>(ch);
        out.push_back(word_start ? static_cast<char>(std::toupper(uch))
                                 : static_cast<char>(std::tolower(uch)));
        word_start = false;
    }
    return out;
}

std::vector<const ContainerSpec*> Config::expected_containers() const {
    std::vector<const ContainerSpec*> out;
    for (const auto& c : containers) {
        if (std::find(docker.profiles.begin(), docker.profiles.end(), c.profile) != docker.profiles.end()) {
            out.push_back(&c);
        }
    }
    return out;
}

}  // namespace perfrunner::config
