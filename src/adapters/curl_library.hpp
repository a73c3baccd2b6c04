#pragma once
// libcurl, loaded by the first HTTP client instead of at every start of perfrunner. Linked, it brings about
// 30 more shared libraries (TLS, Kerberos, LDAP, SSH, ...): 16 ms of every start on our machines, 32 ms of
// `analyze`'s (it starts twice, for huge pages), and `analyze`, `compare`, `rebuild` and `config` never send
// a request. Only http_client.cpp uses it.
#include <curl/curl.h>

namespace perfrunner::adapters {

// libcurl's functions that perfrunner calls, from the loaded library.
struct CurlLibrary {
    decltype(&::curl_easy_init) easy_init = nullptr;
    decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;
    decltype(&::curl_easy_reset) easy_reset = nullptr;
    decltype(&::curl_easy_setopt) easy_setopt = nullptr;
    decltype(&::curl_easy_perform) easy_perform = nullptr;
    decltype(&::curl_easy_getinfo) easy_getinfo = nullptr;
    decltype(&::curl_easy_strerror) easy_strerror = nullptr;
    decltype(&::curl_slist_append) slist_append = nullptr;
    decltype(&::curl_slist_free_all) slist_free_all = nullptr;
};

// libcurl.so.4, loaded and globally initialised once per process (thread-safe). Throws RuntimeFailure naming
// the library and the package to install when it cannot be loaded or lacks a function; the next call tries
// again.
const CurlLibrary& curl_library();

}  // namespace perfrunner::adapters
