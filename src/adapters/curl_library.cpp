#include "curl_library.hpp"

#include <dlfcn.h>

#include <string>

#include <fmt/format.h>

#include "perfrunner/error.hpp"

namespace perfrunner::adapters {
namespace {

// libcurl's soname since 7.16 (2006): the ABI the headers we build against describe.
constexpr const char* kSoname = "libcurl.so.4";

[[noreturn]] void cannot_load(const std::string& why) {
    throw RuntimeFailure(
        fmt::format("cannot load {} (HTTP requests need it): {}; install libcurl (Debian/Ubuntu: apt-get "
                    "install libcurl4)",
                    kSoname, why));
}

template <typename Function>
void resolve(void* library, const char* name, Function& out) {
    void* symbol = ::dlsym(library, name);
    if (symbol == nullptr) {
        cannot_load(fmt::format("it has no {}", name));
    }
    // dlsym returns a function as void*: POSIX guarantees the conversion back.
    out = reinterpret_cast<Function>(symbol);  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
}

CurlLibrary load() {
    // Never closed: handles and curl's global state live until the process ends.
    void* library = ::dlopen(kSoname, RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
        // dlerror's buffer is per thread, and this runs under the static's initialisation lock.
        const char* why = ::dlerror();  // NOLINT(concurrency-mt-unsafe)
        cannot_load(why != nullptr ? why : "dlopen failed");
    }
    CurlLibrary curl;
    resolve(library, "curl_easy_init", curl.easy_init);
    resolve(library, "curl_easy_cleanup", curl.easy_cleanup);
    resolve(library, "curl_easy_reset", curl.easy_reset);
    resolve(library, "curl_easy_setopt", curl.easy_setopt);
    resolve(library, "curl_easy_perform", curl.easy_perform);
    resolve(library, "curl_easy_getinfo", curl.easy_getinfo);
    resolve(library, "curl_easy_strerror", curl.easy_strerror);
    resolve(library, "curl_slist_append", curl.slist_append);
    resolve(library, "curl_slist_free_all", curl.slist_free_all);
    decltype(&::curl_global_init) global_init = nullptr;
    resolve(library, "curl_global_init", global_init);
    if (const CURLcode rc = global_init(CURL_GLOBAL_DEFAULT); rc != CURLE_OK) {
        cannot_load(fmt::format("curl_global_init failed (code {})", static_cast<int>(rc)));
    }
    return curl;
}

}  // namespace

const CurlLibrary& curl_library() {
    static const CurlLibrary library = load();
    return library;
}

}  // namespace perfrunner::adapters
