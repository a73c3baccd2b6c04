// Charts: the planned set, each page written with its figure data embedded, the values equal to the inputs.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "perfrunner/error.hpp"
#include "perfrunner/report/chart_page.hpp"
#include "perfrunner/report/chart_plan.hpp"
#include "perfrunner/report/charts_writer.hpp"
#include "perfrunner/report/escape.hpp"
#include "perfrunner/report/writer.hpp"
#include "perfrunner/resources.hpp"
#include "unit/report/fixtures.hpp"

namespace perfrunner::report {
namespace {

using nlohmann::json;
using testing::kHostile;
using testing::kKafka;
using testing::kSim;

struct Charts {
    model::RunResult run;
    analysis::Analysis analysis = testing::make_analysis();
    config::Config config = testing::make_config();
    testing::TempDir dir;
    explicit Charts(std::size_t duration_samples = 120) : run(testing::make_run(duration_samples)) {}
    ReportContext context() const { return {run, analysis, config, dir.path, PngMode::never}; }
    void write() { ChartsWriter().write(context()); }
    std::string page(const std::string& path) const {
        return testing::read_file(dir.path / "charts" / (path + ".html"));
    }
    json figure(const std::string& path) const { return testing::embedded_figure(page(path)); }
};

const json* trace_named(const json& fig, const std::string& name) {
    for (const auto& t : fig["data"]) {
        if (t.value("name", "") == name) return &t;
    }
    return nullptr;
}

TEST(ChartPlan, EveryReferenceChartIsPlanned) {
    Charts c;
    std::vector<std::string> paths;
    for (const auto& p : plan_charts(c.context())) paths.push_back(p.path);
    const std::vector<std::string> expected = {"overview/cpu_heatmap",
                                               "overview/memory_heatmap",
                                               "overview/real_time_ratio_timeline",
                                               "duration/duration_timeline_memory_1",
                                               "duration/duration_timeline_memory_2",
                                               "duration/duration_timeline_cpu_1",
                                               "duration/duration_timeline_cpu_2",
                                               "stress/stress_timeline_memory",
                                               "stress/stress_timeline_cpu",
                                               "stress/stress_comparison_memory",
                                               "stress/stress_comparison_cpu",
                                               "speed_scaling/speed_scaling_cpu",
                                               "speed_scaling/speed_scaling_memory"};
    EXPECT_EQ(paths, expected);
}

TEST(ChartPlan, NoSuffixWhenOneFileHoldsAllRows) {
    Charts c;
    c.config.analysis.max_containers_per_chart = 8;
    std::vector<std::string> paths;
    for (const auto& p : plan_charts(c.context())) paths.push_back(p.path);
    EXPECT_NE(std::find(paths.begin(), paths.end(), "duration/duration_timeline_memory"), paths.end());
    EXPECT_EQ(std::find(paths.begin(), paths.end(), "duration/duration_timeline_memory_1"), paths.end());
}

TEST(Charts, WritesEveryPagePlotlyOnceAndAnIndex) {
    Charts c;
    c.write();
    const auto charts = c.dir.path / "charts";
    for (const auto& p : plan_charts(c.context())) {
        const auto html = c.page(p.path);
        ASSERT_FALSE(html.empty()) << p.path;
        EXPECT_NE(html.find("<script src=\"../plotly.min.js\"></script>"), std::string::npos) << p.path;
        EXPECT_NE(html.find("displayModeBar: false"), std::string::npos);
        const auto fig = testing::embedded_figure(html);
        ASSERT_TRUE(fig.is_object()) << p.path;
        EXPECT_FALSE(fig["data"].empty()) << p.path;
        EXPECT_EQ(fig["layout"]["transition"]["duration"], 0);
        EXPECT_FALSE(std::filesystem::exists(charts / (p.path + ".png"))) << "PngMode::never wrote a PNG";
    }
    if (resource("plotly.min.js")) {
        EXPECT_EQ(std::filesystem::file_size(charts / "plotly.min.js"), resource("plotly.min.js")->size());
    }
    std::size_t js_files = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(charts)) {
        js_files += e.path().extension() == ".js";
    }
    EXPECT_LE(js_files, 1u);
    const auto index = testing::read_file(charts / "index.html");
    for (const char* s :
         {"<h2>Overview</h2>", "<h2>Duration/Leak</h2>", "<h2>Stress</h2>", "<h2>Speed Scaling</h2>",
          "href=\"stress/stress_comparison_cpu.html\"", "href=\"duration/duration_timeline_cpu_2.html\""}) {
        EXPECT_NE(index.find(s), std::string::npos) << s;
    }
    EXPECT_EQ(index.find("No charts generated"), std::string::npos);
    EXPECT_EQ(index.find(".png"), std::string::npos);
}

TEST(Charts, IndexSaysNoChartsForEmptySections) {
    Charts c;
    c.run.scenarios.erase(c.run.scenarios.begin() + 1, c.run.scenarios.end());  // baseline only
    c.analysis.scenario_summaries.resize(1);
    c.analysis.stress.reset();
    c.analysis.speed.reset();
    c.write();
    const auto index = testing::read_file(c.dir.path / "charts" / "index.html");
    std::size_t empty = 0;
    for (auto p = index.find("No charts generated"); p != std::string::npos;
         p = index.find("No charts generated", p + 1)) {
        ++empty;
    }
    EXPECT_EQ(empty, 3u);
    EXPECT_NE(index.find("overview/cpu_heatmap.html"), std::string::npos);
}

TEST(Charts, HeatmapsHoldTheScenarioMeansAndNullForMissingCells) {
    Charts c;
    c.write();
    const auto fig = c.figure("overview/cpu_heatmap");
    const auto& t = fig["data"][0];
    EXPECT_EQ(t["type"], "heatmap");
    EXPECT_EQ(t["y"], json({"baseline", "stress_test", "duration_leak", "speed_scaling"}));
    // Columns: priority first, then by name; display names cut to 15 characters and HTML-escaped.
    EXPECT_EQ(t["x"],
              json({"Simulation", "Kafka", html_escape(std::string(kHostile).substr(0, 15)), "Redis"}));
    EXPECT_EQ(t["z"][0], json({5.0, 20.0, 1.0, nullptr}));  // redis has no baseline data: null, not 0
    EXPECT_EQ(t["z"][1], json({52.5, 96.0, nullptr, nullptr}));
    EXPECT_EQ(t["z"][2], json({10.0, 20.0, 30.0, 40.0}));
    const auto mem = c.figure("overview/memory_heatmap")["data"][0];
    EXPECT_EQ(mem["z"][0], json({302.0, 700.0, 50.0, nullptr}));
    EXPECT_EQ(mem["z"][3], json({500.0, nullptr, nullptr, nullptr}));
}

TEST(Charts, DurationTimelinesHoldTheRawSeriesWithPhaseBands) {
    Charts c(60);
    c.config.analysis.chart_max_points = 1000;  // no downsampling: every point must be there
    c.write();
    const auto fig = c.figure("duration/duration_timeline_memory_1");
    ASSERT_EQ(fig["data"].size(), 2u);  // max_containers_per_chart = 2
    const auto& sim = fig["data"][0];
    EXPECT_EQ(sim["name"], "Simulation");
    EXPECT_EQ(sim["yaxis"], "y");
    EXPECT_EQ(fig["data"][1]["yaxis"], "y2");
    ASSERT_EQ(sim["y"].size(), 60u);
    for (std::size_t i = 0; i < 60; ++i) {
        EXPECT_DOUBLE_EQ(sim["x"][i].get<double>(), 2.0 * static_cast<double>(i) / 60.0);
        EXPECT_DOUBLE_EQ(sim["y"][i].get<double>(), testing::duration_memory(0, i));
    }
    const auto second = c.figure("duration/duration_timeline_memory_2");
    EXPECT_EQ(second["data"][0]["name"], html_escape(kHostile));
    EXPECT_EQ(second["data"][1]["name"], "Redis");
    const auto cpu = c.figure("duration/duration_timeline_cpu_2");
    EXPECT_DOUBLE_EQ(cpu["data"][1]["y"][7].get<double>(), testing::duration_cpu(3, 7));
    // Phase bands: active 25 samples, drain 8, cooldown 27 (make_run's split of 60).
    const auto& shapes = fig["layout"]["shapes"];
    ASSERT_EQ(shapes.size(), 3u);
    EXPECT_DOUBLE_EQ(shapes[0]["x0"].get<double>(), 0.0);
    EXPECT_DOUBLE_EQ(shapes[0]["x1"].get<double>(), 2.0 * 25 / 60.0);
    EXPECT_DOUBLE_EQ(shapes[1]["x0"].get<double>(), 2.0 * 25 / 60.0);
    EXPECT_DOUBLE_EQ(shapes[1]["x1"].get<double>(), 2.0 * 33 / 60.0);
    EXPECT_DOUBLE_EQ(shapes[2]["x1"].get<double>(), 2.0 * 59 / 60.0);
    EXPECT_EQ(fig["layout"]["annotations"][1]["text"], "drain");
}

TEST(Charts, LongSeriesAreDownsampledForDisplayOnly) {
    Charts c(3000);
    c.config.analysis.chart_max_points = 200;
    const auto samples_before = c.run.find_scenario("duration_leak")->samples.size();
    c.write();
    const auto fig = c.figure("duration/duration_timeline_memory_1");
    const auto& sim = fig["data"][0];
    ASSERT_EQ(sim["y"].size(), 200u);
    EXPECT_DOUBLE_EQ(sim["y"][0].get<double>(), testing::duration_memory(0, 0));
    EXPECT_DOUBLE_EQ(sim["y"][199].get<double>(), testing::duration_memory(0, 2999));
    for (std::size_t k = 0; k < 200; ++k) {  // every kept point is a real (x, y) pair of the input
        const auto i = static_cast<std::size_t>(std::llround(sim["x"][k].get<double>() * 60.0 / 2.0));
        EXPECT_DOUBLE_EQ(sim["y"][k].get<double>(), testing::duration_memory(0, i));
    }
    EXPECT_EQ(c.run.find_scenario("duration_leak")->samples.size(), samples_before);
}

TEST(Charts, StressTimelinesUseRollingMeansAndCoreScaledThresholds) {
    Charts c;
    c.write();
    const auto cpu = c.figure("stress/stress_timeline_cpu");
    EXPECT_EQ(cpu["layout"]["title"]["text"], "Stress Test CPU Timeline (Total Agents: 200)");
    const auto* kafka = trace_named(cpu, "Kafka");
    ASSERT_NE(kafka, nullptr);
    ASSERT_EQ((*kafka)["y"].size(), 10u);
    for (std::size_t i = 0; i < 10; ++i) {
        EXPECT_DOUBLE_EQ((*kafka)["y"][i].get<double>(), 60.0 + 8.0 * static_cast<double>(i));
        EXPECT_DOUBLE_EQ((*kafka)["x"][i].get<double>(), 3.0 * static_cast<double>(i));
    }
    const auto* kafka_line = trace_named(cpu, "Threshold 135% (Kafka)");  // 90 % x 1.5 cores
    ASSERT_NE(kafka_line, nullptr);
    EXPECT_EQ((*kafka_line)["y"], json({135.0, 135.0}));
    const auto* sim_line = trace_named(cpu, "Threshold 90% (Simulation)");
    ASSERT_NE(sim_line, nullptr);
    const auto* stop = trace_named(cpu, "Stopped: Kafka");
    ASSERT_NE(stop, nullptr);
    EXPECT_EQ((*stop)["x"], json({27.0, 27.0}));
    const auto mem = c.figure("stress/stress_timeline_memory");
    EXPECT_NE(trace_named(mem, "Threshold 90%"), nullptr);
    EXPECT_EQ(trace_named(mem, "Stopped: Kafka"), nullptr) << "the trigger was CPU";
    EXPECT_DOUBLE_EQ((*trace_named(mem, "Simulation"))["y"][3].get<double>(), 43.0);
}

TEST(Charts, StressComparisonColoursScaleWithCores) {
    Charts c;
    c.write();
    const auto cpu = c.figure("stress/stress_comparison_cpu")["data"][0];
    EXPECT_EQ(cpu["x"], json({"Simulation", "Kafka", html_escape(kHostile)}));
    EXPECT_EQ(cpu["y"], json({80.0, 136.2, 20.0}));
    // Simulation 80 % of 1 core >= 70: orange; Kafka 136.2 >= 85 x 1.5: red; 20 %: green.
    EXPECT_EQ(cpu["marker"]["color"], json({"#ff7f0e", "#d62728", "#2ca02c"}));
    const auto mem = c.figure("stress/stress_comparison_memory");
    EXPECT_EQ(mem["data"][0]["marker"]["color"], json({"#2ca02c", "#2ca02c", "#d62728"}));
    EXPECT_EQ(mem["layout"]["yaxis"]["range"][0], 0);
    EXPECT_NEAR(mem["layout"]["yaxis"]["range"][1].get<double>(), 1.15 * 88.0, 1e-9);
}

TEST(Charts, SpeedScalingBarsPerStep) {
    Charts c;
    c.write();
    const auto cpu = c.figure("speed_scaling/speed_scaling_cpu");
    EXPECT_EQ(cpu["layout"]["barmode"], "group");
    const auto* sim = trace_named(cpu, "Simulation");
    ASSERT_NE(sim, nullptr);
    EXPECT_EQ((*sim)["x"], json({"2x", "4x"}));
    EXPECT_EQ((*sim)["y"], json({51.5, 55.5}));
    EXPECT_EQ((*trace_named(cpu, "Kafka"))["y"], json({22.25, nullptr}));
    EXPECT_EQ((*trace_named(c.figure("speed_scaling/speed_scaling_memory"), "Simulation"))["y"],
              json({48.8, 49.0}));
}

TEST(Charts, RealTimeRatioTimelineWithFloor) {
    Charts c;
    c.write();
    const auto fig = c.figure("overview/real_time_ratio_timeline");
    const auto* speed = trace_named(fig, "speed_scaling");
    ASSERT_NE(speed, nullptr);
    EXPECT_EQ((*speed)["y"], json({1.0, 1.0, 1.0, 1.0, 0.7, 0.7, 0.7, 0.7}));
    const auto* floor = trace_named(fig, "Floor 0.90");
    ASSERT_NE(floor, nullptr);
    EXPECT_EQ((*floor)["y"], json({0.9, 0.9}));
}

TEST(Charts, HostileContainerNameNeverReachesHtmlRaw) {
    Charts c;
    c.write();
    for (const auto& e : std::filesystem::recursive_directory_iterator(c.dir.path / "charts")) {
        if (e.path().extension() != ".html") continue;
        const auto html = testing::read_file(e.path());
        EXPECT_EQ(html.find("alert(1)</"), std::string::npos) << e.path();
        EXPECT_EQ(html.find("<script>alert"), std::string::npos) << e.path();
        std::size_t scripts = 0;
        for (auto p = html.find("<script"); p != std::string::npos; p = html.find("<script", p + 1))
            ++scripts;
        if (e.path().filename() != "index.html") {
            EXPECT_EQ(scripts, 3u) << e.path();
        }
    }
    // The name is still there, as text: escaped for Plotly's HTML-like labels, then JSON-escaped for the
    // script.
    const auto html = c.page("duration/duration_timeline_memory_2");
    EXPECT_NE(html.find("\\u0026lt;/script\\u0026gt;\\u0026lt;script\\u0026gt;alert(1)"), std::string::npos);
}

TEST(Charts, PngAlwaysFailsClearlyWithoutChromium) {
    Charts c;
    testing::TempDir empty_path;
    const std::string old_path = std::getenv("PATH") ? std::getenv("PATH") : "";
    const std::string old_forced =
        std::getenv("PERFRUNNER_CHROMIUM") ? std::getenv("PERFRUNNER_CHROMIUM") : "";
    ::setenv("PATH", empty_path.path.c_str(), 1);
    ::unsetenv("PERFRUNNER_CHROMIUM");
    ReportContext ctx{c.run, c.analysis, c.config, c.dir.path, PngMode::always};
    std::string message;
    try {
        ChartsWriter().write(ctx);
    } catch (const RuntimeFailure& e) {
        message = e.what();
    }
    ctx.png = PngMode::automatic;
    EXPECT_NO_THROW(ChartsWriter().write(ctx));
    ::setenv("PATH", old_path.c_str(), 1);
    if (!old_forced.empty()) ::setenv("PERFRUNNER_CHROMIUM", old_forced.c_str(), 1);
    EXPECT_NE(message.find("Chromium not found"), std::string::npos) << message;
    EXPECT_TRUE(std::filesystem::exists(c.dir.path / "charts" / "overview" / "cpu_heatmap.html"));
    EXPECT_FALSE(std::filesystem::exists(c.dir.path / "charts" / "overview" / "cpu_heatmap.png"));
}

TEST(WriteAll, WritesEveryOutputAndCollectsErrors) {
    Charts c;
    const auto errors = write_all(c.context());
    EXPECT_TRUE(errors.empty()) << errors.front();
    for (const char* f : {"summary.json", "report.md", "report.html", "junit.xml", "charts/index.html",
                          "charts/stress/stress_comparison_cpu.html"}) {
        EXPECT_TRUE(std::filesystem::exists(c.dir.path / f)) << f;
    }
    EXPECT_EQ(default_writers().size(), 5u);
    // An unwritable run directory: every writer reports one line, none throws.
    testing::TempDir blocker;
    const auto file = blocker.path / "not-a-dir";
    { std::ofstream(file) << "x"; }
    ReportContext bad{c.run, c.analysis, c.config, file / "run", PngMode::never};
    const auto bad_errors = write_all(bad);
    ASSERT_EQ(bad_errors.size(), 5u);
    // The writers run at the same time, and their errors still come in the writers' order.
    const std::vector<std::string> order{"summary.json: cannot", "junit.xml: cannot", "report.md: cannot",
                                         "charts: cannot", "report.html: cannot"};
    for (std::size_t i = 0; i < order.size(); ++i) {
        EXPECT_EQ(bad_errors[i].rfind(order[i], 0), 0u) << bad_errors[i];
    }
}

}  // namespace
}  // namespace perfrunner::report

