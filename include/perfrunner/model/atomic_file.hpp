#pragma once
// Atomic file replacement, used by every writer: the content goes to a temporary file in the target's
// directory (same file system), is fsynced, then renamed over the target. A reader sees the old file or the
// new one, never half of one, and no temporary file remains after an error. Errors throw RuntimeFailure.
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string_view>

namespace perfrunner::model {

void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// For content too large to hold twice in memory: `write` streams it into the temporary file and throws on
// error; the target is replaced only after `write` returns and everything is flushed and synced.
void stream_file_atomically(const std::filesystem::path& path, const std::function<void(std::FILE*)>& write);

}  // namespace perfrunner::model
