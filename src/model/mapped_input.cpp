#include "mapped_input.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utility>

namespace perfrunner::model::detail {
namespace {

class Descriptor {
  public:
    explicit Descriptor(int fd) : fd_(fd) {}
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    ~Descriptor() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    int get() const { return fd_; }

  private:
    int fd_;
};

}  // namespace

std::optional<MappedInput> MappedInput::open(const std::filesystem::path& path) {
    const Descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    struct stat st {};
    if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
        return std::nullopt;
    }
    const auto size = static_cast<std::size_t>(st.st_size);
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t mapped = (size + simdjson::SIMDJSON_PADDING + page - 1) / page * page;
    // Zero pages first, then the file over their start: past the end of the file, simdjson's padding reads
    // zeros (a file mapping alone would raise SIGBUS there).
    void* base = ::mmap(nullptr, mapped, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) {
        return std::nullopt;
    }
    if (::mmap(base, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd.get(), 0) == MAP_FAILED) {
        ::munmap(base, mapped);
        return std::nullopt;
    }
    (void)::madvise(base, size, MADV_SEQUENTIAL);  // read ahead, and old pages go first
    return MappedInput(static_cast<char*>(base), size, mapped);
}

MappedInput::MappedInput(MappedInput&& other) noexcept
    : base_(std::exchange(other.base_, nullptr)),
      size_(other.size_),
      mapped_(other.mapped_),
      released_(other.released_) {}

MappedInput::~MappedInput() {
    if (base_ != nullptr) {
        ::munmap(base_, mapped_);
    }
}

void MappedInput::release_before(const char* position) {
    if (position < base_ || position > base_ + size_) {
        return;
    }
    const auto offset = static_cast<std::size_t>(position - base_);
    if (offset < released_ + 2 * kReleaseStep) {
        return;
    }
    // A step behind the position stays: the parse may still look at the value it is in.
    const std::size_t upto = (offset - kReleaseStep) / kReleaseStep * kReleaseStep;
    (void)::madvise(base_ + released_, upto - released_, MADV_DONTNEED);
    released_ = upto;
}

}  // namespace perfrunner::model::detail