namespace perfrunner::report {
namespace {

TEST(Charts, AbortedReferenceStyleRunStillGetsItsCharts) {
    // Reference files: an OOM-aborted stress test leaves metadata {} and (here) no rolling averages; a
    // duration test aborted early has no phase_sample_counts.
    Charts c;
    auto& stress = c.run.scenarios[1];
    stress.aborted = true;
    stress.metadata = std::monostate{};
    stress.scenario_params = nlohmann::json::object();
    for (auto& s : stress.samples) {
        s.rolling_averages.clear();
        s.agents_queued.reset();
    }
    c.run.scenarios[2].metadata = std::monostate{};
    c.analysis.stress.reset();
    c.analysis.speed.reset();
    EXPECT_TRUE(write_all(c.context()).empty());
    const auto mem = c.figure("stress/stress_timeline_memory");
    EXPECT_EQ(mem["layout"]["title"]["text"], "Stress Test Memory Timeline");
    EXPECT_EQ(mem["layout"]["yaxis"]["title"]["text"],
              "memory % of limit");  // raw samples, not rolling means
    const auto* sim = trace_named(mem, "Simulation");
    ASSERT_NE(sim, nullptr);
    EXPECT_NEAR((*sim)["y"][2].get<double>(), 420.0 / 1024.0 * 100.0, 1e-9);
    EXPECT_TRUE(c.figure("duration/duration_timeline_cpu_1")["layout"]["shapes"].empty());
    EXPECT_FALSE(std::filesystem::exists(c.dir.path / "charts" / "stress" / "stress_comparison_cpu.html"));
}

TEST(WriteAll, EmptyRunWritesEveryFileAndSaysNoCharts) {
    model::RunResult run;
    run.test_id = "empty";
    const analysis::Analysis a;
    const config::Config cfg;
    testing::TempDir dir;
    EXPECT_TRUE(write_all({run, a, cfg, dir.path, PngMode::automatic}).empty());
    for (const char* f : {"summary.json", "report.md", "report.html", "junit.xml", "charts/index.html"}) {
        EXPECT_TRUE(std::filesystem::exists(dir.path / f)) << f;
    }
    const auto index = testing::read_file(dir.path / "charts" / "index.html");
    std::size_t empty = 0;
    for (auto p = index.find("No charts generated"); p != std::string::npos;
         p = index.find("No charts generated", p + 1)) {
        ++empty;
    }
    EXPECT_EQ(empty, 4u);
    EXPECT_EQ(
        nlohmann::json::parse(testing::read_file(dir.path / "summary.json"))["verdict"]["overall_status"],
        "pass");
}

}  // namespace
}  // namespace perfrunner::report
