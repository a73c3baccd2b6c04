#pragma once
// The run journal (journal.jsonl in the run folder): what a run has collected so far, appended one JSON
// record per line while it runs, so a crash, a kill or a full disk loses at most the line being written, and
// `perfrunner rebuild` turns it into results.json.
//
// It lives in the model layer because it is another serialisation of the results model, and the model is the
// one place that maps the model to JSON: every record is a results document of the model's own mapping
// (results_json.hpp) on one line, so the journal has no field list of its own:
//   - state record:  the whole run without any sample, plus "journal": "state", "journal_version": 1 and
//                    "journal_scenarios": <how many scenarios are real> (before the first scenario a
//                    placeholder stands in: a results document needs one); written at the start, at every
//                    scenario start/end, phase change, OOM event and the end;
//   - sample record: a results document holding one scenario with the one new sample, plus "journal":
//                    "sample" and "scenario": <index into the run's scenarios>.
// Replay takes the last state and gives each scenario the samples recorded for it, in order.
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "perfrunner/model/results.hpp"

namespace perfrunner::model {

inline constexpr std::string_view kJournalFileName = "journal.jsonl";
inline constexpr int kJournalVersion = 1;

// One line each, '\n' included.
std::string journal_state_line(const RunResult& run);
std::string journal_sample_line(const RunResult& run, std::size_t scenario_index, const Sample& sample);

struct JournalReplay {
    RunResult run;                // the last state with every recorded sample
    std::size_t records = 0;      // lines read (state + sample)
    std::size_t samples = 0;      // sample records
    bool truncated_tail = false;  // the last line was cut (or garbage) and was skipped
    bool ended = false;           // the last state has the run's completed_at: the run reached its end
};

// Parses journal text (outside data: any bytes). A malformed last line is tolerated (truncated_tail); any
// other malformed line, a journal without a state record, a sample of an unknown scenario or an unknown
// record kind throws InputError with one line naming the source and line number. Never crashes: this is the
// entry point of the journal fuzz target.
JournalReplay parse_journal(std::string_view text, std::string_view source_name = kJournalFileName);
// Reads and parses a journal file; throws InputError when it cannot be read.
JournalReplay read_journal_file(const std::filesystem::path& path);

// For a run that never reached its end (replay.ended false): marks the run and its unfinished scenario as
// aborted with `reason`, and closes their times at the last sample (or their start). Idempotent.
void close_unfinished_run(RunResult& run, const std::string& reason);

}  // namespace perfrunner::model
