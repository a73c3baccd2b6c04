// The real `perfrunner` binary: exit codes, one-line errors, and input files left byte-for-byte untouched.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "perfrunner_process.hpp"

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

namespace {

namespace fs = std::filesystem;

namespace test_support = perfrunner::test_support;
using test_support::read_file;
using test_support::run_perfrunner;
using test_support::TempDir;
using test_support::write_file;
using Result = test_support::Outcome;

const fs::path kReference = fs::path(PERFRUNNER_SHARED_DIR) / "reference-results/py-framework-results.json";

// stderr holds exactly one line "perfrunner: ...".
void expect_one_error_line(const Result& r, const std::string& part) {
    EXPECT_THAT(r.err, StartsWith("perfrunner: ")) << r.err;
    EXPECT_THAT(r.err, HasSubstr(part)) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

}  // namespace

TEST(Cli, VersionAndHelpDocumentExitCodes) {
    TempDir dir;
    auto v = run_perfrunner({"--version"}, dir.path);
    EXPECT_EQ(v.exit_code, 0);
    EXPECT_THAT(v.out, HasSubstr("perfrunner " PERFRUNNER_VERSION));
    auto h = run_perfrunner({"--help"}, dir.path);
    EXPECT_EQ(h.exit_code, 0);
    for (const char* s : {"run", "check", "analyze", "config", "--config", "--set", "--log-level", "--quiet",
                          "0    verdict PASS or WARNING", "2    usage, config or input error",
                          "3    verdict FAIL", "130  interrupted"}) {
        EXPECT_THAT(h.out, HasSubstr(s));
    }
}

TEST(Cli, UsageErrorsExitTwoWithOneLine) {
    TempDir dir;
    expect_one_error_line(run_perfrunner({}, dir.path), "subcommand");
    auto r = run_perfrunner({"analyze", "--no-such-option", "x.json"}, dir.path);
    EXPECT_EQ(r.exit_code, 2);
    expect_one_error_line(r, "--no-such-option");
    r = run_perfrunner({"analyze", "x.json", "--png", "sometimes"}, dir.path);
    EXPECT_EQ(r.exit_code, 2);
    expect_one_error_line(r, "--png");
    r = run_perfrunner({"analyze"}, dir.path);
    EXPECT_EQ(r.exit_code, 2);
    expect_one_error_line(r, "RESULTS_JSON");
}

TEST(Cli, ConfigPrintsEffectiveConfigWithKeyRedacted) {
    TempDir dir;
    write_file(dir.path / "c.json", "// partial\n{\"api\": {\"timeout\": 9}}");
    auto r = run_perfrunner({"config", "--config", "c.json", "--set", "sampling.interval_seconds=0.5"},
                            dir.path, {"PERFRUNNER_API_KEY=secret-from-env"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["api"]["timeout"], 9.0);
    EXPECT_EQ(j["sampling"]["interval_seconds"], 0.5);
    EXPECT_EQ(j["api"]["api_key"], "***");
    EXPECT_EQ(r.out.find("secret-from-env"), std::string::npos);
    EXPECT_EQ(r.err.find("secret-from-env"), std::string::npos);
}

TEST(Cli, ConfigErrorsExitTwoWithOneLine) {
    TempDir dir;
    auto r = run_perfrunner({"config", "--set", "thresholds.memory_warning_percent=150"}, dir.path);
    EXPECT_EQ(r.exit_code, 2);
    expect_one_error_line(
        r, "config key thresholds.memory_warning_percent = 150: expected a percentage in (0, 100]");
    r = run_perfrunner({"--config", "missing.json", "config"}, dir.path);
    EXPECT_EQ(r.exit_code, 2);
    expect_one_error_line(r, "missing.json");
    write_file(dir.path / "bad.json", "{\"api\": {\"timout\": 5}}");
    r = run_perfrunner({"config", "--config", "bad.json"}, dir.path);
    EXPECT_EQ(r.exit_code, 2);
    expect_one_error_line(r, "config key api.timout = 5: expected no such key");
}

// `--set api.api_key 123456789` (a space for the '='): the stray argument is the key; it is not echoed.
TEST(Cli, StrayArgumentsAreNotEchoed) {
    TempDir dir;
    auto r = run_perfrunner({"config", "--set", "api.api_key", "123456789"}, dir.path);
    EXPECT_EQ(r.exit_code, 2);
    expect_one_error_line(r, "not expected: ***");
    EXPECT_THAT(r.err, Not(HasSubstr("123456789")));
    r = run_perfrunner({"config", "--set", "123456789"}, dir.path);
    EXPECT_EQ(r.exit_code, 2);
    expect_one_error_line(r, "expected key.path=value");
    EXPECT_THAT(r.err, Not(HasSubstr("123456789")));
}

TEST(Cli, RunAndCheckExist) {
    TempDir dir;
    EXPECT_THAT(run_perfrunner({"run", "--help"}, dir.path).out, HasSubstr("run"));
    EXPECT_EQ(run_perfrunner({"check", "--help"}, dir.path).exit_code, 0);
}

// libcurl is loaded by the first HTTP client, not at start (src/adapters/curl_library.hpp): with a broken
// libcurl.so.4 first on the library path, the commands that send no request work, and `check`, which does,
// fails with one line naming the library (a linked libcurl made every command fail at start, exit 127).
TEST(Cli, OnlyCommandsThatSendRequestsLoadLibcurl) {
    TempDir dir;
    fs::create_directories(dir.path / "lib");
    write_file(dir.path / "lib/libcurl.so.4", "not a shared library\n");
    const std::vector<std::string> env = {"LD_LIBRARY_PATH=" + (dir.path / "lib").string()};
    auto r = run_perfrunner({"--version"}, dir.path, env);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    r = run_perfrunner(
        {"analyze", kReference.string(), "--output", (dir.path / "out").string(), "--png", "never"}, dir.path,
        env);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(dir.path / "out/results.json"));
    r = run_perfrunner({"check"}, dir.path, env);
    EXPECT_EQ(r.exit_code, 1);
    expect_one_error_line(r, "cannot load libcurl.so.4");
    EXPECT_THAT(r.err, HasSubstr("install libcurl"));
}

// The one folder `analyze` created beside its input (named "<stem>-analysis-<UTC time>[-N]").
std::vector<fs::path> analysis_folders(const fs::path& dir, const std::string& stem) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.is_directory() && e.path().filename().string().rfind(stem + "-analysis-", 0) == 0) {
            out.push_back(e.path());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

TEST(Cli, AnalyzeReferenceFileWritesANewFolderAndNeverItsInput) {
    TempDir dir;
    fs::copy_file(kReference, dir.path / "results.json");
    auto r = run_perfrunner({"analyze", "results.json", "--png", "never"}, dir.path);
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 3) << r.exit_code << " " << r.err;
    EXPECT_EQ(read_file(dir.path / "results.json"), read_file(kReference));  // byte for byte
    const auto folders = analysis_folders(dir.path, "results");
    ASSERT_EQ(folders.size(), 1u);
    const fs::path out = folders.front();
    const auto j = nlohmann::json::parse(read_file(out / "results.json"));
    ASSERT_TRUE(j.contains("verdict"));
    const std::string status = j["verdict"]["overall_status"];
    EXPECT_EQ(r.exit_code, status == "fail" ? 3 : 0);
    EXPECT_EQ(j["exit_code"], r.exit_code);
    EXPECT_EQ(j["schema_version"], "perfrunner-results/1");
    EXPECT_EQ(j["generator"]["name"], "perfrunner");
    EXPECT_EQ(j["analysis"]["scenario_summaries"].size(), 4u);
    // the reference data survives the rewrite
    const auto original = nlohmann::json::parse(read_file(kReference));
    EXPECT_EQ(j["scenarios"], original["scenarios"]);
    EXPECT_EQ(j["config"], original["config"]);
    for (const char* f : {"summary.json", "report.md", "report.html", "junit.xml", "charts/index.html"}) {
        EXPECT_TRUE(fs::exists(out / f)) << f;
    }
    EXPECT_THAT(r.out, HasSubstr("verdict: "));
    EXPECT_THAT(r.out, HasSubstr(out.filename().string()));
    // no temporary files left next to the outputs
    for (const auto& e : fs::directory_iterator(out)) {
        EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
    }
    // A second analysis never reuses the first one's folder.
    r = run_perfrunner({"analyze", "results.json", "--png", "never", "--quiet"}, dir.path);
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 3) << r.err;
    EXPECT_EQ(analysis_folders(dir.path, "results").size(), 2u);
    EXPECT_EQ(read_file(dir.path / "results.json"), read_file(kReference));
}

