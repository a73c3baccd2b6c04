#include "perfrunner/progress/console_progress.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "fakes/harness.hpp"

using namespace perfrunner;

namespace {

std::string contents(std::FILE* f) {
    std::fflush(f);
    std::rewind(f);
    std::string out;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
        out.append(buf, n);
    }
    return out;
}

struct ProgressTest : ::testing::Test {
    config::Config config = fakes::test_config();
    double now = 1'760'000'000.0;
    model::RunResult run;
    std::FILE* out = std::tmpfile();
    ~ProgressTest() override { std::fclose(out); }

    model::Sample sample(double t, double kafka_cpu) {
        model::Sample s;
        s.timestamp = t;
        model::ContainerSample sim;
        sim.container = run.intern("rideshare-simulation");
        sim.memory_percent = 40;
        sim.cpu_percent = 10;
        sim.cpu_cores_effective = 1.0;
        model::ContainerSample kafka;
        kafka.container = run.intern("rideshare-kafka");
        kafka.memory_percent = 20;
        kafka.cpu_percent = kafka_cpu;
        kafka.cpu_cores_effective = 1.5;
        s.containers = {sim, kafka};
        return s;
    }
};

TEST_F(ProgressTest, LogModeWritesTimestampedLinesAtAModestRate) {
    progress::ConsoleProgress p(
        config, progress::ConsoleProgress::Mode::log, out, [this] { return now; }, 10.0);
    p.phase_started({"stress_test", "ramp", now, 1800});
    for (int i = 1; i <= 15; ++i) {  // 30 s of samples every 2 s
        now += 2.0;
        p.sample_taken(run, sample(now, 120.0), {40, 40});
    }
    p.note("stress trigger: rideshare-kafka cpu");
    const std::string text = contents(out);
    EXPECT_NE(text.find("2025-10-09T08:53:20Z stress_test: ramp started (30:00)"), std::string::npos) << text;
    std::size_t lines = 0;
    for (char c : text) {
        lines += c == '\n';
    }
    EXPECT_EQ(lines, 1u + 3u + 1u) << text;  // phase, a status line every 10 s, the note
    EXPECT_EQ(text.find('\r'), std::string::npos);
    // Busiest first: kafka at 120 of 135 % beats the simulation at 10 of 90 %.
    EXPECT_NE(text.find("agents 40+40  kafka cpu 120/135% mem 20/90%  simulation cpu 10/90%"),
              std::string::npos)
        << text;
}

TEST_F(ProgressTest, TerminalModeRefreshesOneLineInPlace) {
    progress::ConsoleProgress p(config, progress::ConsoleProgress::Mode::terminal, out,
                                [this] { return now; });
    p.phase_started({"duration_leak", "active", now, 300});
    now += 2;
    p.sample_taken(run, sample(now, 30.0), {});
    now += 2;
    p.sample_taken(run, sample(now, 30.0), {});
    p.finished();
    const std::string text = contents(out);
    EXPECT_NE(text.find("\r\033[K[duration_leak active] 00:04 / 05:00 (-04:56)"), std::string::npos) << text;
    EXPECT_EQ(text.back(), 'K');  // the status line is cleared at the end
}

}  // namespace
