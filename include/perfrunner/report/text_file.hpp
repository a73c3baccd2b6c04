#pragma once
// Every report file is written atomically (temporary file in the same directory + rename).
#include <filesystem>
#include <string_view>

namespace perfrunner::report {

// Creates missing parent directories. Throws RuntimeFailure naming the path.
void write_text_file(const std::filesystem::path& path, std::string_view content);

}  // namespace perfrunner::report
