// Ctrl-C while a command that only reads and writes files (analyze, rebuild, compare) is writing one: the
// real binary gets a real SIGINT the moment the atomic writer's temporary file appears. The file being
// written is finished (no temporary file is left in the folder), nothing after it is written, and the exit
// code is 130. Each input carries a 40 MB string that its output keeps, so that the write takes long enough
// to be caught in the act. Before the commands caught the signal, the process died mid-write and left the
// temporary file behind.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "perfrunner/model/journal.hpp"
#include "perfrunner/model/results_json.hpp"
#include "perfrunner_process.hpp"

using ::testing::HasSubstr;

namespace {

namespace fs = std::filesystem;
using namespace perfrunner;
using test_support::TempDir;

constexpr std::size_t kPadding = 40U << 20U;

// The reference run with a 40 MB member no reader knows (kept by every lossless rewrite).
model::RunResult padded_reference() {
    model::RunResult run = model::read_results_file(fs::path(PERFRUNNER_SHARED_DIR) /
                                                    "reference-results/py-framework-results.json");
    run.extra["padding"] = std::string(kPadding, 'x');
    return run;
}

struct Interrupted {
    bool signalled = false;  // the temporary file was seen and SIGINT sent
    int exit_code = -1;
    std::string err;
    std::vector<std::string> left;  // what the watched folder holds afterwards, sorted
};

// Runs the binary with args in cwd and sends SIGINT as soon as a temporary file (".<name>.tmp-...") shows
// up in `watched`.
Interrupted interrupt_while_writing(const fs::path& cwd, std::vector<std::string> args,
                                    const fs::path& watched) {
    const pid_t pid = test_support::spawn_perfrunner(cwd, std::move(args), "/dev/null", cwd / ".stderr");
    Interrupted out;
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
        std::error_code ec;
        for (auto it = fs::directory_iterator(watched, ec);
             !out.signalled && !ec && it != fs::directory_iterator(); it.increment(ec)) {
            if (it->path().filename().string().find(".tmp-") != std::string::npos) {
                ::kill(pid, SIGINT);
                out.signalled = true;
            }
        }
        ::usleep(500);
    }
    out.exit_code = test_support::exit_code_of(status);
    out.err = test_support::read_file(cwd / ".stderr");
    for (const auto& e : fs::directory_iterator(watched)) {
        out.left.push_back(e.path().filename().string());
    }
    std::sort(out.left.begin(), out.left.end());
    return out;
}

}  // namespace

TEST(Interrupt, CtrlCDuringAnalyzeLeavesNoTemporaryFile) {
    TempDir dir;
    model::write_results_file(dir.path / "big.json", padded_reference());
    const Interrupted r = interrupt_while_writing(
        dir.path, {"analyze", "big.json", "--output", "out", "--png", "never"}, dir.path / "out");
    ASSERT_TRUE(r.signalled) << "the temporary file of results.json was never seen";
    EXPECT_EQ(r.exit_code, 130) << r.err;
    EXPECT_THAT(r.err, HasSubstr("interrupted")) << r.err;
    EXPECT_EQ(r.left, std::vector<std::string>{"results.json"});  // complete; no temporary file, no report
    EXPECT_GT(fs::file_size(dir.path / "out" / "results.json"), kPadding);
}

// rebuild of a run folder whose journal carries the padding in its state record: results.json is finished,
// the reports are skipped.
TEST(Interrupt, CtrlCDuringRebuildLeavesNoTemporaryFile) {
    TempDir dir;
    const fs::path run_dir = dir.path / "run";
    fs::create_directories(run_dir);
    const model::RunResult run = padded_reference();
    {
        std::ofstream journal(run_dir / model::kJournalFileName, std::ios::binary);
        journal << model::journal_state_line(run);
        for (std::size_t i = 0; i < run.scenarios.size(); ++i) {
            for (const auto& sample : run.scenarios[i].samples) {
                journal << model::journal_sample_line(run, i, sample);
            }
        }
    }
    const Interrupted r = interrupt_while_writing(dir.path, {"rebuild", "run", "--png", "never"}, run_dir);
    ASSERT_TRUE(r.signalled) << "the temporary file of results.json was never seen";
    EXPECT_EQ(r.exit_code, 130) << r.err;
    EXPECT_THAT(r.err, HasSubstr("interrupted; run/results.json written, no report")) << r.err;
    EXPECT_EQ(r.left, (std::vector<std::string>{std::string(model::kJournalFileName), "results.json"}));
    const model::RunResult rebuilt = model::read_results_file(run_dir / "results.json");
    EXPECT_EQ(rebuilt.extra.at("padding").get_ref<const std::string&>().size(), kPadding);
}

// compare of two runs, one with a 40 MB test_id (every output names the inputs): the output being written is
// finished, the ones after it are skipped.
TEST(Interrupt, CtrlCDuringCompareLeavesNoTemporaryFile) {
    TempDir dir;
    model::RunResult base = padded_reference();
    base.extra.erase("padding");
    model::write_results_file(dir.path / "base.json", base);
    base.test_id = std::string(kPadding, 'x');
    model::write_results_file(dir.path / "new.json", base);
    const Interrupted r = interrupt_while_writing(
        dir.path, {"compare", "base.json", "new.json", "--output", "out"}, dir.path / "out");
    ASSERT_TRUE(r.signalled) << "the temporary file of an output was never seen";
    EXPECT_EQ(r.exit_code, 130) << r.err;
    EXPECT_THAT(r.err, HasSubstr("interrupted; the outputs in out may be incomplete")) << r.err;
    // The first output, whole; the next ones only when the signal came late (a busy machine), never all.
    EXPECT_THAT(r.left, ::testing::Contains("compare.json"));
    EXPECT_LT(r.left.size(), 4U) << ::testing::PrintToString(r.left);
    for (const auto& name : r.left) {
        EXPECT_THAT(name, ::testing::AnyOf("compare.json", "compare.md", "compare.html")) << name;
    }
    EXPECT_GT(fs::file_size(dir.path / "out" / "compare.json"), kPadding);
}
