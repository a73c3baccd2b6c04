// analyze_bench: how fast and how lean is `perfrunner analyze` on a big results.json, and where does the time
// go?
//
// For each size (default 100,000 and 1,000,000 container samples: 20 containers x 5,000 / 50,000 ticks, see
// analyze_bench_input.hpp) it writes a results.json with the model writer, then measures, each in its own
// child process (so every figure starts from an empty heap):
//   1. `perfrunner analyze --png never` (the real binary, which restarts itself with glibc's malloc on
//      transparent huge pages, src/cli/huge_pages.hpp): wall time, CPU (user + system), peak RSS and minor
//      page faults (wait4); then the same with GLIBC_TUNABLES=glibc.malloc.hugetlb=0 (4 KiB pages, no
//      restart), which shows what the page faults of the model's memory cost (README "Big results files");
//   2. the same steps in this process with a clock around each: read + parse (read_results_file), analysis
//      (analysis::analyze + its JSON), results.json (write_results_file, streamed, fsynced), reports (every
//      writer; no PNG), and the peak RSS after the read; on huge pages, like the real binary. Then, last, the
//      pass `analyze` really makes: the read with results.json written alongside by a thread that follows the
//      reader (rewrite_results_file; here with no analysis), so its cost shows next to read + write apart.
// Each child runs --repeat times (default 3) and the run with the median wall time is shown: these VMs'
// timings vary by a quarter from one run to the next.
// --against BASELINE (another perfrunner binary, e.g. main's before a change): step 1 alternates the two
// binaries run by run (baseline, this, baseline, this, ...) and prints both medians and their ratio. Why
// alternating: two sequential bench runs minutes apart differed by 15 % here, more than most changes gain.
// and prints one column per size, so the cost's growth with size shows side by side.
// Goals (issue 12): 1 M samples <= 1 s wall and peak RSS <= 2x the file; 100 k samples <= 0.15 s.
//
// Usage: analyze_bench [--samples N[,N...]] [--containers N] [--repeat N] [--dir DIR] [--binary PATH]
// [--against BASELINE] [--keep]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "analyze_bench_input.hpp"
#include "perfrunner/analysis/analysis.hpp"
#include "perfrunner/analysis/analysis_json.hpp"
#include "perfrunner/config/config.hpp"
#include "perfrunner/model/results_json.hpp"
#include "perfrunner/report/writer.hpp"

namespace fs = std::filesystem;
using namespace perfrunner;

