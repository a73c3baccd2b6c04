#pragma once
// Internal to the model layer: a file mapped read-only for simdjson, instead of read into a padded copy.
//
// Why: results.json of a million samples is ~200 MiB. Read into memory, the copy stays resident for the
// whole parse next to the model being built (peak ~2.5x the file). Mapped, its pages are the kernel's page
// cache; release_before() drops the ones the parse has passed (madvise MADV_DONTNEED: clean private file
// pages are unmapped and would be read back from the file if touched again), so the parse holds the model
// plus a window of the file. The tail after the end of the file is zero-filled padding simdjson may read.
#include <cstddef>
#include <filesystem>
#include <optional>

#include <simdjson.h>

namespace perfrunner::model::detail {

class MappedInput {
  public:
    // nullopt when the file cannot be mapped (empty, not a regular file, mmap refused): read it instead.
    static std::optional<MappedInput> open(const std::filesystem::path& path);

    MappedInput(MappedInput&& other) noexcept;
    MappedInput& operator=(MappedInput&&) = delete;
    MappedInput(const MappedInput&) = delete;
    MappedInput& operator=(const MappedInput&) = delete;
    ~MappedInput();

    simdjson::padded_string_view view() const { return simdjson::padded_string_view(base_, size_, mapped_); }
    // Drops the pages wholly before `position` (a pointer into view()) minus a margin, in steps of
    // kReleaseStep, so a parse that moves forward keeps only a window of the file resident.
    void release_before(const char* position);

    static constexpr std::size_t kReleaseStep = std::size_t{8} << 20;

  private:
    MappedInput(char* base, std::size_t size, std::size_t mapped)
        : base_(base), size_(size), mapped_(mapped) {}

    char* base_ = nullptr;
    std::size_t size_ = 0;    // bytes of the file
    std::size_t mapped_ = 0;  // bytes mapped: the file rounded up to pages, plus at least the padding
    std::size_t released_ = 0;
};

}  // namespace perfrunner::model::detail
