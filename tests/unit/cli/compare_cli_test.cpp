// `perfrunner compare BASE NEW` as a user runs it: the real binary on two results files written to disk
// (synthetic runs, and the reference framework's file). Exit 0 for the same build, 3 naming the container and
// metric that got worse, 2 with one line for bad input; inputs byte-for-byte untouched; no secret in any
// output.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fakes/synthetic_runs.hpp"
#include "perfrunner/model/results_json.hpp"
#include "perfrunner_process.hpp"

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

namespace {

namespace fs = std::filesystem;
namespace fakes = perfrunner::fakes;

namespace test_support = perfrunner::test_support;
using test_support::read_file;
using test_support::run_perfrunner;
using test_support::TempDir;
using Result = test_support::Outcome;

void write_run(const fs::path& dir, const fakes::RunShape& shape, const std::string& api_key = "***") {
    auto run = fakes::make_run(shape);
    run.config = {{"api", {{"base_url", "http://127.0.0.1:8000"}, {"api_key", api_key}}}};
    fs::create_directories(dir);
    perfrunner::model::write_results_file(dir / "results.json", run);
}

void expect_one_error_line(const Result& r, const std::string& part) {
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_THAT(r.err, StartsWith("perfrunner: ")) << r.err;
    EXPECT_THAT(r.err, HasSubstr(part)) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

const fs::path kReference = fs::path(PERFRUNNER_SHARED_DIR) / "reference-results/py-framework-results.json";

}  // namespace

TEST(CompareCli, SameBuildExitsZeroAndLeavesTheInputsAlone) {
    TempDir dir;
    write_run(dir.path / "base", {.seed = 1});
    write_run(dir.path / "new", {.seed = 2});
    const auto before_base = read_file(dir.path / "base/results.json");
    const auto before_new = read_file(dir.path / "new/results.json");
    const auto r = run_perfrunner({"compare", "base/results.json", "new", "--output", "cmp"}, dir.path);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr("no regression (exit 0)"));
    EXPECT_THAT(r.out, HasSubstr("  ~  "));
    for (const char* name : {"compare.json", "compare.md", "compare.html", "junit.xml"}) {
        EXPECT_TRUE(fs::is_regular_file(dir.path / "cmp" / name)) << name;
    }
    const auto j = nlohmann::json::parse(read_file(dir.path / "cmp/compare.json"));
    EXPECT_EQ(j["exit_code"], 0);
    EXPECT_GT(j["metrics"].size(), 20U);
    EXPECT_EQ(read_file(dir.path / "base/results.json"), before_base);
    EXPECT_EQ(read_file(dir.path / "new/results.json"), before_new);
    EXPECT_EQ(std::distance(fs::directory_iterator(dir.path / "base"), fs::directory_iterator()), 1);
}

TEST(CompareCli, MoreCpuExitsThreeNamingContainerAndMetric) {
    TempDir dir;
    write_run(dir.path / "base", {.seed = 3});
    write_run(dir.path / "new",
              {.simulation_cpu = 60.0, .last_healthy = 100, .breaking_point = 110, .seed = 4});
    const auto r = run_perfrunner({"compare", "base", "new", "--output", "cmp"}, dir.path);
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr("regressions (exit 3):"));
    EXPECT_THAT(r.out, HasSubstr("  duration_leak/active rideshare-simulation cpu_percent: +"));
    EXPECT_THAT(r.out, HasSubstr("stress_test capacity: last healthy 200 → 100"));
    EXPECT_THAT(r.out, Not(HasSubstr("rideshare-kafka cpu_percent: +")));
    EXPECT_THAT(read_file(dir.path / "cmp/junit.xml"), HasSubstr("<failure type=\"regression\""));
    // Per-metric tolerance from the config: +20 % CPU is inside 30 %; the capacity drop still counts.
    const auto tolerant =
        run_perfrunner({"compare", "base", "new", "--output", "cmp2", "--set",
                        "compare.cpu_tolerance_percent=30", "--set", "compare.capacity_tolerance_percent=50"},
                       dir.path);
    EXPECT_EQ(tolerant.exit_code, 0) << tolerant.out << tolerant.err;
    EXPECT_THAT(tolerant.out, HasSubstr("within tolerance"));
}

TEST(CompareCli, ReferenceFrameworkFileOnEitherSide) {
    TempDir dir;
    const auto before = read_file(kReference);
    auto r =
        run_perfrunner({"compare", kReference.string(), kReference.string(), "--output", "same"}, dir.path);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    const auto j = nlohmann::json::parse(read_file(dir.path / "same/compare.json"));
    EXPECT_FALSE(j["metrics"].empty());
    EXPECT_EQ(read_file(kReference), before);
    write_run(dir.path / "ours", {.seed = 5});
    r = run_perfrunner({"compare", kReference.string(), "ours", "--output", "mixed"}, dir.path);
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 3) << r.out << r.err;
    EXPECT_TRUE(fs::is_regular_file(dir.path / "mixed/compare.html"));
}

TEST(CompareCli, BadInputExitsTwoWithOneLine) {
    TempDir dir;
    write_run(dir.path / "base", {.seed = 1});
    expect_one_error_line(run_perfrunner({"compare", "base", "missing.json"}, dir.path), "NEW missing.json");
    expect_one_error_line(run_perfrunner({"compare", "base"}, dir.path), "NEW");
    std::ofstream(dir.path / "broken.json") << "{\"test_id\": \"x\", \"scenarios\": [";
    expect_one_error_line(run_perfrunner({"compare", "broken.json", "base"}, dir.path), "broken.json");
    expect_one_error_line(run_perfrunner({"compare", "base", "base", "--output", "base"}, dir.path),
                          "--output base");
    expect_one_error_line(
        run_perfrunner({"compare", "base", "base", "--output", "x", "--set", "compare.alpha=2"}, dir.path),
        "compare.alpha");
    EXPECT_FALSE(fs::exists(dir.path / "base/junit.xml"));
}

TEST(CompareCli, SecretsInTheInputsReachNoOutput) {
    TempDir dir;
    const std::string key = "sk-live-0123456789abcdef";
    write_run(dir.path / "base", {.seed = 1}, key);
    write_run(dir.path / "new", {.simulation_cpu = 60.0, .seed = 2}, key);
    const auto r = run_perfrunner({"compare", "base", "new", "--output", "cmp"}, dir.path);
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_THAT(r.out + r.err, Not(HasSubstr(key)));
    for (const auto& entry : fs::directory_iterator(dir.path / "cmp")) {
        EXPECT_THAT(read_file(entry.path()), Not(HasSubstr(key))) << entry.path();
    }
}
