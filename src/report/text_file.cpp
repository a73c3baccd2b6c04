#include "perfrunner/report/text_file.hpp"

#include "perfrunner/error.hpp"
#include "perfrunner/model/atomic_file.hpp"

namespace perfrunner::report {

void write_text_file(const std::filesystem::path& path, std::string_view content) {
    std::error_code ec;
    if (path.has_parent_path()) {
        std::filesystem::create_directories(path.parent_path(), ec);
    }
    if (ec) {
        throw RuntimeFailure("cannot create directory " + path.parent_path().string() + ": " + ec.message() +
                             " (check permissions of the output folder)");
    }
    model::write_file_atomically(path, content);
}

}  // namespace perfrunner::report
