// `perfrunner rebuild RUN_DIR` with the real binary: a journal cut off mid-line becomes results.json and
// every report; a folder without a readable journal is exit 2 with one line.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "perfrunner/model/journal.hpp"
#include "perfrunner/model/results_json.hpp"

using namespace perfrunner;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {

namespace fs = std::filesystem;

struct Outcome {
    int exit_code = -1;
    std::string out;
    std::string err;
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Folder {
    fs::path path =
        fs::temp_directory_path() / ("perfrunner-rebuild-" + std::to_string(::getpid()) + "-" +
                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    Folder() {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~Folder() { fs::remove_all(path); }
};

Outcome perfrunner_in(const fs::path& cwd, std::vector<std::string> args) {
    const fs::path out = cwd / ".stdout";
    const fs::path err = cwd / ".stderr";
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(o, 1);
        ::dup2(e, 2);
        if (::chdir(cwd.c_str()) != 0) {
            ::_exit(127);
        }
        std::string binary = PERFRUNNER_BINARY;
        std::vector<char*> argv{binary.data()};
        for (auto& a : args) {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);
        ::execv(binary.c_str(), argv.data());
        ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), slurp(out), slurp(err)};
}

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
    Folder dir;
    fs::create_directories(dir.path / "run");
    std::size_t kept = 0;
    std::ofstream(dir.path / "run" / "journal.jsonl", std::ios::binary) << killed_journal(&kept);
    const Outcome r = perfrunner_in(dir.path, {"rebuild", "run", "--png", "never"});
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
    Folder dir;
    fs::create_directories(dir.path / "empty");
    fs::create_directories(dir.path / "garbage");
    std::ofstream(dir.path / "garbage" / "journal.jsonl") << "{\"not\": \"a journal\"}\n{broken\n";
    for (const auto& [folder, expected] :
         std::vector<std::pair<std::string, std::string>>{{"missing", "no such run folder"},
                                                          {"empty", "no run journal"},
                                                          {"garbage", "journal.jsonl line 1"}}) {
        const Outcome r = perfrunner_in(dir.path, {"rebuild", folder});
        EXPECT_EQ(r.exit_code, 2) << folder;
        EXPECT_THAT(r.err, StartsWith("perfrunner: ")) << folder;
        EXPECT_THAT(r.err, HasSubstr(expected)) << folder;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
}
