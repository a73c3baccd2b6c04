// Fault injection on the real stack (issue 11, build point 4). Each test starts a short `perfrunner run`,
// injects one fault once the run journal holds some samples, and checks what is recorded, whether the run
// goes on or aborts by rule, and that every sample taken before the fault is in the final results.json. Each
// prints one line of the fault table: "FAULT | <fault> | <outcome> | kept <n> / taken <m>".
#include <sys/mount.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <set>

#include "perfrunner/model/journal.hpp"
#include "run_e2e_support.hpp"

namespace e2e = perfrunner::e2e;
namespace model = perfrunner::model;
using nlohmann::json;

namespace {

// A short baseline: 1-s samples for 30 s after the clean restart.
std::vector<std::string> baseline_run(const e2e::fs::path& out, std::vector<std::string> sets = {}) {
    for (const char* s : {"sampling.interval_seconds=1", "sampling.warmup_seconds=1",
                          "scenarios.baseline_duration_seconds=30", "sampling.checkpoint_every_samples=5"}) {
        sets.emplace_back(s);
    }
    return e2e::run_argv(out, {"--scenarios", "baseline"}, sets);
}

// The sample timestamps of a journal's text (what had been taken when the text was read).
std::vector<double> journal_timestamps(const std::string& text) {
    std::vector<double> t;
    const model::JournalReplay replay = model::parse_journal(text);
    for (const auto& s : replay.run.scenarios) {
        for (const auto& sample : s.samples) t.push_back(sample.timestamp);
    }
    return t;
}

std::size_t results_samples(const json& run) {
    std::size_t n = 0;
    for (const auto& s : run.at("scenarios")) n += s.at("samples").size();
    return n;
}

// Every sample of `taken` (timestamps read from the journal at the fault) is in results.json.
void expect_all_kept(const std::vector<double>& taken, const json& run) {
    std::set<double> kept;
    for (const auto& s : run.at("scenarios")) {
        for (const auto& sample : s.at("samples")) kept.insert(sample.at("timestamp").get<double>());
    }
    for (double t : taken) EXPECT_TRUE(kept.count(t) == 1) << "sample at " << t << " lost";
}

std::string outcome_of(const json& run, int exit_code) {
    std::string reason = run.value("abort_reason", std::string());
    for (const auto& s : run.at("scenarios")) {
        if (s.value("aborted", false) && s.contains("abort_reason") && s.at("abort_reason").is_string()) {
            reason = s.at("abort_reason").get<std::string>();
        }
    }
    std::size_t errors = 0;
    std::size_t ooms = 0;
    std::string first_error;
    for (const auto& s : run.at("scenarios")) {
        ooms += s.at("oom_events").size();
        for (const auto& sample : s.at("samples")) {
            if (sample.contains("error") && sample.at("error").is_string()) {
                if (errors++ == 0) first_error = sample.at("error").get<std::string>().substr(0, 60);
            }
        }
    }
    return "exit " + std::to_string(exit_code) + (reason.empty() ? ", not aborted" : ", aborted: " + reason) +
           ", " + std::to_string(errors) + " error samples" +
           (first_error.empty() ? "" : " (first: " + first_error + ")") + ", " + std::to_string(ooms) +
           " OOM events";
}

void table_line(const std::string& fault, const std::string& outcome, std::size_t kept, std::size_t taken) {
    std::printf("FAULT | %s | %s | kept %zu / taken %zu\n", fault.c_str(), outcome.c_str(), kept, taken);
    std::fflush(stdout);
}

bool container_running(const std::string& name) {
    return e2e::run_quiet({"sh", "-c", "docker ps --format '{{.Names}}' | grep -qx " + name}) == 0;
}

// Runs one fault: starts the run, waits for `before` journal samples, injects, waits for the end.
struct FaultRun {
    e2e::fs::path out;
    std::vector<double> taken;  // samples in the journal when the fault was injected
    std::optional<int> code;
    std::optional<json> run;
    e2e::fs::path log_path;
    std::string log() const { return e2e::read_text(log_path); }
};

using ArgvFor = std::function<std::vector<std::string>(const e2e::fs::path& out)>;

FaultRun fault_run(const e2e::fs::path& out, const ArgvFor& argv,
                   const std::map<std::string, std::string>& env, std::size_t before,
                   const std::function<void(e2e::Process&)>& inject, double timeout = 240.0) {
    FaultRun f;
    f.out = out;
    // Beside the run folder, not in it: the disk-full test fills the run folder's file system.
    f.log_path = out.parent_path() / (out.filename().string() + ".log");
    e2e::Process p(argv(out), env, f.log_path, e2e::source_dir());
    const std::size_t seen = e2e::wait_for_journal_samples(out, before, 180.0);
    EXPECT_GE(seen, before) << f.log();
    f.taken = journal_timestamps(e2e::read_text(out / "journal.jsonl"));
    inject(p);
    f.code = p.wait(timeout);
    EXPECT_TRUE(f.code.has_value()) << "no exit; log:\n" << f.log();
    f.run = e2e::read_json(out / "results.json");
    return f;
}

ArgvFor baseline() {
    return [](const e2e::fs::path& out) { return baseline_run(out); };
}

}  // namespace

