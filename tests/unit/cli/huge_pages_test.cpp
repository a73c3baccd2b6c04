// The restart of analyze, compare and rebuild with glibc's malloc on transparent huge pages
// (src/cli/huge_pages.hpp), seen from outside the real binary: a stand-in Chromium records its own
// environment (what perfrunner's children inherit) and its parent's /proc/PID/environ (the environment
// perfrunner's running image was started with).
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "perfrunner_process.hpp"

namespace {

namespace fs = std::filesystem;
using perfrunner::test_support::read_file;
using perfrunner::test_support::run_perfrunner;
using perfrunner::test_support::TempDir;
using perfrunner::test_support::write_file;

const fs::path kReference = fs::path(PERFRUNNER_SHARED_DIR) / "reference-results/py-framework-results.json";

bool huge_pages_on_advice() {
    return read_file("/sys/kernel/mm/transparent_hugepage/enabled").find("[madvise]") != std::string::npos;
}

// The value of NAME in a file of NAME=value lines, if it is there.
std::optional<std::string> variable(const fs::path& env_file, const std::string& name) {
    std::istringstream lines(read_file(env_file));
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind(name + "=", 0) == 0) {
            return line.substr(name.size() + 1);
        }
    }
    return std::nullopt;
}

struct Environments {
    fs::path child;       // the stand-in Chromium's own environment
    fs::path perfrunner;  // the environment perfrunner's image started with
    int exit_code = -1;
    std::string out;
};

// `perfrunner analyze --png always` with a stand-in Chromium that records both environments and fails;
// `tunables` is the caller's GLIBC_TUNABLES (nullopt: unset).
Environments analyze_with(const TempDir& dir, const std::optional<std::string>& tunables) {
    const fs::path chromium = dir.path / "chromium";
    Environments e;
    e.child = dir.path / "child.env";
    e.perfrunner = dir.path / "perfrunner.env";
    write_file(chromium, "#!/bin/sh\nenv > '" + e.child.string() +
                             "'\ntr '\\000' '\\n' < /proc/$PPID/environ > '" + e.perfrunner.string() +
                             "'\nexit 1\n");
    fs::permissions(chromium, fs::perms::owner_all);
    fs::copy_file(kReference, dir.path / "results.json", fs::copy_options::overwrite_existing);
    // The child inherits this process's environment: set or clear the variable here (each test is a process).
    if (tunables) {
        ::setenv("GLIBC_TUNABLES", tunables->c_str(), 1);
    } else {
        ::unsetenv("GLIBC_TUNABLES");
    }
    const auto r = run_perfrunner({"analyze", "results.json", "--png", "always", "--output", "out"}, dir.path,
                                  {"PERFRUNNER_CHROMIUM=" + chromium.string()});
    ::unsetenv("GLIBC_TUNABLES");
    e.exit_code = r.exit_code;
    e.out = r.out;
    return e;
}

}  // namespace

TEST(HugePages, AnalyzeStartsWithTheTunableAndItsChildrenInheritTheCallersEnvironment) {
    TempDir dir;
    const Environments e = analyze_with(dir, std::nullopt);
    ASSERT_TRUE(fs::exists(e.child)) << "the stand-in Chromium did not run; exit " << e.exit_code;
    // The analysis ran and reported once (the first start prints nothing); the failed PNGs make it exit 1.
    EXPECT_EQ(e.exit_code, 1);
    EXPECT_EQ(e.out.find("verdict: "), e.out.rfind("verdict: ")) << e.out;
    EXPECT_NE(e.out.find("verdict: "), std::string::npos) << e.out;
    EXPECT_EQ(variable(e.child, "GLIBC_TUNABLES"), std::nullopt);
    if (huge_pages_on_advice()) {
        EXPECT_EQ(variable(e.perfrunner, "GLIBC_TUNABLES"), "glibc.malloc.hugetlb=1");
        EXPECT_EQ(variable(e.perfrunner, "PERFRUNNER_CALLER_GLIBC_TUNABLES"), "");  // the caller had none
    } else {
        EXPECT_EQ(variable(e.perfrunner, "GLIBC_TUNABLES"), std::nullopt);  // nothing to gain: no restart
    }
}

TEST(HugePages, TheCallersTunablesAreKeptAndExtended) {
    TempDir dir;
    const Environments e = analyze_with(dir, "glibc.malloc.check=0");
    ASSERT_TRUE(fs::exists(e.child)) << "the stand-in Chromium did not run; exit " << e.exit_code;
    EXPECT_EQ(variable(e.child, "GLIBC_TUNABLES"), "glibc.malloc.check=0");
    // The restart saved the caller's value ("=" + value: set, and to what). The started image's
    // GLIBC_TUNABLES cannot be checked whole: glibc's loader cuts that string in place after the first
    // tunable it parses (analyze_bench shows the huge pages at work, with and without other tunables).
    EXPECT_EQ(variable(e.perfrunner, "PERFRUNNER_CALLER_GLIBC_TUNABLES"),
              huge_pages_on_advice() ? std::optional<std::string>("=glibc.malloc.check=0") : std::nullopt);
}

TEST(HugePages, TheUsersOwnChoiceIsLeftAlone) {
    TempDir dir;
    const Environments e = analyze_with(dir, "glibc.malloc.hugetlb=0");
    ASSERT_TRUE(fs::exists(e.child)) << "the stand-in Chromium did not run; exit " << e.exit_code;
    EXPECT_EQ(variable(e.perfrunner, "GLIBC_TUNABLES"), "glibc.malloc.hugetlb=0");
    EXPECT_EQ(variable(e.perfrunner, "PERFRUNNER_CALLER_GLIBC_TUNABLES"), std::nullopt);
    EXPECT_EQ(variable(e.child, "GLIBC_TUNABLES"), "glibc.malloc.hugetlb=0");
}
