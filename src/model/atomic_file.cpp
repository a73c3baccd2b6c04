#include "perfrunner/model/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <random>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include "perfrunner/error.hpp"

namespace perfrunner::model {
namespace {

std::string errno_text() {
    return std::strerror(errno);
}

std::filesystem::path directory_of(const std::filesystem::path& target) {
    return target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
}

// A temporary file next to `target` (same file system, so rename is atomic); removed unless committed.
struct TempFile {
    std::filesystem::path path;
    int fd = -1;

    explicit TempFile(const std::filesystem::path& target) {
        std::random_device rd;
        const auto dir = directory_of(target);
        for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
            path = dir / fmt::format(".{}.tmp-{}-{:08x}", target.filename().string(), ::getpid(), rd());
            fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
            if (fd < 0 && errno != EEXIST) {
                break;
            }
        }
        if (fd < 0) {
            throw RuntimeFailure(fmt::format(
                "cannot create a file in {}: {} (check that the directory exists and is writable)",
                dir.string(), errno_text()));
        }
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    ~TempFile() {
        if (fd >= 0) {
            ::close(fd);
        }
        if (!path.empty()) {
            ::unlink(path.c_str());
        }
    }

    // fsync, close and rename over the target; afterwards nothing is left to clean up.
    void commit(const std::filesystem::path& target) {
        if (::fsync(fd) != 0) {
            throw RuntimeFailure(fmt::format("cannot sync {}: {}", path.string(), errno_text()));
        }
        const int closing = fd;
        fd = -1;
        if (::close(closing) != 0) {
            throw RuntimeFailure(fmt::format("cannot write {}: {}", path.string(), errno_text()));
        }
        if (::rename(path.c_str(), target.c_str()) != 0) {
            throw RuntimeFailure(fmt::format("cannot replace {}: {}", target.string(), errno_text()));
        }
        path.clear();
        // Make the rename itself durable (best effort).
        if (int dfd = ::open(directory_of(target).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
            (void)::fsync(dfd);
            ::close(dfd);
        }
    }
};

void write_all_fd(int fd, std::string_view content, const std::filesystem::path& path) {
    while (!content.empty()) {
        const ssize_t n = ::write(fd, content.data(), content.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw RuntimeFailure(
                fmt::format("cannot write {}: {} (check free disk space)", path.string(), errno_text()));
        }
        content.remove_prefix(static_cast<std::size_t>(n));
    }
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
    TempFile tmp(path);
    write_all_fd(tmp.fd, content, tmp.path);
    tmp.commit(path);
}

void stream_file_atomically(const std::filesystem::path& path, const std::function<void(std::FILE*)>& write) {
    TempFile tmp(path);
    std::FILE* f = ::fdopen(::dup(tmp.fd), "wb");
    if (f == nullptr) {
        throw RuntimeFailure(fmt::format("cannot write {}: {}", tmp.path.string(), errno_text()));
    }
    try {
        write(f);
        if (std::fflush(f) != 0) {
            throw RuntimeFailure(
                fmt::format("cannot write {}: {} (check free disk space)", tmp.path.string(), errno_text()));
        }
    } catch (...) {
        std::fclose(f);
        throw;
    }
    if (std::fclose(f) != 0) {
        throw RuntimeFailure(fmt::format("cannot write {}: {}", tmp.path.string(), errno_text()));
    }
    tmp.commit(path);
}

}  // namespace perfrunner::model