TEST(FaultE2E, KilledCadvisor) {
    PERFRUNNER_REQUIRE_STACK_OR_SKIP();
    auto f = fault_run(e2e::fresh_dir("fault-cadvisor"), baseline(), {}, 8, [](e2e::Process&) {
        e2e::run_quiet({"docker", "kill", "rideshare-cadvisor"});
    });
    ASSERT_TRUE(f.run.has_value()) << f.log();
    expect_all_kept(f.taken, *f.run);
    const std::string outcome = outcome_of(*f.run, f.code.value_or(-1));
    // Recorded: metrics errors in the samples after the kill, or the kill as an event (its exit 137).
    EXPECT_TRUE(outcome.find("metrics") != std::string::npos ||
                outcome.find(" 0 OOM events") == std::string::npos)
        << outcome;
    EXPECT_GT(results_samples(*f.run), f.taken.size());
    table_line("(a) kill cAdvisor", outcome, results_samples(*f.run), f.taken.size());
}

TEST(FaultE2E, KilledSimulationApi) {
    PERFRUNNER_REQUIRE_STACK_OR_SKIP();
    // The duration test reads /simulation/status on every tick: the API's death is seen there.
    const ArgvFor duration = [](const e2e::fs::path& out) {
        return e2e::run_argv(
            out, {"--scenarios", "duration", "--agents", "5"},
            {"sampling.interval_seconds=1", "sampling.drain_interval_seconds=1",
             "sampling.cooldown_interval_seconds=1", "sampling.warmup_seconds=1", "sampling.settle_seconds=1",
             "scenarios.duration_active_minutes=0.5", "scenarios.duration_cooldown_minutes=0.1",
             "scenarios.duration_drain_timeout_seconds=5"});
    };
    auto f = fault_run(e2e::fresh_dir("fault-api"), duration, {}, 6, [](e2e::Process&) {
        e2e::run_quiet({"docker", "kill", "rideshare-simulation"});
    });
    ASSERT_TRUE(f.run.has_value()) << f.log();
    expect_all_kept(f.taken, *f.run);
    const std::string outcome = outcome_of(*f.run, f.code.value_or(-1));
    EXPECT_TRUE(f.run->value("aborted", false) || (*f.run)["scenarios"][0].value("aborted", false))
        << outcome;
    EXPECT_TRUE(f.code == 1 || f.code == 3) << outcome;
    table_line("(b) kill the simulation API", outcome, results_samples(*f.run), f.taken.size());
}

