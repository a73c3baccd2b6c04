// Atomic writes: the target is either the old or the new file, never half of one, and no temp file remains.
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "perfrunner/error.hpp"
#include "perfrunner/model/atomic_file.hpp"
#include "perfrunner/model/results_json.hpp"
#include "support/full_disk.hpp"

namespace fs = std::filesystem;
using namespace perfrunner::model;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        path = fs::temp_directory_path() / ("perfrunner-atomic-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() { fs::remove_all(path); }
    std::size_t entries() const {
        return static_cast<std::size_t>(
            std::distance(fs::directory_iterator(path), fs::directory_iterator()));
    }
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

RunResult small_run() {
    RunResult run;
    run.test_id = "t";
    ScenarioResult s;
    s.scenario_name = "baseline";
    Sample a;
    a.timestamp = 1.5;
    ContainerSample c;
    c.container = run.intern("rideshare-redis");
    c.memory_used_mb = 15.4;
    a.containers.push_back(c);
    s.samples.push_back(a);
    run.scenarios.push_back(s);
    return run;
}

}  // namespace

TEST(AtomicWrite, ReplacesContentAndLeavesNoTempFile) {
    TempDir dir;
    const auto target = dir.path / "report.md";
    write_file_atomically(target, "first");
    write_file_atomically(target, "second version");
    EXPECT_EQ(slurp(target), "second version");
    EXPECT_EQ(dir.entries(), 1u);
}

TEST(AtomicWrite, ResultsFileMatchesToJsonTextAndParsesBack) {
    TempDir dir;
    const auto target = dir.path / "results.json";
    const RunResult run = small_run();
    write_results_file(target, run);
    EXPECT_EQ(slurp(target), to_json_text(run));
    EXPECT_EQ(to_json_text(read_results_file(target)), to_json_text(run));
    EXPECT_EQ(dir.entries(), 1u);
}

TEST(AtomicWrite, FailureLeavesTheOldFileWholeAndNoTempFile) {
    TempDir dir;
    const auto target = dir.path / "results.json";
    write_file_atomically(target, "old content");
    // A target whose rename must fail: a non-empty directory with the same name next to a file write.
    const auto blocked = dir.path / "blocked";
    fs::create_directories(blocked / "child");
    EXPECT_THROW(write_file_atomically(blocked, "new"), perfrunner::RuntimeFailure);
    EXPECT_TRUE(fs::is_directory(blocked));
    EXPECT_EQ(slurp(target), "old content");
    EXPECT_EQ(dir.entries(), 2u);  // results.json + blocked/, no temp file
    EXPECT_THROW(write_file_atomically(dir.path / "missing-dir" / "x.json", "new"),
                 perfrunner::RuntimeFailure);
}

TEST(AtomicWrite, FullDiskKeepsTheOldFile) {
    TempDir dir;
    const auto target = dir.path / "results.json";
    write_file_atomically(target, "old content");
    const int code = perfrunner::test_support::exit_code_on_a_full_disk(1000, [&] {
        try {
            write_file_atomically(target, std::string(5000, 'x'));
        } catch (const perfrunner::RuntimeFailure&) {
            return 0;
        }
        return 1;
    });
    EXPECT_EQ(code, 0) << "the write beyond the size limit did not throw RuntimeFailure";
    EXPECT_EQ(slurp(target), "old content");
    EXPECT_EQ(dir.entries(), 1u);
}

// A streamed file larger than several writeback chunks (atomic_file.cpp starts the disk writes every 8 MiB as
// it goes) arrives whole and in order, whatever sizes the writes came in.
TEST(AtomicWrite, StreamedFileOfManyWritebackChunksArrivesWhole) {
    TempDir dir;
    const auto target = dir.path / "big.json";
    std::string expected;
    stream_file_atomically(target, [&](StreamedFile& file) {
        std::FILE* f = file.stream();
        for (std::size_t i = 0; expected.size() < (std::size_t{20} << 20); ++i) {
            // Blocks of 1..1 MiB+ of a byte that changes with i: a lost, repeated or reordered block shows.
            const std::string block((i * 7919) % (std::size_t{1} << 20) + 1, static_cast<char>('a' + i % 26));
            ASSERT_EQ(std::fwrite(block.data(), 1, block.size(), f), block.size());
            expected += block;
        }
    });
    EXPECT_EQ(fs::file_size(target), expected.size());
    EXPECT_TRUE(slurp(target) == expected);
    EXPECT_EQ(dir.entries(), 1u);
}

// sync_written (a writer about to pause lets the disk catch up): what was written so far is in the temporary
// file, not in the stream's buffer, and the write goes on to a whole file; on a full disk it throws.
TEST(AtomicWrite, SyncWrittenFlushesWhatWasWrittenAndTheWriteGoesOn) {
    TempDir dir;
    const auto target = dir.path / "results.json";
    stream_file_atomically(target, [&](StreamedFile& file) {
        ASSERT_EQ(std::fputs("first part,", file.stream()), 1);
        file.sync_written();
        std::vector<fs::path> temporary;
        for (const auto& e : fs::directory_iterator(dir.path)) {
            temporary.push_back(e.path());
        }
        ASSERT_EQ(temporary.size(), 1u);
        EXPECT_EQ(slurp(temporary.front()), "first part,");
        ASSERT_GE(std::fputs("second part", file.stream()), 0);
    });
    EXPECT_EQ(slurp(target), "first part,second part");
    EXPECT_EQ(dir.entries(), 1u);

    const int code = perfrunner::test_support::exit_code_on_a_full_disk(rlim_t{1} << 20, [&] {
        try {
            stream_file_atomically(dir.path / "full.json", [](StreamedFile& file) {
                const std::string block(std::size_t{3} << 20, 'x');
                (void)std::fwrite(block.data(), 1, block.size(), file.stream());
                file.sync_written();
            });
        } catch (const perfrunner::RuntimeFailure& e) {
            return std::string(e.what()).find("check free disk space") != std::string::npos ? 0 : 2;
        }
        return 1;
    });
    EXPECT_EQ(code, 0) << "1: no RuntimeFailure; 2: its message does not say what to do";
    EXPECT_EQ(dir.entries(), 1u);
}

TEST(AtomicWrite, StreamedWriteOnAFullDiskThrowsAndKeepsTheOldFile) {
    TempDir dir;
    const auto target = dir.path / "results.json";
    write_file_atomically(target, "old content");
    const int code = perfrunner::test_support::exit_code_on_a_full_disk(rlim_t{1} << 20, [&] {
        try {
            stream_file_atomically(target, [](StreamedFile& file) {
                const std::string block(std::size_t{3} << 20, 'x');
                // The return value unchecked on purpose: a writer that misses a failed write must not
                // get a committed, truncated file either.
                (void)std::fwrite(block.data(), 1, block.size(), file.stream());
            });
        } catch (const perfrunner::RuntimeFailure& e) {
            // The reason is errno's (EFBIG here, ENOSPC on a full disk), not a made-up one.
            return std::string(e.what()).find(std::strerror(EFBIG)) != std::string::npos ? 0 : 2;
        }
        return 1;
    });
    EXPECT_EQ(code, 0) << "1: no RuntimeFailure; 2: its message does not name the error";
    EXPECT_TRUE(slurp(target) == "old content") << fs::file_size(target) << " bytes replaced the old file";
    EXPECT_EQ(dir.entries(), 1u);
}
