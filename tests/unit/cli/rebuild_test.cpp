// `perfrunner rebuild RUN_DIR` with the real binary: a journal cut off mid-line becomes results.json and
// every report; a folder without a readable journal is exit 2 with one line.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "perfrunner/model/journal.hpp"
#include "perfrunner/model/results_json.hpp"
#include "perfrunner_process.hpp"

using namespace perfrunner;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {

namespace fs = std::filesystem;
using test_support::Outcome;
using test_support::run_perfrunner;
using test_support::TempDir;

// A journal of the reference run as a run that was killed while writing its 61st sample would leave it.
std::string killed_journal(std::size_t* samples_kept) {
    const model::RunResult full = model::read_results_file(fs::path(PERFRUNNER_SHARED_DIR) /
                                                           "reference-results/py-framework-results.json");
    model::RunResult growing = full;
    growing.completed_at.clear();
    growing.scenarios.clear();
    std::string text = model::journal_state_line(growing);
    std::size_t taken = 0;
    for (std::size_t i = 0; i < full.scenarios.size(); ++i) {
        growing.scenarios.push_back(full.scenarios[i]);
        growing.scenarios.back().samples.clear();
        growing.scenarios.back().completed_at.clear();
        text += model::journal_state_line(growing);
        for (const auto& sample : full.scenarios[i].samples) {
            const std::string line = model::journal_sample_line(full, i, sample);
            if (taken++ == 60) {
                *samples_kept = 60;
                return text + line.substr(0, line.size() / 2);
            }
            text += line;
        }
    }
    *samples_kept = taken;
    return text;
}

}  // namespace

TEST(Rebuild, AKilledRunsJournalBecomesResultsAndEveryReport) {
    TempDir dir;
    fs::create_directories(dir.path / "run");
    std::size_t kept = 0;
    std::ofstream(dir.path / "run" / "journal.jsonl", std::ios::binary) << killed_journal(&kept);
    const Outcome r = run_perfrunner({"rebuild", "run", "--png", "never"}, dir.path);
    // The run ended without its final record: aborted, so 1 (or 3 when its verdict is FAIL).
    EXPECT_TRUE(r.exit_code == 1 || r.exit_code == 3) << r.exit_code << "\n" << r.err;
    EXPECT_THAT(r.err, HasSubstr("did not reach its end"));
    EXPECT_THAT(r.err, HasSubstr("cut off"));
    EXPECT_THAT(r.out, HasSubstr("60 samples"));
    const model::RunResult rebuilt = model::read_results_file(dir.path / "run" / "results.json");
    std::size_t n = 0;
    for (const auto& s : rebuilt.scenarios) {
        n += s.samples.size();
    }
    EXPECT_EQ(n, kept);
    EXPECT_TRUE(rebuilt.aborted);
    EXPECT_EQ(rebuilt.abort_reason.value_or(""), "run_ended_unexpectedly");
    EXPECT_EQ(rebuilt.extra.at("exit_code"), r.exit_code);
    for (const char* name : {"summary.json", "report.md", "report.html", "junit.xml", "charts/index.html"}) {
        EXPECT_TRUE(fs::is_regular_file(dir.path / "run" / name)) << name;
    }
}

TEST(Rebuild, NoReadableJournalIsExitTwoWithOneLine) {
    TempDir dir;
    fs::create_directories(dir.path / "empty");
    fs::create_directories(dir.path / "garbage");
    std::ofstream(dir.path / "garbage" / "journal.jsonl") << "{\"not\": \"a journal\"}\n{broken\n";
    for (const auto& [folder, expected] :
         std::vector<std::pair<std::string, std::string>>{{"missing", "no such run folder"},
                                                          {"empty", "no run journal"},
                                                          {"garbage", "journal.jsonl line 1"}}) {
        const Outcome r = run_perfrunner({"rebuild", folder}, dir.path);
        EXPECT_EQ(r.exit_code, 2) << folder;
        EXPECT_THAT(r.err, StartsWith("perfrunner: ")) << folder;
        EXPECT_THAT(r.err, HasSubstr(expected)) << folder;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
}
