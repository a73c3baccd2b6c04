// libFuzzer target: the config layers a user controls. The first line of the input is one `--set` argument,
// the rest is the config file. Every outcome must be a Config or one perfrunner::Error, never a crash.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "perfrunner/config/config.hpp"
#include "perfrunner/error.hpp"

namespace {

// The config file of this fuzzing process, written for one input and removed after it (not at exit: an atexit
// handler registered while this string is built runs after its destructor, and so removed nothing).
const std::string& config_path() {
    static const std::string path = "/tmp/perfrunner-fuzz-config-" + std::to_string(::getpid()) + ".json";
    return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::size_t nl = text.find('\n');
    const std::string set_argument(text.substr(0, nl));
    const std::string_view file_text =
        nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    std::FILE* f = std::fopen(config_path().c_str(), "wb");
    if (f == nullptr) {
        std::abort();
    }
    std::fwrite(file_text.data(), 1, file_text.size(), f);
    std::fclose(f);

    perfrunner::config::LoadOptions options;
    options.config_file = config_path();
    options.set_overrides = {set_argument};
    options.read_environment = false;
    try {
        (void)perfrunner::config::load(options);
    } catch (const perfrunner::Error&) {
        // refused with one line naming the key
    }
    std::remove(config_path().c_str());
    return 0;
}
