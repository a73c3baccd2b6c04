// rewrite_results_file (analyze's read and write in one pass, a writer thread following the reader): the same
// bytes as read_results_file, then the completion, then write_results_file, whatever order the file's members
// come in, and nothing left behind (and no hang) when the read, the completion or the write fails.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "bench/analyze_bench_input.hpp"
#include "perfrunner/error.hpp"
#include "perfrunner/model/results_json.hpp"
#include "support/files.hpp"
#include "support/full_disk.hpp"

namespace {

namespace fs = std::filesystem;
using namespace perfrunner;
using ::testing::HasSubstr;

using test_support::write_file;

// A private folder with an empty "out" folder in it, for the outputs (a failure must leave it empty).
struct TempDir : test_support::TempDir {
    TempDir() { fs::create_directories(path / "out"); }
};

std::string slurp(const fs::path& p) {
    return test_support::read_file(p);
}

void complete(model::RunResult& run) {
    run.analysis = {{"scenario_summaries", {{{"total_samples", run.scenarios.size()}}}}};
    run.extra["verdict"] = {{"status", "warning"}, {"exit_code", 0}};
}

// A run whose containers change on the way: one joins in the middle of the longest scenario, and one with a
// host (keyed "name@host") later still, so the writer's copy of the container table must follow the reader's.
model::RunResult changing_run() {
    model::RunResult run = analyze_bench::generate_run(3000, 4);
    auto& samples = run.scenarios[2].samples;
    const model::ContainerId late = run.intern("late-joiner");
    const model::ContainerId hosted = run.intern("rideshare-redis", "second-host");
    for (std::size_t k = 700; k < samples.size(); ++k) {
        model::ContainerSample c = samples[k].containers.front();
        c.container = late;
        samples[k].containers.push_back(c);
        if (k >= 1500) {
            c.container = hosted;
            samples[k].containers.push_back(c);
        }
    }
    return run;
}

// Rewrites `input` both ways and expects the same bytes; returns them.
std::string expect_same_as_read_then_write(const TempDir& dir, const fs::path& input) {
    model::RunResult read = model::read_results_file(input);
    complete(read);
    model::write_results_file(dir.path / "two-steps.json", read);
    const model::RunResult returned =
        model::rewrite_results_file(input, dir.path / "out" / "one-pass.json", complete);
    const std::string expected = slurp(dir.path / "two-steps.json");
    EXPECT_TRUE(slurp(dir.path / "out" / "one-pass.json") == expected) << input;
    EXPECT_EQ(returned.scenarios.size(), read.scenarios.size());
    EXPECT_EQ(returned.containers, read.containers);
    EXPECT_EQ(returned.analysis,
              nlohmann::json({{"scenario_summaries", {{{"total_samples", read.scenarios.size()}}}}}));
    return expected;
}

TEST(ResultsRewrite, OwnFileSameBytesAsReadThenWrite) {
    TempDir dir;
    model::write_results_file(dir.path / "in.json", changing_run());
    const std::string text = expect_same_as_read_then_write(dir, dir.path / "in.json");
    EXPECT_GT(text.size(), 1'000'000U);
    EXPECT_THAT(text, HasSubstr("\"late-joiner\""));
    EXPECT_THAT(text, HasSubstr("\"rideshare-redis@second-host\""));
}

// The run's head after its scenarios (the writer must wait for the whole read), and one scenario's start time
// after its samples (that scenario waits; the others follow the reader).
TEST(ResultsRewrite, MembersInAnotherOrderSameBytes) {
    TempDir dir;
    const auto ordered = nlohmann::ordered_json::parse(model::to_json_text(changing_run()));

    nlohmann::ordered_json head_last;
    for (const auto& [key, value] : ordered.items()) {
        if (key != "test_id") {
            head_last[key] = value;
        }
    }
    head_last["test_id"] = ordered["test_id"];
    write_file(dir.path / "head-last.json", head_last.dump(2));
    expect_same_as_read_then_write(dir, dir.path / "head-last.json");

    nlohmann::ordered_json late_start = ordered;
    auto& scenario = late_start["scenarios"][2];
    const auto started = scenario["started_at"];
    scenario.erase("started_at");
    scenario["started_at"] = started;
    write_file(dir.path / "late-start.json", late_start.dump(2));
    expect_same_as_read_then_write(dir, dir.path / "late-start.json");
}

TEST(ResultsRewrite, ReferenceFileSameBytes) {
    TempDir dir;
    expect_same_as_read_then_write(
        dir, fs::path(PERFRUNNER_SHARED_DIR) / "reference-results" / "py-framework-results.json");
}

// Cut in the middle of the samples: the writer has written part of the file by then. The read's error comes
// out, and neither the output nor a temporary file is left.
TEST(ResultsRewrite, ATruncatedFileLeavesNothing) {
    TempDir dir;
    const std::string text = model::to_json_text(changing_run());
    write_file(dir.path / "cut.json", text.substr(0, text.size() * 6 / 10));
    try {
        model::rewrite_results_file(dir.path / "cut.json", dir.path / "out" / "results.json", complete);
        ADD_FAILURE() << "no error";
    } catch (const InputError& e) {
        EXPECT_THAT(e.what(), HasSubstr("cut.json"));
    }
    EXPECT_TRUE(fs::is_empty(dir.path / "out"));
}

TEST(ResultsRewrite, AFailingCompletionLeavesNothing) {
    TempDir dir;
    model::write_results_file(dir.path / "in.json", changing_run());
    EXPECT_THROW(
        model::rewrite_results_file(dir.path / "in.json", dir.path / "out" / "results.json",
                                    [](model::RunResult&) { throw std::runtime_error("analysis failed"); }),
        std::runtime_error);
    EXPECT_TRUE(fs::is_empty(dir.path / "out"));
}

// The disk fills while the writer follows the reader (a file-size limit stands in for it): the write's error
// comes out once the read is done, and nothing is left.
TEST(ResultsRewrite, AFailingWriteLeavesNothing) {
    TempDir dir;
    model::write_results_file(dir.path / "in.json", changing_run());
    const int code = test_support::exit_code_on_a_full_disk(rlim_t{1} << 20, [&] {
        try {
            model::rewrite_results_file(dir.path / "in.json", dir.path / "out" / "results.json", complete);
        } catch (const RuntimeFailure&) {
            return fs::is_empty(dir.path / "out") ? 0 : 2;
        }
        return 1;
    });
    EXPECT_EQ(code, 0) << "1: no RuntimeFailure; 2: a file was left";
}

}  // namespace
