#pragma once
// Atomic file replacement, used by every writer: the content goes to a temporary file in the target's
// directory (same file system), is fsynced, then renamed over the target. A reader sees the old file or the
// new one, never half of one, and no temporary file remains after an error. Errors throw RuntimeFailure.
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string_view>
#include <utility>

namespace perfrunner::model {

void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// The temporary file that stream_file_atomically's `write` fills.
class StreamedFile {
  public:
    StreamedFile(std::FILE* stream, int fd, std::filesystem::path path)
        : stream_(stream), fd_(fd), path_(std::move(path)) {}
    std::FILE* stream() const { return stream_; }
    // Flushes the stream and waits until every byte written so far is on disk. For a writer about to wait
    // for its producer: the disk catches up meanwhile, and the commit then waits only for what follows (the
    // final fsync of a 200 MB results.json took 0.1 s after `analyze`'s analysis). Throws RuntimeFailure.
    void sync_written();

  private:
    std::FILE* stream_;
    int fd_;
    std::filesystem::path path_;
};

// For content too large to hold twice in memory: `write` streams it into the temporary file and throws on
// error; the target is replaced only after `write` returns and everything is flushed and synced.
void stream_file_atomically(const std::filesystem::path& path,
                            const std::function<void(StreamedFile&)>& write);

}  // namespace perfrunner::model
