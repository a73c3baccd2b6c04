#include "perfrunner/report/text_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "perfrunner/error.hpp"

namespace perfrunner::report {

// A local atomic write: model::write_file_atomically is the shared one; this keeps the writers independent of
// the model layer's I/O while that is being written.
void write_text_file(const std::filesystem::path& path, std::string_view content) {
    std::error_code ec;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) {
        throw RuntimeFailure("cannot create directory " + path.parent_path().string() + ": " + ec.message() +
                             " (check permissions of the output folder)");
    }
    std::string tmp = path.string() + ".tmp-XXXXXX";
    const int fd = ::mkstemp(tmp.data());
    if (fd < 0) {
        throw RuntimeFailure("cannot write " + path.string() + ": " + std::strerror(errno) +
                             " (check permissions and free space of the output folder)");
    }
    const char* data = content.data();
    std::size_t left = content.size();
    bool ok = true;
    while (left > 0) {
        const ssize_t n = ::write(fd, data, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            ok = false;
            break;
        }
        data += n;
        left -= static_cast<std::size_t>(n);
    }
    const int saved = errno;
    ok = ok && ::fchmod(fd, 0644) == 0 && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = ok ? errno : saved;
        ::unlink(tmp.c_str());
        throw RuntimeFailure("cannot write " + path.string() + ": " + std::strerror(err) +
                             " (check permissions and free space of the output folder)");
    }
}

}  // namespace perfrunner::report
