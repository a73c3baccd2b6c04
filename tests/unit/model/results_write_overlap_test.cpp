// write_results_file with `complete` (analyze's analysis while the samples are written on another thread):
// the same bytes as the plain writer given the completed run, and nothing left behind when either side fails.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "bench/analyze_bench_input.hpp"
#include "perfrunner/model/results_json.hpp"

namespace {

namespace fs = std::filesystem;
using namespace perfrunner;

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("pr-overlap-" + std::to_string(::getpid()));
    TempDir() { fs::create_directories(path); }
    ~TempDir() { fs::remove_all(path); }
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void complete(model::RunResult& run) {
    run.analysis = {{"scenario_summaries", {{{"total_samples", 3}}}}, {"note", "added while writing"}};
    run.extra["verdict"] = {{"status", "warning"}, {"exit_code", 0}};
    run.extra["exit_code"] = 0;
}

TEST(ResultsWriteOverlap, SameBytesAsThePlainWriterOfTheCompletedRun) {
    TempDir dir;
    model::RunResult run = analyze_bench::generate_run(400, 6);
    model::RunResult completed = run;
    complete(completed);
    model::write_results_file(dir.path / "plain.json", completed);
    model::write_results_file(dir.path / "overlap.json", run, complete);
    const std::string plain = slurp(dir.path / "plain.json");
    ASSERT_GT(plain.size(), 100'000U);
    EXPECT_EQ(slurp(dir.path / "overlap.json"), plain);
}

TEST(ResultsWriteOverlap, AFailingCompletionLeavesNoFile) {
    TempDir dir;
    model::RunResult run = analyze_bench::generate_run(400, 6);
    EXPECT_THROW(
        model::write_results_file(dir.path / "results.json", run,
                                  [](model::RunResult&) { throw std::runtime_error("analysis failed"); }),
        std::runtime_error);
    EXPECT_TRUE(fs::is_empty(dir.path));  // neither results.json nor a temporary file
}

}  // namespace