namespace {

struct Options {
    fs::path dir = fs::temp_directory_path() / "perfrunner-analyze-bench";
    std::vector<long> samples{100'000, 1'000'000};
    int containers = 20;
    int repeat = 3;
    std::string binary = PERFRUNNER_BINARY;
    std::string against;  // a baseline binary run alternately with `binary`; empty: none
    bool keep = false;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double seconds(const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

double cpu_seconds() {
    struct rusage usage {};
    ::getrusage(RUSAGE_SELF, &usage);
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double peak_rss_mib() {
    struct rusage usage {};
    ::getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
}

struct ChildFigures {
    int exit_code = -1;
    double wall_s = 0;
    double cpu_s = 0;  // user + system
    double max_rss_mib = 0;
    long minor_faults = 0;  // first touches of a page: on these VMs each costs several microseconds
};

// Runs argv as a child (no shell) and measures it with wait4; `tunables` (if not empty) is the child's
// GLIBC_TUNABLES.
ChildFigures measure(const std::vector<std::string>& args, const std::string& tunables = {}) {
    const auto t0 = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid == 0) {
        if (!tunables.empty()) ::setenv("GLIBC_TUNABLES", tunables.c_str(), 1);
        std::vector<char*> argv;
        std::vector<std::string> copy = args;
        for (auto& a : copy) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        std::perror("execv");
        ::_exit(127);
    }
    int status = 0;
    struct rusage usage {};
    ::wait4(pid, &status, 0, &usage);
    ChildFigures f;
    f.wall_s = seconds_since(t0);
    f.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    f.cpu_s = seconds(usage.ru_utime) + seconds(usage.ru_stime);
    f.max_rss_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;
    f.minor_faults = usage.ru_minflt;
    return f;
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// One stage's wall and CPU (user + system) time.
struct Timed {
    double wall_s = 0, cpu_s = 0;
};

class StageClock {
  public:
    Timed lap() {
        const Timed t{seconds_since(wall_), cpu_seconds() - cpu_};
        wall_ = std::chrono::steady_clock::now();
        cpu_ = cpu_seconds();
        return t;
    }

  private:
    std::chrono::steady_clock::time_point wall_ = std::chrono::steady_clock::now();
    double cpu_ = cpu_seconds();
};

// The stage split, as the stages child writes it (one line of numbers, in this order).
struct Stages {
    Timed read, analysis, results, reports, rewrite;
    double rss_after_read_mib = 0;
    double rss_before_rewrite_mib = 0;  // the peak of the steps one after the other
};

// Child mode: analyze's steps (src/cli/cmd_analyze.cpp) with a clock around each; figures go to `figures`.
int stages_child(const fs::path& input, const fs::path& out_dir, const fs::path& figures) {
    try {
        const config::Config cfg = config::defaults();
        Stages st;
        StageClock clock;
        model::RunResult run = model::read_results_file(input);
        st.read = clock.lap();
        st.rss_after_read_mib = peak_rss_mib();

        const analysis::Analysis result = analysis::analyze(run, cfg);
        run.analysis = analysis::analysis_json(result);
        run.extra["verdict"] = analysis::verdict_json(result);
        st.analysis = clock.lap();

        fs::create_directories(out_dir);
        model::write_results_file(out_dir / "results.json", run);
        st.results = clock.lap();

        const auto errors =
            report::write_all(report::ReportContext{run, result, cfg, out_dir, report::PngMode::never});
        st.reports = clock.lap();
        for (const auto& e : errors) std::fprintf(stderr, "analyze_bench: %s\n", e.c_str());

        st.rss_before_rewrite_mib = peak_rss_mib();
        run = model::RunResult{};  // freed first, as a fresh analyze would not have it
        clock.lap();
        run = model::rewrite_results_file(input, out_dir / "rewritten.json", [](model::RunResult&) {});
        st.rewrite = clock.lap();

        std::ofstream out(figures);
        for (const Timed& t : {st.read, st.analysis, st.results, st.reports, st.rewrite}) {
            out << t.wall_s << ' ' << t.cpu_s << ' ';
        }
        out << st.rss_after_read_mib << ' ' << st.rss_before_rewrite_mib << '\n';
        return errors.empty() ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "analyze_bench: %s\n", e.what());
        return 1;
    }
}

// glibc >= 2.35: malloc asks for transparent huge pages (madvise) for its heap, so the model's memory is
// faulted in 2 MiB at a time instead of 4 KiB. perfrunner sets the first itself; the second turns it off.
constexpr const char* kHugePageTunable = "glibc.malloc.hugetlb=1";
constexpr const char* kSmallPageTunable = "glibc.malloc.hugetlb=0";

// The run with the median wall time; `figures(run)` gives a run's ChildFigures.
template <class Run, class Figures>
Run median_by_wall(std::vector<Run> runs, Figures&& figures) {
    std::sort(runs.begin(), runs.end(),
              [&](const Run& a, const Run& b) { return figures(a).wall_s < figures(b).wall_s; });
    return runs[runs.size() / 2];
}

// `repeat` runs of a child (each after `before`), and the figures of the one with the median wall time.
template <class Before>
ChildFigures median_of(int repeat, const std::vector<std::string>& args, const std::string& tunables,
                       Before&& before) {
    std::vector<ChildFigures> runs;
    for (int i = 0; i < repeat; ++i) {
        before();
        runs.push_back(measure(args, tunables));
    }
    return median_by_wall(std::move(runs), [](const ChildFigures& f) -> const ChildFigures& { return f; });
}

struct Column {
    long samples = 0;
    double file_mib = 0;
    ChildFigures analyze;              // the real binary
    ChildFigures analyze_baseline;     // --against: the baseline binary, in runs alternating with `analyze`
    ChildFigures analyze_small_pages;  // the same with glibc's malloc on 4 KiB pages
    ChildFigures stages_child;
    Stages stages;
};

Column measure_size(const Options& o, long samples) {
    Column col;
    col.samples = samples;
    const fs::path dir = o.dir / std::to_string(samples);
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path input = dir / "results.json";
    {
        const long ticks = samples / o.containers;
        const model::RunResult run = analyze_bench::generate_run(ticks, o.containers);
        model::write_results_file(input, run);
    }  // the generator's copy is freed before anything is measured
    col.file_mib = static_cast<double>(fs::file_size(input)) / (1024.0 * 1024.0);

    const fs::path out = dir / "analyze";
    const std::vector<std::string> analyze{o.binary, "analyze",  input.string(), "--png",
                                           "never",  "--output", out.string(),   "--quiet"};
    const auto fresh = [&] { fs::remove_all(out); };
    if (o.against.empty()) {
        col.analyze = median_of(o.repeat, analyze, "", fresh);
    } else {
        std::vector<std::string> baseline = analyze;
        baseline.front() = o.against;
        std::vector<ChildFigures> runs, baseline_runs;
        for (int i = 0; i < o.repeat; ++i) {
            fresh();
            baseline_runs.push_back(measure(baseline));
            fresh();
            runs.push_back(measure(analyze));
        }
        const auto self_of = [](const ChildFigures& f) -> const ChildFigures& { return f; };
        col.analyze = median_by_wall(std::move(runs), self_of);
        col.analyze_baseline = median_by_wall(std::move(baseline_runs), self_of);
    }
    col.analyze_small_pages = median_of(o.repeat, analyze, kSmallPageTunable, fresh);
    const std::string self = fs::canonical("/proc/self/exe").string();
    const fs::path figures = dir / "stages.txt";
    const fs::path stages_out = dir / "stages";
    // The stages are read from the median run's file: each run writes its own, kept beside its wall time.
    std::vector<std::pair<ChildFigures, std::string>> stage_runs;
    for (int i = 0; i < o.repeat; ++i) {
        fs::remove_all(stages_out);
        const ChildFigures f =
            measure({self, "--child-stages", input.string(), stages_out.string(), figures.string()},
                    kHugePageTunable);
        stage_runs.emplace_back(f, read_text(figures));
    }
    const auto median = median_by_wall(std::move(stage_runs),
                                       [](const auto& run) -> const ChildFigures& { return run.first; });
    col.stages_child = median.first;
    std::istringstream in(median.second);
    for (Timed* t : {&col.stages.read, &col.stages.analysis, &col.stages.results, &col.stages.reports,
                     &col.stages.rewrite}) {
        in >> t->wall_s >> t->cpu_s;
    }
    in >> col.stages.rss_after_read_mib >> col.stages.rss_before_rewrite_mib;
    if (!o.keep) fs::remove_all(dir);
    return col;
}

void row(const std::vector<Column>& cols, const char* label, const char* fmt, double (*get)(const Column&),
         const char* note = "") {
    std::printf("%-34s", label);
    for (const auto& c : cols) std::printf(fmt, get(c));
    std::printf("  %s\n", note);
}

void stage_row(const std::vector<Column>& cols, const char* label, Timed (*get)(const Column&)) {
    std::printf("%-34s", label);
    for (const auto& c : cols) std::printf("%7.3f /%6.3f", get(c).wall_s, get(c).cpu_s);
    std::printf("\n");
}

std::vector<long> parse_list(const std::string& text) {
    std::vector<long> out;
    std::stringstream ss(text);
    for (std::string item; std::getline(ss, item, ',');) out.push_back(std::stol(item));
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 5 && std::string(argv[1]) == "--child-stages") return stages_child(argv[2], argv[3], argv[4]);
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "analyze_bench: %s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--dir") {
            o.dir = next();
        } else if (a == "--samples") {
            o.samples = parse_list(next());
        } else if (a == "--containers") {
            o.containers = std::stoi(next());
        } else if (a == "--repeat") {
            o.repeat = std::max(1, std::stoi(next()));
        } else if (a == "--binary") {
            o.binary = next();
        } else if (a == "--against") {
            o.against = next();
        } else if (a == "--keep") {
            o.keep = true;
        } else {
            std::fprintf(
                stderr,
                "usage: analyze_bench [--samples N[,N...]] [--containers N] [--repeat N] [--dir DIR] "
                "[--binary PATH] [--against BASELINE] [--keep]\n");
            return 2;
        }
    }
    std::vector<Column> cols;
    for (long n : o.samples) cols.push_back(measure_size(o, n));

