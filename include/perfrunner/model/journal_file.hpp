#pragma once
// Appends journal lines (journal.hpp) to a file: each line goes to the kernel in one write(2) at once, so a
// crash or a kill of perfrunner loses nothing already appended; fsync makes lines survive a power loss too
// and is the caller's cadence. A failed write (disk full) is undone (the file is cut back to the last whole
// line), so a later append after space came back never follows half a line.
#include <cstddef>
#include <filesystem>
#include <string_view>

namespace perfrunner::model {

class JournalFile {
  public:
    // Opens (creating, appending). Throws RuntimeFailure naming the path.
    explicit JournalFile(std::filesystem::path path);
    ~JournalFile();
    JournalFile(const JournalFile&) = delete;
    JournalFile& operator=(const JournalFile&) = delete;

    // Throws RuntimeFailure (nothing of `line` stays in the file then).
    void append(std::string_view line);
    // fsync(2); throws RuntimeFailure.
    void sync();

    const std::filesystem::path& path() const { return path_; }
    std::size_t size() const { return size_; }

  private:
    std::filesystem::path path_;
    int fd_ = -1;
    std::size_t size_ = 0;  // bytes of whole lines in the file
};

}  // namespace perfrunner::model
