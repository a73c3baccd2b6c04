#include "perfrunner/model/journal_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "perfrunner/error.hpp"

namespace perfrunner::model {

JournalFile::JournalFile(std::filesystem::path path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) {
        throw RuntimeFailure(
            fmt::format("{}: cannot open the run journal: {}", path_.string(), std::strerror(errno)));
    }
    struct stat st {};
    if (::fstat(fd_, &st) == 0) {
        size_ = static_cast<std::size_t>(st.st_size);
    }
}

JournalFile::~JournalFile() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

void JournalFile::append(std::string_view line) {
    std::size_t done = 0;
    while (done < line.size()) {
        const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            const int err = n < 0 ? errno : ENOSPC;
            // Undo the partial line; shrinking needs no free space.
            if (done > 0 && ::ftruncate(fd_, static_cast<off_t>(size_)) != 0) {
                throw RuntimeFailure(
                    fmt::format("{}: write failed ({}) and the partial line could not be "
                                "removed ({})",
                                path_.string(), std::strerror(err), std::strerror(errno)));
            }
            throw RuntimeFailure(
                fmt::format("{}: cannot append to the run journal: {}", path_.string(), std::strerror(err)));
        }
        done += static_cast<std::size_t>(n);
    }
    size_ += line.size();
}

void JournalFile::sync() {
    while (::fsync(fd_) != 0) {
        if (errno != EINTR) {
            throw RuntimeFailure(
                fmt::format("{}: fsync of the run journal failed: {}", path_.string(), std::strerror(errno)));
        }
    }
}

}  // namespace perfrunner::model
