// The run journal: a journal written record by record replays to the very results document the run held,
// a cut last line is tolerated, anything else malformed is one clear error, and a failed append leaves no
// half line behind.
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "perfrunner/error.hpp"
#include "perfrunner/model/journal.hpp"
#include "perfrunner/model/journal_file.hpp"
#include "perfrunner/model/results_json.hpp"

using namespace perfrunner;
using ::testing::HasSubstr;

namespace {

namespace fs = std::filesystem;

const std::string kReference =
    std::string(PERFRUNNER_SHARED_DIR) + "/reference-results/py-framework-results.json";

// The journal a run would write while collecting `full`: a state at the start, a state at each scenario's
// start (no samples yet) and end, every sample as it is taken, a state at the end.
std::string journal_of(const model::RunResult& full, bool ended = true,
                       std::size_t stop_after_samples = SIZE_MAX) {
    model::RunResult growing = full;
    const std::string completed_at = growing.completed_at;
    growing.completed_at.clear();
    for (auto& s : growing.scenarios) {
        s.samples.clear();
    }
    auto scenarios = std::move(growing.scenarios);
    growing.scenarios.clear();
    std::string text = model::journal_state_line(growing);
    std::size_t taken = 0;
    for (std::size_t i = 0; i < full.scenarios.size(); ++i) {
        growing.scenarios.push_back(scenarios[i]);
        const std::string scenario_end = growing.scenarios.back().completed_at;
        growing.scenarios.back().completed_at.clear();
        text += model::journal_state_line(growing);
        for (const auto& sample : full.scenarios[i].samples) {
            if (taken++ == stop_after_samples) {
                return text;
            }
            growing.scenarios.back().samples.push_back(sample);
            // The sample's container ids index the full run's table.
            text += model::journal_sample_line(full, i, sample);
        }
        growing.scenarios.back().completed_at = scenario_end;
        text += model::journal_state_line(growing);
    }
    if (ended) {
        growing.completed_at = completed_at;
        text += model::journal_state_line(growing);
    }
    return text;
}

std::size_t sample_count(const model::RunResult& run) {
    std::size_t n = 0;
    for (const auto& s : run.scenarios) {
        n += s.samples.size();
    }
    return n;
}

TEST(Journal, ReplaysToTheSameResultsDocumentAsTheRunHeld) {
    const model::RunResult reference = model::read_results_file(kReference);
    ASSERT_GT(sample_count(reference), 100u);
    const std::string text = journal_of(reference);
    // One record per line, no record spans lines.
    EXPECT_EQ(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')),
              sample_count(reference) + 2 + 2 * reference.scenarios.size());

    const model::JournalReplay replay = model::parse_journal(text);
    EXPECT_TRUE(replay.ended);
    EXPECT_FALSE(replay.truncated_tail);
    EXPECT_EQ(replay.samples, sample_count(reference));
    EXPECT_EQ(model::to_json_text(replay.run), model::to_json_text(reference));
}

TEST(Journal, BackfilledSamplesJournaledLateReplayInTimeOrder) {
    model::RunResult run = model::read_results_file(kReference);
    const std::size_t at = 1;  // the stress scenario: many samples
    auto& samples = run.scenarios.at(at).samples;
    ASSERT_GT(samples.size(), 5u);
    // The run held sample 2 as backfilled: the sampler journals it after the ticks taken around it.
    samples[2].backfilled = true;
    model::RunResult journaled = run;
    auto& order = journaled.scenarios.at(at).samples;
    std::rotate(order.begin() + 2, order.begin() + 3, order.end());  // sample 2 last
    ASSERT_TRUE(order.back().backfilled);
    const model::JournalReplay replay = model::parse_journal(journal_of(journaled));
    EXPECT_EQ(model::to_json_text(replay.run), model::to_json_text(run));
    EXPECT_TRUE(replay.run.scenarios.at(at).samples.at(2).backfilled);
}

TEST(Journal, ACutLastLineIsToleratedAtEveryCut) {
    const model::RunResult reference = model::read_results_file(kReference);
    const std::string text = journal_of(reference, /*ended=*/false, /*stop_after_samples=*/25);
    const std::size_t last_start = text.rfind('\n', text.size() - 2) + 1;
    std::mt19937 rng(7);
    for (int k = 0; k < 50; ++k) {
        const std::size_t cut = last_start + 1 + rng() % (text.size() - last_start - 2);
        const model::JournalReplay replay = model::parse_journal(text.substr(0, cut));
        EXPECT_TRUE(replay.truncated_tail) << cut;
        EXPECT_EQ(replay.samples, 24u) << cut;
        EXPECT_FALSE(replay.ended);
    }
    // Zero bytes after a power loss (the file grew, its data never reached the disk).
    const model::JournalReplay zeros = model::parse_journal(text + std::string(300, '\0'));
    EXPECT_TRUE(zeros.truncated_tail);
    EXPECT_EQ(zeros.samples, 25u);
}

TEST(Journal, AnUnfinishedRunIsClosedAsAbortedAtItsLastSample) {
    const model::RunResult reference = model::read_results_file(kReference);
    model::JournalReplay replay = model::parse_journal(journal_of(reference, false, 45));
    ASSERT_FALSE(replay.ended);
    model::close_unfinished_run(replay.run, "run_ended_unexpectedly");
    const auto& last = replay.run.scenarios.back();
    EXPECT_TRUE(last.aborted);
    EXPECT_EQ(last.abort_reason.value_or(""), "run_ended_unexpectedly");
    ASSERT_FALSE(last.samples.empty());
    EXPECT_EQ(last.completed_at, last.samples.back().timestamp_iso);
    EXPECT_GT(last.duration_seconds, 0.0);
    EXPECT_TRUE(replay.run.aborted);
    EXPECT_EQ(replay.run.completed_at, last.completed_at);
    // The result is a results document the reader takes.
    EXPECT_EQ(sample_count(model::parse_results(model::to_json_text(replay.run))), 45u);
}

TEST(Journal, MalformedInputIsOneErrorNamingTheLine) {
    const model::RunResult reference = model::read_results_file(kReference);
    std::string text = journal_of(reference, true, 5);
    const auto third = text.find('\n', text.find('\n') + 1) + 1;  // line 3: the first sample
    std::string broken = text;
    broken.insert(third + 10, "\x01garbage");
    try {
        model::parse_journal(broken, "j.jsonl");
        FAIL() << "accepted a broken middle line";
    } catch (const InputError& e) {
        EXPECT_THAT(std::string(e.what()), HasSubstr("j.jsonl line 3"));
        EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    }
    const std::string bad[] = {
        "",
        "\n\n",
        "{}\n{}\n",
        "not json\n{}\n",
        R"({"scenarios":[{"scenario_name":"x","samples":[]}],"journal":"sample","scenario":0})"
        "\n{}\n",
        R"({"scenarios":[],"journal":"state","journal_version":99})"
        "\n{}\n",
        R"({"scenarios":[],"journal":"state","journal_version":1})"
        "\n"
        R"({"scenarios":[{"scenario_name":"x","samples":[{"timestamp":1,"timestamp_iso":"x","containers":[]}]}],"journal":"sample","scenario":3})"
        "\n{}\n",
        R"({"scenarios":[],"journal":"state","journal_version":1})"
        "\n"
        R"({"scenarios":[],"journal":"what"})"
        "\n{}\n",
        std::string("\xff\xfe\x00\x01\n", 5) + "{}\n",
        std::string(100000, '[') + "\n{}\n",
    };
    for (const auto& input : bad) {
        EXPECT_THROW(model::parse_journal(input), InputError) << input.substr(0, 80);
    }
    // Not a journal at all: one line saying so.
    EXPECT_THROW(model::parse_journal(model::to_json_text(reference)), InputError);
}

TEST(Journal, MutatedJournalsReplayOrFailWithOneInputError) {
    // A small in-test fuzz (the libFuzzer target runs the same entry point for long): bytes flipped, inserted
    // and lines cut or swapped give a replay or one InputError, never a crash or another exception.
    const model::RunResult reference = model::read_results_file(kReference);
    const std::string text = journal_of(reference, true, 30);
    std::mt19937 rng(11);
    std::size_t replayed = 0;
    for (int k = 0; k < 300; ++k) {
        std::string m = text;
        for (int e = 0; e < 1 + static_cast<int>(rng() % 4); ++e) {
            const std::size_t at = rng() % m.size();
            switch (rng() % 4) {
                case 0:
                    m[at] = static_cast<char>(rng() % 256);
                    break;
                case 1:
                    m.insert(at, 1, "{}[]\",\n:0\xff"[rng() % 10]);
                    break;
                case 2:
                    m.erase(at, 1 + rng() % 40);
                    break;
                default:
                    m = m.substr(at) + m.substr(0, at);
                    break;
            }
        }
        try {
            const model::JournalReplay r = model::parse_journal(m);
            EXPECT_LE(r.samples, 30u + 1u);
            ++replayed;
        } catch (const InputError& e) {
            EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
        }
    }
    std::printf("mutated journals: %zu of 300 replayed, the rest one InputError each\n", replayed);
}

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("perfrunner-journal-" + std::to_string(::getpid()));
    TempDir() { fs::create_directories(path); }
    ~TempDir() { fs::remove_all(path); }
};

TEST(JournalFile, AFailedAppendLeavesOnlyWholeLines) {
    TempDir dir;
    const fs::path path = dir.path / "journal.jsonl";
    model::JournalFile file(path);
    const std::string line = std::string(999, 'x') + "\n";
    // A file-size limit stands in for a full disk: the write that crosses it is cut short.
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit old{};
    ::getrlimit(RLIMIT_FSIZE, &old);
    rlimit small = old;
    small.rlim_cur = 2500;
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
    file.append(line);
    file.append(line);
    EXPECT_THROW(file.append(line), RuntimeFailure);  // 500 of its 1000 bytes would fit
    EXPECT_THROW(file.append(line), RuntimeFailure);
    ::setrlimit(RLIMIT_FSIZE, &old);
    ::signal(SIGXFSZ, SIG_DFL);
    EXPECT_EQ(fs::file_size(path), 2000u);
    file.append("tail\n");  // room again: appends after the last whole line
    file.sync();
    std::ifstream in(path);
    std::ostringstream all;
    all << in.rdbuf();
    EXPECT_EQ(all.str(), line + line + "tail\n");
}

}  // namespace
