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

// Writes all of `data` unless an error stops it (EINTR is retried): the bytes written, with errno set when
// fewer than `size`.
std::size_t write_fully(int fd, const char* data, std::size_t size) {
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::write(fd, data + done, size - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    return done;
}

void write_all_fd(int fd, std::string_view content, const std::filesystem::path& path) {
    if (write_fully(fd, content.data(), content.size()) != content.size()) {
        throw RuntimeFailure(
            fmt::format("cannot write {}: {} (check free disk space)", path.string(), errno_text()));
    }
}

// The FILE a streamed write goes through: its bytes go to the temporary file's descriptor, and every
// kWritebackChunk bytes the kernel is asked to start writing them to disk (sync_file_range,
// SYNC_FILE_RANGE_WRITE: it starts the I/O and does not wait for it). The fsync at the end then waits only
// for the last chunk: a 200 MB results.json spent 0.12 s in that fsync when all of it was still dirty.
class WritebackSink {
  public:
    explicit WritebackSink(int fd) : fd_(fd) {}

    std::FILE* open() {
        const cookie_io_functions_t io{nullptr, &WritebackSink::write, nullptr, nullptr};
        return ::fopencookie(this, "wb", io);
    }

  private:
    static constexpr off_t kWritebackChunk = off_t{8} << 20;

    // The bytes written; fewer than `size` (errno set) on an error, after which fwrite and fflush fail and
    // the callers name errno. Never -1: fopencookie(3) forbids a negative count, and glibc then miscounts
    // what is left to write and reads past the caller's buffer.
    static ssize_t write(void* cookie, const char* data, std::size_t size) {
        auto* self = static_cast<WritebackSink*>(cookie);
        const std::size_t done = write_fully(self->fd_, data, size);
        if (done != size) {
            return static_cast<ssize_t>(done);
        }
        self->written_ += static_cast<off_t>(size);
        if (self->written_ - self->started_ >= kWritebackChunk) {
            // Best effort: a file system without it is merely slower at the fsync.
            (void)::sync_file_range(self->fd_, self->started_, self->written_ - self->started_,
                                    SYNC_FILE_RANGE_WRITE);
            self->started_ = self->written_;
        }
        return static_cast<ssize_t>(size);
    }

    int fd_;
    off_t written_ = 0;
    off_t started_ = 0;  // writeback was started for [0, started_)
};

// Flushes what `stream` buffers into the file. ferror too: a write that failed earlier leaves the buffer
// empty, so fflush alone succeeds.
void flush_stream(std::FILE* stream, const std::filesystem::path& path) {
    if (std::fflush(stream) != 0 || std::ferror(stream) != 0) {
        throw RuntimeFailure(
            fmt::format("cannot write {}: {} (check free disk space)", path.string(), errno_text()));
    }
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
    TempFile tmp(path);
    write_all_fd(tmp.fd, content, tmp.path);
    tmp.commit(path);
}

void StreamedFile::sync_written() {
    flush_stream(stream_, path_);
    if (::fdatasync(fd_) != 0) {
        throw RuntimeFailure(
            fmt::format("cannot write {}: {} (check free disk space)", path_.string(), errno_text()));
    }
}

void stream_file_atomically(const std::filesystem::path& path,
                            const std::function<void(StreamedFile&)>& write) {
    TempFile tmp(path);
    WritebackSink sink(tmp.fd);
    std::FILE* f = sink.open();
    if (f == nullptr) {
        throw RuntimeFailure(fmt::format("cannot write {}: {}", tmp.path.string(), errno_text()));
    }
    try {
        StreamedFile file(f, tmp.fd, tmp.path);
        write(file);
        flush_stream(f, tmp.path);
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
