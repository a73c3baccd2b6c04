#pragma once
// The one place that maps the results model to and from results.json (../shared/spec/results-schema.md).
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "perfrunner/model/results.hpp"

namespace perfrunner::model {

// Parses results.json text written by perfrunner or by the reference framework. Throws InputError with one
// line naming the JSON path and the problem (malformed JSON, wrong type, NaN/Infinity, implausible number,
// no scenarios).
RunResult parse_results(std::string_view json_text, std::string_view source_name = "results.json");
RunResult read_results_file(const std::filesystem::path& path);

// Serialises with the reference key order, 2-space indent, UTF-8; no NaN/Infinity (null instead);
// unknown keys kept. Timestamps are written as they are held in the model.
std::string to_json_text(const RunResult& run);

// Writes atomically (atomic_file.hpp), streamed: the text is never held in memory whole. Throws
// RuntimeFailure.
void write_results_file(const std::filesystem::path& path, const RunResult& run);

// `analyze`'s read and write in one pass: read_results_file(input), then `complete(run)` on this thread, and
// the file write_results_file(output, run) would write with the completed run. The samples are written while
// they are read, by another thread that follows the reader (it writes each part once the reader has finished
// it), so the write uses the core the parse leaves idle; `complete` runs once the read is done, beside the
// rest of the write. `complete` may set run.analysis and run.extra only (the members written after it
// returns). A failed read, `complete` or write leaves no output file; the error is rethrown (the read's
// first, then `complete`'s, then the write's).
RunResult rewrite_results_file(const std::filesystem::path& input, const std::filesystem::path& output,
                               const std::function<void(RunResult&)>& complete);

}  // namespace perfrunner::model
