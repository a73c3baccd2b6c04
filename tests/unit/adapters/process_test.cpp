// run_process: argv without a shell, timeouts that kill the process group, stderr captured.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "perfrunner/adapters/process.hpp"
#include "perfrunner/error.hpp"

using perfrunner::adapters::describe_failure;
using perfrunner::adapters::ProcessOptions;
using perfrunner::adapters::run_process;

TEST(Process, ArgvWithSpacesAndShellCharactersIsPassedVerbatim) {
    const auto r = run_process({"printf", "%s|", "two words", "$HOME", "a;b", "'q'"});
    ASSERT_TRUE(r.ok()) << r.err;
    EXPECT_EQ(r.out, "two words|$HOME|a;b|'q'|");
}

TEST(Process, StderrAndExitCodeAreCapturedIntoTheFailureMessage) {
    ProcessOptions options;
    const std::vector<std::string> argv{"sh", "-c", "echo out; echo 'bad thing happened' >&2; exit 3"};
    const auto r = run_process(argv, options);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_EQ(r.out, "out\n");
    EXPECT_EQ(r.err, "bad thing happened\n");
    const auto message = describe_failure(argv, r, options);
    EXPECT_NE(message.find("exit 3"), std::string::npos) << message;
    EXPECT_NE(message.find("bad thing happened"), std::string::npos) << message;
    EXPECT_NE(message.find("'echo out; echo"), std::string::npos) << message;
}

TEST(Process, TimeoutKillsTheWholeProcessGroup) {
    const std::string pidfile = ::testing::TempDir() + "/perfrunner_process_test_grandchild.pid";
    std::remove(pidfile.c_str());
    ProcessOptions options;
    options.timeout_seconds = 0.5;
    const auto t0 = std::chrono::steady_clock::now();
    // The grandchild (sleep) would keep the pipes open forever if only the shell were killed.
    const auto r = run_process({"sh", "-c", "sleep 30 & echo $! > " + pidfile + "; wait"}, options);
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_TRUE(r.timed_out);
    EXPECT_FALSE(r.ok());
    EXPECT_LT(elapsed, 3.0);
    std::ifstream in(pidfile);
    int grandchild = 0;
    ASSERT_TRUE(in >> grandchild);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    // Gone, or a zombie waiting for a PID 1 that may not reap (no init system on these machines).
    std::ifstream stat("/proc/" + std::to_string(grandchild) + "/stat");
    std::string pid_field, comm, state;
    if (stat >> pid_field >> comm >> state) {
        EXPECT_EQ(state, "Z") << "grandchild " << grandchild << " still running";
    }
    const auto message = describe_failure({"sh"}, r, options);
    EXPECT_NE(message.find("timed out after 0.5 s"), std::string::npos) << message;
}

TEST(Process, MissingProgramIsAClearError) {
    try {
        run_process({"perfrunner-no-such-program-xyz", "--version"});
        FAIL();
    } catch (const perfrunner::RuntimeFailure& e) {
        EXPECT_NE(std::string(e.what()).find("perfrunner-no-such-program-xyz"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("PATH"), std::string::npos);
    }
}

TEST(Process, StdinDataAndLargeOutput) {
    ProcessOptions options;
    options.stdin_data = std::string(200000, 'a');
    const auto r = run_process({"wc", "-c"}, options);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(std::stol(r.out), 200000);
    const auto big = run_process({"head", "-c", "1000000", "/dev/zero"});
    EXPECT_EQ(big.out.size(), 1000000u);
}

TEST(Process, EnvironmentIsInheritedAndExtendedWithoutAShell) {
    ProcessOptions options;
    options.environment["PERFRUNNER_TEST_VAR"] = "a value; with $dollar";
    options.working_directory = "/tmp";
    const auto r = run_process(
        {"sh", "-c", "printf '%s|%s|%s' \"$PERFRUNNER_TEST_VAR\" \"$(pwd)\" \"${PATH:+has-path}\""}, options);
    ASSERT_TRUE(r.ok()) << r.err;
    EXPECT_EQ(r.out, "a value; with $dollar|/tmp|has-path");
}

namespace {

bool gone_or_zombie(int pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string pid_field, comm, state;
    return !(stat >> pid_field >> comm >> state) || state == "Z";
}

}  // namespace

TEST(Process, CancelKillsTheChildAndItsGroupPromptly) {
    // What a Ctrl-C during a long docker call does: the call ends within a poll interval, not at its timeout.
    const std::string pidfile = ::testing::TempDir() + "/perfrunner_process_test_cancel.pid";
    std::remove(pidfile.c_str());
    ProcessOptions options;
    options.timeout_seconds = 60.0;
    const auto t0 = std::chrono::steady_clock::now();
    options.cancelled = [t0] {
        return std::chrono::steady_clock::now() - t0 > std::chrono::milliseconds(300);
    };
    const auto r = run_process({"sh", "-c", "sleep 30 & echo $! > " + pidfile + "; wait"}, options);
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("cancelled child ended %.2f s after the start (cancel at 0.30 s)\n", elapsed);
    EXPECT_TRUE(r.interrupted);
    EXPECT_FALSE(r.timed_out);
    EXPECT_FALSE(r.ok());
    EXPECT_LT(elapsed, 3.0);
    std::ifstream in(pidfile);
    int grandchild = 0;
    ASSERT_TRUE(in >> grandchild);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_TRUE(gone_or_zombie(grandchild)) << "grandchild " << grandchild << " still running";
    EXPECT_NE(describe_failure({"sh"}, r, options).find("interrupted"), std::string::npos);
}

TEST(Process, AChildThatClosesItsPipesStillHasItsTimeout) {
    ProcessOptions options;
    options.timeout_seconds = 0.5;
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = run_process({"sh", "-c", "exec >/dev/null 2>&1; sleep 30"}, options);
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_TRUE(r.timed_out);
    EXPECT_LT(elapsed, 3.0);
}

// The API key (and every other variable of perfrunner's key table) never reaches docker or compose.
TEST(Process, PerfrunnerVariablesAreNotPassedToChildren) {
    ::setenv("PERFRUNNER_API_KEY", "k3y-that-must-not-leak", 1);
    ::setenv("PERFRUNNER_API_URL", "http://user:pw@127.0.0.1:1", 1);
    ProcessOptions options;
    options.environment["PERFRUNNER_TEST_VAR"] = "kept";
    const auto r = run_process({"env"}, options);
    ::unsetenv("PERFRUNNER_API_KEY");
    ::unsetenv("PERFRUNNER_API_URL");
    ASSERT_TRUE(r.ok()) << r.err;
    EXPECT_EQ(r.out.find("k3y-that-must-not-leak"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("PERFRUNNER_API_URL"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("PERFRUNNER_TEST_VAR=kept"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("PATH="), std::string::npos) << r.out;
}