// The reference framework's bug #29 and its relatives: analysing a backup must not replace the run's own
// results.json beside it.
TEST(Cli, AnalyzeOfABackupLeavesTheRunsResultsAlone) {
    TempDir dir;
    fs::create_directories(dir.path / "old");
    fs::copy_file(kReference, dir.path / "old/backup.json");
    write_file(dir.path / "old/results.json", "another run's file");
    auto r = run_perfrunner({"analyze", "old/backup.json", "--png", "never", "--quiet"}, dir.path);
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 3) << r.err;
    EXPECT_EQ(read_file(dir.path / "old/results.json"), "another run's file");
    EXPECT_EQ(read_file(dir.path / "old/backup.json"), read_file(kReference));
    EXPECT_EQ(analysis_folders(dir.path / "old", "backup").size(), 1u);
}

TEST(Cli, AnalyzeOutputMustBeNewOrEmpty) {
    TempDir dir;
    fs::copy_file(kReference, dir.path / "results.json");
    auto r = run_perfrunner({"analyze", "results.json", "--output", ".", "--png", "never"}, dir.path);
    EXPECT_EQ(r.exit_code, 2);
    expect_one_error_line(r, "--output .: exists and is not an empty folder");
    EXPECT_EQ(read_file(dir.path / "results.json"), read_file(kReference));
    EXPECT_TRUE(analysis_folders(dir.path, "results").empty());
    fs::create_directories(dir.path / "empty");
    r = run_perfrunner({"analyze", "results.json", "--output", "empty", "--png", "never", "--quiet"},
                       dir.path);
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 3) << r.err;
    EXPECT_TRUE(fs::exists(dir.path / "empty/results.json"));
}