// perfrunner's own `docker events` child (its OOM watch's stream), found by parent pid and argv in /proc.
std::vector<pid_t> event_streams_of(pid_t parent) {
    std::vector<pid_t> out;
    for (const auto& entry : e2e::fs::directory_iterator("/proc")) {
        const std::string pid = entry.path().filename().string();
        if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
        const std::string stat = e2e::read_text(entry.path() / "stat");
        const auto close = stat.rfind(')');
        if (close == std::string::npos || close + 4 >= stat.size()) continue;
        const long ppid = std::strtol(stat.c_str() + close + 4, nullptr, 10);  // after ") S "
        if (ppid != parent) continue;
        if (e2e::read_text(entry.path() / "cmdline").rfind(std::string("docker\0events\0", 14), 0) == 0) {
            out.push_back(std::stoi(pid));
        }
    }
    return out;
}

TEST(FaultE2E, EventStreamKilledThenAnOomKill) {
    PERFRUNNER_REQUIRE_STACK_OR_SKIP();
    // The OOM watch's one `docker events` process is killed, and a process inside the simulation's container
    // is OOM-killed while it is down: the stream is restarted, replays what it missed, and the note is kept.
    std::size_t streams = 0;
    auto f = fault_run(
        e2e::fresh_dir("fault-stream"), baseline(), {{"SIM_MEM_LIMIT", "128m"}}, 8, [&](e2e::Process& p) {
            const auto found = event_streams_of(p.pid());
            streams = found.size();
            for (pid_t pid : found) ::kill(pid, SIGKILL);
            e2e::run_quiet({"docker", "exec", "-d", "rideshare-simulation", "sh", "-c", "tail /dev/zero"});
        });
    EXPECT_EQ(streams, 1u) << "one docker events process for the run";
    ASSERT_TRUE(f.run.has_value()) << f.log();
    expect_all_kept(f.taken, *f.run);
    const std::string outcome = outcome_of(*f.run, f.code.value_or(-1));
    const auto& s = (*f.run)["scenarios"][0];
    ASSERT_FALSE(s.at("oom_events").empty()) << outcome;
    EXPECT_EQ(s.at("oom_events")[0].at("container_name"), "rideshare-simulation");
    ASSERT_TRUE(s.contains("oom_watch_notes")) << outcome;
    const std::string note = s.at("oom_watch_notes")[0].at("note").get<std::string>();
    EXPECT_NE(note.find("docker events stream ended (killed by signal 9)"), std::string::npos) << note;
    EXPECT_EQ(*f.code, 3) << outcome;
    table_line("(c2) docker events stream killed, then an OOM kill", outcome + "; note: " + note,
               results_samples(*f.run), f.taken.size());
}

TEST(FaultE2E, OomKillInsideAContainer) {
    PERFRUNNER_REQUIRE_STACK_OR_SKIP();
    // A process inside the simulation's container eats memory until the kernel's OOM killer ends it.
    auto f =
        fault_run(e2e::fresh_dir("fault-oom"), baseline(), {{"SIM_MEM_LIMIT", "128m"}}, 8, [](e2e::Process&) {
            e2e::run_quiet({"docker", "exec", "-d", "rideshare-simulation", "sh", "-c", "tail /dev/zero"});
        });
    ASSERT_TRUE(f.run.has_value()) << f.log();
    expect_all_kept(f.taken, *f.run);
    const std::string outcome = outcome_of(*f.run, f.code.value_or(-1));
    const auto& s = (*f.run)["scenarios"][0];
    ASSERT_FALSE(s.at("oom_events").empty()) << outcome;
    EXPECT_EQ(s.at("oom_events")[0].at("container_name"), "rideshare-simulation");
    EXPECT_TRUE(s.value("aborted", false));
    EXPECT_EQ(*f.code, 3) << outcome;
    table_line("(c) OOM kill in rideshare-simulation", outcome, results_samples(*f.run), f.taken.size());
}

