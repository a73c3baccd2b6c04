#include "huge_pages.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace perfrunner::cli {
namespace {

constexpr const char* kTunables = "GLIBC_TUNABLES";
constexpr const char* kHugePages = "glibc.malloc.hugetlb=1";
// Set only between the two starts: the caller's GLIBC_TUNABLES, prefixed with '=' when it had one (an unset
// variable and an empty one stay distinct).
constexpr const char* kCallerTunables = "PERFRUNNER_CALLER_GLIBC_TUNABLES";

// "always" needs no advice and "never" ignores it: only "madvise" gains from the tunable.
bool huge_pages_on_advice() {
    std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
    std::string modes;
    std::getline(in, modes);
    return modes.find("[madvise]") != std::string::npos;
}

void restore_caller_tunables(const std::string& saved) {
    if (saved.empty()) {
        ::unsetenv(kTunables);  // NOLINT(concurrency-mt-unsafe): before any thread starts
    } else {
        ::setenv(kTunables, saved.c_str() + 1, 1);  // NOLINT(concurrency-mt-unsafe)
    }
    ::unsetenv(kCallerTunables);  // NOLINT(concurrency-mt-unsafe)
}

}  // namespace

void restart_with_huge_pages(char** argv) {
#if defined(__GLIBC__) && defined(__linux__)
    if (const char* saved = std::getenv(kCallerTunables); saved != nullptr) {
        restore_caller_tunables(saved);  // the second start: malloc already read the tunable
        return;
    }
    const char* current = std::getenv(kTunables);
    const std::string caller = current != nullptr ? current : "";
    if (caller.find("glibc.malloc.hugetlb") != std::string::npos || !huge_pages_on_advice()) {
        return;  // the user chose, or the advice would change nothing
    }
    const std::string saved = current != nullptr ? "=" + caller : "";
    const std::string tunables = caller.empty() ? kHugePages : caller + ":" + kHugePages;
    ::setenv(kCallerTunables, saved.c_str(), 1);  // NOLINT(concurrency-mt-unsafe): before any thread starts
    ::setenv(kTunables, tunables.c_str(), 1);     // NOLINT(concurrency-mt-unsafe)
    ::execv("/proc/self/exe", argv);
    restore_caller_tunables(saved);  // execv failed (no /proc?): go on in this process
#else
    (void)argv;
#endif
}

}  // namespace perfrunner::cli