// Nulls stay null and members perfrunner does not know survive, in the file analyze writes.
TEST(Cli, AnalyzeKeepsNullsAndUnknownSampleMembers) {
    TempDir dir;
    auto doc = nlohmann::json::parse(read_file(kReference));
    auto& sample = doc["scenarios"][0]["samples"][0];
    auto& container = sample["containers"].begin().value();
    container["memory_used_mb"] = nullptr;
    sample["host"] = {{"cpu_percent", 1.0},    {"cpu_percent_of_host", 0.5},
                      {"memory_used_mb", 2.0}, {"memory_total_mb", 3.0},
                      {"num_cores", 2},        {"future_host", "x"}};
    sample["pace"] = {{"state", "running"}, {"future_pace", 1}};
    sample["agents_queued"] = {{"drivers", 1}, {"riders", 1}, {"total", 2}, {"future_queue", true}};
    sample["rolling_averages"] = {{"web", {{"memory_percent", 1.0}, {"cpu_percent", 2.0}, {"n", 3}}}};
    write_file(dir.path / "in.json", doc.dump(2));
    auto r = run_perfrunner({"analyze", "in.json", "--output", "out", "--png", "never", "--quiet"}, dir.path);
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 3) << r.err;
    const auto j = nlohmann::json::parse(read_file(dir.path / "out/results.json"));
    const auto& s = j["scenarios"][0]["samples"][0];
    EXPECT_TRUE(s["containers"].begin().value()["memory_used_mb"].is_null());
    EXPECT_EQ(s["host"]["future_host"], "x");
    EXPECT_EQ(s["pace"]["future_pace"], 1);
    EXPECT_EQ(s["agents_queued"]["future_queue"], true);
    EXPECT_EQ(s["rolling_averages"]["web"]["n"], 3);
}

TEST(Cli, AnalyzeToAnotherFolderLeavesTheInputUntouched) {
    TempDir dir;
    fs::copy_file(kReference, dir.path / "in.json");
    auto r = run_perfrunner({"analyze", "in.json", "--output", "out", "--png", "never", "--quiet"}, dir.path);
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 3) << r.err;
    EXPECT_EQ(read_file(dir.path / "in.json"), read_file(kReference));
    EXPECT_TRUE(fs::exists(dir.path / "out/results.json"));
    EXPECT_TRUE(r.out.empty()) << r.out;  // --quiet: no summary
}

struct Hostile {
    const char* name;
    std::string text;
    const char* message;
};

class HostileAnalyze : public ::testing::TestWithParam<Hostile> {};

TEST_P(HostileAnalyze, ExitTwoOneLineInputUnchanged) {
    TempDir dir;
    const auto& p = GetParam();
    write_file(dir.path / "results.json", p.text);
    auto r = run_perfrunner({"analyze", "results.json", "--png", "never"}, dir.path);
    EXPECT_EQ(r.exit_code, 2);
    expect_one_error_line(r, p.message);
    EXPECT_EQ(read_file(dir.path / "results.json"), p.text);  // byte for byte
    for (const char* f : {"summary.json", "report.md", "report.html", "junit.xml", "charts"}) {
        EXPECT_FALSE(fs::exists(dir.path / f)) << f;
    }
    std::size_t entries = 0;
    for (const auto& e : fs::directory_iterator(dir.path)) {
        (void)e;
        ++entries;
    }
    EXPECT_EQ(entries, 1u);  // nothing but the input
}

