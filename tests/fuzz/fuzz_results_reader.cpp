// libFuzzer target: the results.json reader (any bytes) and, for what it accepts, the writer: a file read is
// written as valid JSON that reads back and rewrites to the same text. The same bytes are also read as a file
// (read_results_file maps it, with zero padding past its end): both readers accept the same inputs and read
// the same run.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "perfrunner/error.hpp"
#include "perfrunner/model/results_json.hpp"

namespace {

// The run read_results_file reads from a memory file holding `text` (nullopt: refused with one line).
std::optional<std::string> read_as_file(std::string_view text) {
    const int fd = ::memfd_create("fuzz.json", MFD_CLOEXEC);
    if (fd < 0 || ::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
        std::abort();
    }
    std::optional<std::string> out;
    try {
        out = perfrunner::model::to_json_text(
            perfrunner::model::read_results_file("/proc/self/fd/" + std::to_string(fd)));
    } catch (const perfrunner::Error&) {
    }
    ::close(fd);
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::optional<std::string> from_file = read_as_file(text);
    perfrunner::model::RunResult run;
    try {
        run = perfrunner::model::parse_results(text, "fuzz.json");
    } catch (const perfrunner::Error&) {
        if (from_file) {
            std::abort();  // the file reader accepted what the text reader refused
        }
        return 0;  // refused with one line: the expected outcome for nearly every input
    }
    const std::string written = perfrunner::model::to_json_text(run);
    if (from_file != written) {
        std::abort();  // the file reader refused, or read another run
    }
    if (!nlohmann::json::accept(written)) {
        std::abort();  // the writer produced invalid JSON (or invalid UTF-8)
    }
    try {
        const auto again = perfrunner::model::to_json_text(perfrunner::model::parse_results(written));
        if (again != written) {
            std::abort();  // not lossless: a second rewrite changed the text
        }
    } catch (const perfrunner::Error&) {
        std::abort();  // perfrunner cannot read what it wrote
    }
    return 0;
}