TEST(FaultE2E, DockerEngineStopped) {
    PERFRUNNER_REQUIRE_STACK_OR_SKIP();
    const auto dockerd = (e2e::source_dir() / "tests/stack/dockerd.sh").string();
    auto f = fault_run(e2e::fresh_dir("fault-dockerd"), baseline(), {}, 8, [&](e2e::Process&) {
        e2e::run_quiet({"bash", dockerd, "stop"}, 60.0);
        std::this_thread::sleep_for(std::chrono::seconds(8));
        e2e::run_quiet({"bash", dockerd, "start"}, 60.0);
    });
    ASSERT_TRUE(f.run.has_value()) << f.log();
    expect_all_kept(f.taken, *f.run);
    const std::string outcome = outcome_of(*f.run, f.code.value_or(-1));
    EXPECT_TRUE(f.code == 0 || f.code == 1 || f.code == 3) << outcome;
    table_line("(d) stop the Docker engine for 8 s", outcome, results_samples(*f.run), f.taken.size());
    // Whatever the stack did while the engine was away, the test leaves it as the next one expects.
    e2e::restore_stack();
}

TEST(FaultE2E, RunFolderDiskFull) {
    PERFRUNNER_REQUIRE_STACK_OR_SKIP();
    // The run folder is a 16 MiB tmpfs; its log and the rebuild's go beside it.
    const auto base = e2e::fresh_dir("fault-disk");
    const auto out = base / "run";
    e2e::fs::create_directories(out);
    if (::mount("tmpfs", out.c_str(), "tmpfs", 0, "size=16m") != 0)
        GTEST_SKIP() << "cannot mount a tmpfs here";
    const auto filler = out / "filler";
    auto f = fault_run(out, baseline(), {}, 8, [&](e2e::Process&) {
        // Everything left on the file system, taken at once.
        e2e::run_quiet({"dd", "if=/dev/zero", "of=" + filler.string(), "bs=64k"}, 30.0);
    });
    const std::string log = f.log();
    EXPECT_FALSE(f.run.has_value()) << "results.json fit on a full disk?";
    EXPECT_EQ(f.code, 1) << log;
    EXPECT_NE(log.find("results.json not written"), std::string::npos) << log;
    // The teardown ran although the final write failed (defect 5).
    EXPECT_NE(log.find("teardown: down -v started"), std::string::npos) << log;
    EXPECT_FALSE(container_running("rideshare-simulation")) << log;
    // Room again: the journal holds every sample taken before the disk filled.
    e2e::fs::remove(filler);
    const auto rebuild_log = base / "rebuild.log";
    e2e::Process r({e2e::perfrunner_binary(), "rebuild", out.string(), "--png", "never"}, {}, rebuild_log,
                   e2e::source_dir());
    const auto rc = r.wait(120.0);
    const auto run = e2e::read_json(out / "results.json");
    ::umount2(out.c_str(), MNT_DETACH);
    ASSERT_TRUE(run.has_value()) << e2e::read_text(rebuild_log);
    expect_all_kept(f.taken, *run);
    table_line("(e) disk of the run folder full",
               "exit " + std::to_string(f.code.value_or(-1)) +
                   ", journal appends fail (noted once), results.json not written, reports fail, stack torn "
                   "down; rebuild exit " +
                   std::to_string(rc.value_or(-1)),
               results_samples(*run), f.taken.size());
}

TEST(FaultE2E, SigkillThenRebuild) {
    PERFRUNNER_REQUIRE_STACK_OR_SKIP();
    auto f = fault_run(e2e::fresh_dir("fault-sigkill"), baseline(), {}, 10,
                       [](e2e::Process& p) { p.signal(SIGKILL); });
    EXPECT_EQ(f.code, 128 + SIGKILL);
    EXPECT_FALSE(f.run.has_value());
    const auto log = f.out / "rebuild.log";
    e2e::Process r({e2e::perfrunner_binary(), "rebuild", f.out.string(), "--png", "never"}, {}, log,
                   e2e::source_dir());
    const auto rc = r.wait(120.0);
    ASSERT_TRUE(rc.has_value());
    const auto run = e2e::read_json(f.out / "results.json");
    ASSERT_TRUE(run.has_value()) << e2e::read_text(log);
    expect_all_kept(f.taken, *run);
    EXPECT_EQ(run->value("abort_reason", ""), "run_ended_unexpectedly");
    EXPECT_EQ(*rc, run->at("exit_code").get<int>());
    EXPECT_TRUE(e2e::fs::exists(f.out / "report.md"));
    table_line("(f) SIGKILL perfrunner, then rebuild",
               "rebuild exit " + std::to_string(*rc) + ", aborted: run_ended_unexpectedly",
               results_samples(*run), f.taken.size());
    // A killed perfrunner leaves the stack up (nothing can tear it down): the next test's clean restart or
    // the suite's stack_down takes it.
}

