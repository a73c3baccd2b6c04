// BackgroundProcess with real children: output read without blocking, how it ended, a program not on PATH,
// and no child left behind when its parent dies without a chance to stop it.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "perfrunner/adapters/background_process.hpp"
#include "perfrunner/error.hpp"

namespace ad = perfrunner::adapters;

namespace {

bool alive(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return false;
    const auto close = line.rfind(')');
    return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';
}

}  // namespace

TEST(BackgroundProcess, ReadsOutputWithoutBlockingAndSaysHowItEnded) {
    ad::BackgroundProcess p({"sh", "-c", "echo one; sleep 0.3; echo two; echo 'no such thing' >&2; exit 3"});
    std::string out;
    const auto t0 = std::chrono::steady_clock::now();
    while (p.running() && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10)) {
        out += p.read_out();  // never blocks: returns what is there
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    out += p.read_out();
    EXPECT_FALSE(p.running());
    EXPECT_EQ(out, "one\ntwo\n");
    EXPECT_EQ(p.end_description(), "exit 3: no such thing");
}

TEST(BackgroundProcess, StopEndsTheChildAndItsGroup) {
    auto p =
        std::make_unique<ad::BackgroundProcess>(std::vector<std::string>{"sh", "-c", "sleep 600 & wait"});
    const pid_t pid = p->pid();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_TRUE(p->running());
    EXPECT_TRUE(p->end_description().empty());
    p->stop();
    EXPECT_FALSE(p->running());
    EXPECT_FALSE(alive(pid));
    EXPECT_NE(p->end_description().find("killed by signal"), std::string::npos) << p->end_description();
}

TEST(BackgroundProcess, AProgramNotOnPathIsAClearError) {
    try {
        ad::BackgroundProcess p({"perfrunner-no-such-program-xyz", "events"});
        FAIL() << "started";
    } catch (const perfrunner::RuntimeFailure& e) {
        EXPECT_NE(std::string(e.what()).find("cannot run `perfrunner-no-such-program-xyz events`"),
                  std::string::npos)
            << e.what();
    }
}

TEST(BackgroundProcess, DiesWithItsParent) {
    // A parent that ends without stopping its child (SIGKILL, a forced exit): the child must not outlive it.
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t parent = ::fork();
    ASSERT_GE(parent, 0);
    if (parent == 0) {
        ::close(fds[0]);
        auto* p = new ad::BackgroundProcess({"sleep", "600"});  // never stopped: the parent just dies
        const pid_t child = p->pid();
        [[maybe_unused]] const auto w = ::write(fds[1], &child, sizeof child);
        ::_exit(0);
    }
    ::close(fds[1]);
    pid_t child = -1;
    ASSERT_EQ(::read(fds[0], &child, sizeof child), static_cast<ssize_t>(sizeof child));
    ::close(fds[0]);
    ::waitpid(parent, nullptr, 0);
    bool gone = false;
    for (int i = 0; i < 200 && !gone; ++i) {
        gone = !alive(child);
        if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!gone) ::kill(child, SIGKILL);
    EXPECT_TRUE(gone) << "the child outlived its parent";
}
