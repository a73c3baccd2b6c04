// libFuzzer target: the run journal (journal.jsonl) as `perfrunner rebuild` reads it. Any bytes either
// replay or fail with one InputError; what replays is written as results.json that reads back (unless it has
// no scenario: a run killed before its first one, which the reader refuses as "nothing to analyze").
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "perfrunner/error.hpp"
#include "perfrunner/model/journal.hpp"
#include "perfrunner/model/results_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace model = perfrunner::model;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    model::JournalReplay replay;
    try {
        replay = model::parse_journal(text, "fuzz.jsonl");
    } catch (const perfrunner::InputError&) {
        return 0;  // refused with one line naming the line number
    }
    if (!replay.ended) {
        model::close_unfinished_run(replay.run, "fuzz: the journal ends before the run");
    }
    if (replay.run.scenarios.empty()) {
        return 0;  // killed before its first scenario: results.json says so, and analyze refuses it by design
    }
    const std::string written = model::to_json_text(replay.run);
    try {
        (void)model::parse_results(written, "rebuilt.json");
    } catch (const perfrunner::Error&) {
        std::abort();  // rebuild wrote a results.json perfrunner cannot read
    }
    return 0;
}