// SIGINT at 10 random moments of a short run (setup with its docker calls, warm-up, sampling); the last two
// send a second SIGINT 0.3 s after the first. Each must end promptly with 130, every journaled sample kept,
// no docker child left and the stack torn down.
TEST(FaultE2E, SigintAtTenRandomMoments) {
    PERFRUNNER_REQUIRE_STACK_OR_SKIP();
    std::mt19937 rng(20261201);
    // The run takes ~19 s here (setup ~7 s, warm-up 2 s, sampling 8 s, teardown ~2 s): every moment falls
    // inside.
    std::uniform_real_distribution<double> moment(0.5, 16.0);
    for (int i = 0; i < 10; ++i) {
        const double at = moment(rng);
        const bool twice = i >= 8;
        const auto out = e2e::fresh_dir("sigint-" + std::to_string(i));
        e2e::Process p(e2e::run_argv(out, {"--scenarios", "baseline"},
                                     {"sampling.interval_seconds=1", "sampling.warmup_seconds=2",
                                      "scenarios.baseline_duration_seconds=8"}),
                       {}, out / "perfrunner.log", e2e::source_dir());
        std::this_thread::sleep_for(std::chrono::duration<double>(at));
        const std::string journal = e2e::read_text(out / "journal.jsonl");
        const auto taken = journal.empty() ? std::vector<double>{} : journal_timestamps(journal);
        // The phase the signal lands in: the last "<scenario>: <phase> started" line of the log so far.
        const std::string so_far = e2e::read_text(out / "perfrunner.log");
        const auto started = so_far.rfind(" started");
        const auto line_start = started == std::string::npos ? 0 : so_far.rfind('\n', started) + 1;
        const std::string phase = started == std::string::npos
                                      ? std::string("start")
                                      : so_far.substr(line_start, started - line_start).substr(21);
        p.signal(SIGINT);
        if (twice) {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            p.signal(SIGINT);
        }
        const auto t0 = std::chrono::steady_clock::now();
        const auto code = p.wait(60.0);
        const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const std::string log = e2e::read_text(out / "perfrunner.log");
        ASSERT_TRUE(code.has_value()) << "moment " << at << " s: no exit within 60 s\n" << log;
        const auto run = e2e::read_json(out / "results.json");
        ASSERT_TRUE(run.has_value()) << log;
        expect_all_kept(taken, *run);
        // 130, or 0 when the run had already finished (the signal came during its teardown).
        EXPECT_TRUE(*code == 130 || (*code == 0 && !run->value("aborted", false))) << *code << "\n" << log;
        EXPECT_EQ(run->at("exit_code").get<int>(), *code);
        EXPECT_FALSE(container_running("rideshare-simulation")) << "stack left up after moment " << at << "\n"
                                                                << log;
        EXPECT_NE(e2e::run_quiet({"pgrep", "-f", "compose.*tests/stack/compose.yml"}), 0)
            << "docker child left";
        char moment_text[96];
        std::snprintf(moment_text, sizeof moment_text, "SIGINT%s at %.1f s (%s)", twice ? " x2" : "", at,
                      phase.c_str());
        table_line(moment_text,
                   "exit " + std::to_string(*code) + " after " +
                       std::to_string(static_cast<int>(took * 10) / 10.0).substr(0, 4) + " s, " +
                       run->value("abort_reason", std::string("completed")),
                   results_samples(*run), taken.size());
    }
}
