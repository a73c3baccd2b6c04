// The end of a run (run and rebuild): a results.json that cannot be written does not skip the reports, and
// the call returns (so the caller's teardown runs) with one error line and exit code 1.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "perfrunner/model/results_json.hpp"
#include "perfrunner/report/run_outputs.hpp"
#include "unit/report/fixtures.hpp"

namespace perfrunner::report {
namespace {

using ::testing::HasSubstr;

TEST(RunOutputs, AFailedResultsJsonStillWritesEveryReportAndReturns) {
    testing::TempDir dir;
    // A directory where results.json should go: the atomic rename over it fails like a full disk does.
    std::filesystem::create_directories(dir.path / "results.json" / "occupied");
    model::RunResult run = testing::make_run();
    RunOutputsOptions options;
    options.run_dir = dir.path;
    options.png = PngMode::never;
    options.exit_code_for = [](bool) { return ExitCode::ok; };  // whatever the verdict
    const RunOutputs out = write_run_outputs(run, testing::make_config(), options);
    EXPECT_FALSE(out.results_written);
    ASSERT_FALSE(out.errors.empty());
    EXPECT_THAT(out.errors.front(), HasSubstr("results.json not written"));
    EXPECT_THAT(out.errors.front(), HasSubstr("perfrunner rebuild"));
    EXPECT_EQ(out.exit_code, ExitCode::runtime_error);
    for (const char* name : {"summary.json", "report.md", "report.html", "junit.xml", "charts/index.html"}) {
        EXPECT_TRUE(std::filesystem::is_regular_file(dir.path / name)) << name;
    }
}

TEST(RunOutputs, WritesTheAnalysedRunWithItsExitCode) {
    testing::TempDir dir;
    model::RunResult run = testing::make_run();
    RunOutputsOptions options;
    options.run_dir = dir.path;
    options.png = PngMode::never;
    options.exit_code_for = [](bool verdict_fail) {
        return verdict_fail ? ExitCode::verdict_fail : ExitCode::interrupted;
    };
    const RunOutputs out = write_run_outputs(run, testing::make_config(), options);
    EXPECT_TRUE(out.results_written);
    EXPECT_TRUE(out.errors.empty()) << out.errors.front();
    ASSERT_TRUE(out.analysis.has_value());
    const model::RunResult written = model::read_results_file(dir.path / "results.json");
    EXPECT_EQ(written.extra.at("exit_code"), static_cast<int>(out.exit_code));
    EXPECT_TRUE(written.extra.contains("verdict"));
    EXPECT_FALSE(written.analysis.empty());
}

}  // namespace
}  // namespace perfrunner::report
