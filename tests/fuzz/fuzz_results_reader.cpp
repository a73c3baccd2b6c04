// libFuzzer target: the results.json reader (any bytes) and, for what it accepts, the writer: a file read is
// written as valid JSON that reads back and rewrites to the same text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "perfrunner/error.hpp"
#include "perfrunner/model/results_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    perfrunner::model::RunResult run;
    try {
        run = perfrunner::model::parse_results(text, "fuzz.json");
    } catch (const perfrunner::Error&) {
        return 0;  // refused with one line: the expected outcome for nearly every input
    }
    const std::string written = perfrunner::model::to_json_text(run);
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