std::string reference_text() {
    return read_file(kReference);
}

std::string replace_first(std::string text, const std::string& from, const std::string& to) {
    const auto pos = text.find(from);
    if (pos != std::string::npos) text.replace(pos, from.size(), to);
    return text;
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, HostileAnalyze,
    ::testing::Values(
        Hostile{"truncated", reference_text().substr(0, 300000), "malformed JSON"},
        Hostile{"garbage",
                "\x7f"
                "ELF\x02\x01 not json at all",
                "malformed JSON"},
        Hostile{
            "wrong_type", replace_first(reference_text(), "\"cpu_percent\": 1.0", "\"cpu_percent\": \"abc\""),
            "scenarios[0].samples[0].containers.rideshare-kafka.cpu_percent: expected a number, got \"abc\""},
        Hostile{
            "nan", replace_first(reference_text(), "\"memory_used_mb\": 222.9", "\"memory_used_mb\": NaN"),
            "scenarios[0].samples[0].containers.rideshare-kafka.memory_used_mb: expected a number, got NaN"},
        Hostile{"huge",
                replace_first(reference_text(), "\"memory_used_mb\": 222.9", "\"memory_used_mb\": 1e308"),
                "implausible number 1e308"},
        Hostile{"empty_scenarios", R"({"test_id": "x", "scenarios": [], "analysis": {}})",
                "\"scenarios\" is empty"},
        Hostile{"no_scenarios", R"({"test_id": "x"})", "no \"scenarios\" array"},
        Hostile{"empty_file", "", "malformed JSON"},
        Hostile{"deeply_nested",
                replace_first(reference_text(), "\"test_id\"",
                              "\"deep\": " + std::string(100000, '[') + std::string(100000, ']') +
                                  ", \"test_id\""),
                "nested"},
        Hostile{"deep_in_a_sample",
                replace_first(reference_text(), "\"timestamp\":",
                              "\"deep\": " + std::string(3000, '[') + std::string(3000, ']') +
                                  ", \"timestamp\":"),
                "nested"},
        Hostile{"metadata_wrong_type",
                replace_first(reference_text(), "\"total_agents_queued\": 600",
                              "\"total_agents_queued\": \"600\""),
                "scenarios[1].metadata.total_agents_queued: expected an integer, got \"600\""},
        Hostile{
            "metadata_huge_integer",
            replace_first(reference_text(), "\"total_agents_queued\": 600", "\"total_agents_queued\": 1e300"),
            "scenarios[1].metadata.total_agents_queued: expected an integer, got 1e+300"},
        Hostile{
            "duplicate_key",
            replace_first(reference_text(), "\"aborted\": false", "\"aborted\": false, \"aborted\": true"),
            "scenarios[0].aborted: duplicate member"}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(Cli, MissingInputFileIsExitTwo) {
    TempDir dir;
    auto r = run_perfrunner({"analyze", "nope.json"}, dir.path);
    EXPECT_EQ(r.exit_code, 2);
    expect_one_error_line(r, "nope.json: no such results file");
}

// Terminal escape sequences inside a results file (names, reasons, a wrong value) never reach the terminal
// raw, whatever the command prints: errors, logs at debug level, the verdict lines.
TEST(Cli, EscapeSequencesFromFilesAreNotPrintedRaw) {
    TempDir dir;
    const std::string esc = R"(\u001b]0;pwned\u0007\u001b[2J\u009b31m)";
    std::string text = read_file(kReference);
    text = replace_first(text, "\"rideshare-kafka\"", "\"rideshare-kafka" + esc + "\"");
    text = replace_first(text, "\"abort_reason\": null", "\"abort_reason\": \"boom" + esc + "\"");
    write_file(dir.path / "esc.json", text);
    auto r = run_perfrunner(
        {"analyze", "esc.json", "--output", "out", "--png", "never", "--log-level", "debug"}, dir.path);
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 3) << r.exit_code << " " << r.err;
    for (const std::string* s : {&r.out, &r.err}) {
        EXPECT_EQ(s->find('\x1b'), std::string::npos) << *s;
        EXPECT_EQ(s->find("\xc2\x9b"), std::string::npos) << *s;
    }
    write_file(dir.path / "bad.json", replace_first(read_file(kReference), "\"memory_used_mb\": 222.9",
                                                    "\"memory_used_mb\": \"" + esc + "\""));
    r = run_perfrunner({"analyze", "bad.json", "--png", "never"}, dir.path);
    EXPECT_EQ(r.exit_code, 2);
    expect_one_error_line(r, "memory_used_mb: expected a number");
    EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\x07'), std::string::npos) << r.err;
}