    std::printf(
        "analyze_bench: %d containers; each column one results.json; children measured with wait4, "
        "median of %d runs\n",
        o.containers, o.repeat);
    std::printf("%-34s", "container samples");
    for (const auto& c : cols) std::printf("%15ld", c.samples);
    std::printf("\n");
    row(cols, "file size (MiB)", "%15.1f", [](const Column& c) { return c.file_mib; });
    std::printf("perfrunner analyze --png never (restarts itself on huge pages)\n");
    row(
        cols, "  wall (s)", "%15.3f", [](const Column& c) { return c.analyze.wall_s; },
        "goal: 100 k <= 0.15, 1 M <= 1");
    row(cols, "  CPU user+sys (s)", "%15.3f", [](const Column& c) { return c.analyze.cpu_s; });
    row(cols, "  peak RSS (MiB)", "%15.1f", [](const Column& c) { return c.analyze.max_rss_mib; });
    row(
        cols, "  peak RSS / file", "%15.2f",
        [](const Column& c) { return c.analyze.max_rss_mib / c.file_mib; }, "goal: <= 2");
    row(cols, "  minor page faults", "%15.0f",
        [](const Column& c) { return static_cast<double>(c.analyze.minor_faults); });
    if (!o.against.empty()) {
        std::printf("baseline %s, in runs alternating with the above\n", o.against.c_str());
        row(cols, "  wall (s)", "%15.3f", [](const Column& c) { return c.analyze_baseline.wall_s; });
        row(cols, "  CPU user+sys (s)", "%15.3f", [](const Column& c) { return c.analyze_baseline.cpu_s; });
        row(cols, "  peak RSS (MiB)", "%15.1f",
            [](const Column& c) { return c.analyze_baseline.max_rss_mib; });
        row(cols, "  wall, this / baseline", "%15.2f",
            [](const Column& c) { return c.analyze.wall_s / c.analyze_baseline.wall_s; });
        row(cols, "  CPU, this / baseline", "%15.2f",
            [](const Column& c) { return c.analyze.cpu_s / c.analyze_baseline.cpu_s; });
    }
    std::printf("the same with GLIBC_TUNABLES=%s (malloc on 4 KiB pages, no restart)\n", kSmallPageTunable);
    row(cols, "  wall (s)", "%15.3f", [](const Column& c) { return c.analyze_small_pages.wall_s; });
    row(cols, "  CPU user+sys (s)", "%15.3f", [](const Column& c) { return c.analyze_small_pages.cpu_s; });
    row(cols, "  peak RSS / file", "%15.2f",
        [](const Column& c) { return c.analyze_small_pages.max_rss_mib / c.file_mib; });
    row(cols, "  minor page faults", "%15.0f",
        [](const Column& c) { return static_cast<double>(c.analyze_small_pages.minor_faults); });
    row(cols, "  wall, huge pages / 4 KiB pages", "%15.2f",
        [](const Column& c) { return c.analyze.wall_s / c.analyze_small_pages.wall_s; });
    std::printf("stages (the same steps in one process, on huge pages): wall s / CPU s\n");
    stage_row(cols, "  read + parse", [](const Column& c) { return c.stages.read; });
    stage_row(cols, "  analysis", [](const Column& c) { return c.stages.analysis; });
    stage_row(cols, "  writer: results.json (fsynced)", [](const Column& c) { return c.stages.results; });
    stage_row(cols, "  writers: reports, charts", [](const Column& c) { return c.stages.reports; });
    stage_row(cols, "  read + results.json in one pass", [](const Column& c) { return c.stages.rewrite; });
    row(cols, "  whole child, exit included (s)", "%15.3f",
        [](const Column& c) { return c.stages_child.wall_s; });
    row(cols, "  peak RSS after read / file", "%15.2f",
        [](const Column& c) { return c.stages.rss_after_read_mib / c.file_mib; });
    row(cols, "  peak RSS / file (to the reports)", "%15.2f",
        [](const Column& c) { return c.stages.rss_before_rewrite_mib / c.file_mib; });
    if (!o.keep) fs::remove_all(o.dir);
    bool ok = true;
    for (const auto& c : cols) {
        for (const auto* a : {&c.analyze, &c.analyze_small_pages}) {
            ok = ok && (a->exit_code == 0 || a->exit_code == 3);
        }
        ok = ok &&
             (o.against.empty() || c.analyze_baseline.exit_code == 0 || c.analyze_baseline.exit_code == 3);
        ok = ok && c.stages_child.exit_code == 0;
    }
    return ok ? 0 : 1;
}
