// Real headless Chromium: a chart page rendered to PNG and decoded enough to see that it is not blank; the
// timeout kills the whole process group.
#include <gtest/gtest.h>

#include <dlfcn.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <unordered_set>

#include "perfrunner/adapters/process.hpp"
#include "perfrunner/report/chart_page.hpp"
#include "perfrunner/report/chart_plan.hpp"
#include "perfrunner/report/charts_writer.hpp"
#include "perfrunner/report/chromium.hpp"
#include "perfrunner/report/writer.hpp"
#include "unit/report/fixtures.hpp"

namespace perfrunner::report {
namespace {

std::optional<std::filesystem::path> chromium_or_skip_reason(std::string& reason) {
    auto c = find_chromium();
    if (!c) reason = "Chromium not found on PATH";
    return c;
}

#define REQUIRE_CHROMIUM(var)                                                  \
    std::string skip_reason;                                                   \
    const auto var = chromium_or_skip_reason(skip_reason);                     \
    if (!var) {                                                                \
        if (std::getenv("PERFRUNNER_REQUIRE_CHROMIUM")) FAIL() << skip_reason; \
        GTEST_SKIP() << skip_reason;                                           \
    }

// Decoded 8-bit RGB/RGBA PNG (non-interlaced, as Chromium writes them). zlib is opened at run time so the
// test needs no extra link dependency.
struct Image {
    std::uint32_t width = 0, height = 0;
    unsigned channels = 0;
    std::vector<std::uint8_t> pixels;  // rows without filter bytes
    std::string error;
};

std::uint32_t be32(const std::string& s, std::size_t p) {
    return (std::uint32_t(std::uint8_t(s[p])) << 24) | (std::uint32_t(std::uint8_t(s[p + 1])) << 16) |
           (std::uint32_t(std::uint8_t(s[p + 2])) << 8) | std::uint32_t(std::uint8_t(s[p + 3]));
}

Image decode_png(const std::string& png) {
    Image img;
    if (png.size() < 8 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) return {0, 0, 0, {}, "not a PNG"};
    std::string idat;
    int bit_depth = 0, colour_type = 0, interlace = 0;
    for (std::size_t p = 8; p + 8 <= png.size();) {
        const auto len = be32(png, p);
        const auto type = png.substr(p + 4, 4);
        if (p + 12 + len > png.size()) return {0, 0, 0, {}, "truncated chunk"};
        if (type == "IHDR") {
            img.width = be32(png, p + 8);
            img.height = be32(png, p + 12);
            bit_depth = std::uint8_t(png[p + 16]);
            colour_type = std::uint8_t(png[p + 17]);
            interlace = std::uint8_t(png[p + 20]);
        } else if (type == "IDAT") {
            idat += png.substr(p + 8, len);
        }
        p += 12 + len;
    }
    if (bit_depth != 8 || interlace != 0 || (colour_type != 2 && colour_type != 6)) {
        return {0, 0, 0, {}, "unsupported PNG format"};
    }
    img.channels = colour_type == 6 ? 4 : 3;
    void* z = ::dlopen("libz.so.1", RTLD_NOW);
    if (!z) return {0, 0, 0, {}, "libz.so.1 not loadable"};
    using Uncompress = int (*)(unsigned char*, unsigned long*, const unsigned char*, unsigned long);
    auto uncompress = reinterpret_cast<Uncompress>(::dlsym(z, "uncompress"));
    const std::size_t stride = std::size_t(img.width) * img.channels;
    std::vector<std::uint8_t> raw(std::size_t(img.height) * (stride + 1));
    unsigned long raw_len = raw.size();
    const int rc =
        uncompress(raw.data(), &raw_len, reinterpret_cast<const unsigned char*>(idat.data()), idat.size());
    ::dlclose(z);
    if (rc != 0 || raw_len != raw.size()) return {0, 0, 0, {}, "inflate failed"};
    img.pixels.resize(std::size_t(img.height) * stride);
    const unsigned bpp = img.channels;
    for (std::size_t y = 0; y < img.height; ++y) {
        const std::uint8_t filter = raw[y * (stride + 1)];
        const std::uint8_t* in = &raw[y * (stride + 1) + 1];
        std::uint8_t* out = &img.pixels[y * stride];
        const std::uint8_t* up = y ? &img.pixels[(y - 1) * stride] : nullptr;
        for (std::size_t x = 0; x < stride; ++x) {
            const int a = x >= bpp ? out[x - bpp] : 0, b = up ? up[x] : 0,
                      c = (up && x >= bpp) ? up[x - bpp] : 0;
            int pred = 0;
            switch (filter) {
                case 0:
                    pred = 0;
                    break;
                case 1:
                    pred = a;
                    break;
                case 2:
                    pred = b;
                    break;
                case 3:
                    pred = (a + b) / 2;
                    break;
                case 4: {
                    const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
                    pred = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
                    break;
                }
                default:
                    return {0, 0, 0, {}, "bad filter type"};
            }
            out[x] = static_cast<std::uint8_t>(in[x] + pred);
        }
    }
    return img;
}

std::size_t distinct_colours(const Image& img) {
    std::unordered_set<std::uint32_t> colours;
    for (std::size_t i = 0; i + img.channels <= img.pixels.size(); i += img.channels) {
        colours.insert((std::uint32_t(img.pixels[i]) << 16) | (std::uint32_t(img.pixels[i + 1]) << 8) |
                       img.pixels[i + 2]);
    }
    return colours.size();
}

std::size_t pixels_near(const Image& img, int r, int g, int b) {
    std::size_t n = 0;
    for (std::size_t i = 0; i + img.channels <= img.pixels.size(); i += img.channels) {
        n += std::abs(img.pixels[i] - r) < 6 && std::abs(img.pixels[i + 1] - g) < 6 &&
             std::abs(img.pixels[i + 2] - b) < 6;
    }
    return n;
}

TEST(PngDecoder, SeesABlankPageAsOneColour) {
    REQUIRE_CHROMIUM(chromium);
    testing::TempDir dir;
    const auto html = dir.path / "blank.html";
    { std::ofstream(html) << "<!DOCTYPE html><html><body style=\"background:#fff\"></body></html>"; }
    const auto errors = take_screenshots(*chromium, {{html, dir.path / "blank.png", 400, 300}});
    ASSERT_TRUE(errors.empty()) << errors.front();
    const auto img = decode_png(testing::read_file(dir.path / "blank.png"));
    ASSERT_EQ(img.error, "");
    EXPECT_EQ(img.width, 400u);
    EXPECT_EQ(img.height, 300u);
    EXPECT_EQ(distinct_colours(img), 1u);
}

TEST(Chromium, RendersAChartPageToANonBlankPng) {
    REQUIRE_CHROMIUM(chromium);
    // Baseline and stress only: 7 charts keep the test short on a busy 2-core machine.
    auto run = testing::make_run();
    run.scenarios.resize(2);
    auto analysis = testing::make_analysis();
    analysis.scenario_summaries.resize(2);
    analysis.duration.reset();
    analysis.speed.reset();
    const auto config = testing::make_config();
    testing::TempDir dir;
    ReportContext ctx{run, analysis, config, dir.path, PngMode::always};
    const auto t0 = std::chrono::steady_clock::now();
    ChartsWriter().write(ctx);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto charts = dir.path / "charts";
    std::size_t pngs = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(charts))
        pngs += e.path().extension() == ".png";
    EXPECT_EQ(pngs, plan_charts(ctx).size());
    EXPECT_EQ(pngs, 7u);
    RecordProperty("png_count", static_cast<int>(pngs));
    RecordProperty("charts_seconds", std::to_string(seconds));
    std::printf("[ info     ] %zu charts with PNGs in %.1f s (%.2f s per PNG, 2 in parallel)\n", pngs,
                seconds, seconds / static_cast<double>(pngs ? pngs : 1));

    const auto img = decode_png(testing::read_file(charts / "stress" / "stress_comparison_cpu.png"));
    ASSERT_EQ(img.error, "");
    EXPECT_EQ(img.width, 1200u);
    EXPECT_GT(distinct_colours(img), 20u);
    // The bars were drawn by plotly.js from the embedded data: red (Kafka), orange (Simulation), green.
    EXPECT_GT(pixels_near(img, 0xd6, 0x27, 0x28), 2000u);
    EXPECT_GT(pixels_near(img, 0xff, 0x7f, 0x0e), 2000u);
    EXPECT_GT(pixels_near(img, 0x2c, 0xa0, 0x2c), 500u);
    const auto index = testing::read_file(charts / "index.html");
    EXPECT_NE(index.find("href=\"stress/stress_comparison_cpu.png\">Static PNG"), std::string::npos);

    // A later analysis without PNGs removes the earlier ones instead of linking stale pictures.
    ctx.png = PngMode::never;
    ChartsWriter().write(ctx);
    EXPECT_FALSE(std::filesystem::exists(charts / "stress" / "stress_comparison_cpu.png"));
    EXPECT_EQ(testing::read_file(charts / "index.html").find(".png"), std::string::npos);
}

// A step-mode stress record with window means per judged load: what the capacity chart draws.
model::RunResult run_with_capacity() {
    auto run = testing::make_run();
    run.scenarios.resize(2);  // baseline and stress keep the PNG count (and the test) short
    auto& md = std::get<model::StressMetadata>(run.scenarios[1].metadata);
    model::StressStepResult step;
    const std::vector<long> loads = {10, 60, 130, 160, 170, 180};
    for (std::size_t i = 0; i < loads.size(); ++i) {
        model::StressStep s;
        s.level = static_cast<long>(i) + 1;
        s.live_drivers = loads[i];
        s.breach = i + 1 == loads.size();
        const double n = static_cast<double>(loads[i]);
        s.window_means = {{testing::kSim, 6.0 + 0.47 * n, 0.5 * n, {}}, {testing::kKafka, 30.0, 0.2 * n, {}}};
        step.steps.push_back(s);
    }
    step.last_healthy = 170;
    step.breaking_point = 180;
    step.headroom_recommendation = 136;
    step.trigger_detail =
        model::Trigger{testing::kSim, "memory", 90.6, 90.0, model::BreachDetail{90.6, 5, 4, 5, false}, {}};
    md.step_mode = step;
    return run;
}

// What a harness page sees of report.html in real Chromium: images and whether each loaded, and for every
// inline chart page whether plotly drew it; plus the console's uncaught errors.
struct PageCheck {
    nlohmann::json result;
    std::vector<std::string> script_errors;
    std::string raw;
};

PageCheck check_report_in_chromium(const std::filesystem::path& chromium, const std::filesystem::path& dir) {
    {
        std::ofstream(dir / "check.html") << R"(<!DOCTYPE html><html><body>
<iframe id="r" src="report.html" style="width:1200px;height:900px"></iframe><pre id="out">pending</pre>
<script>
document.getElementById('r').addEventListener('load', () => setTimeout(() => {
  const d = document.getElementById('r').contentDocument;
  const imgs = Array.from(d.images).map(i => ({src: i.getAttribute('src'), ok: i.complete && i.naturalWidth > 0,
                                                width: i.naturalWidth}));
  const frames = Array.from(d.querySelectorAll('iframe.chart')).map(f => ({src: f.getAttribute('src'),
      drawn: !!(f.contentDocument && f.contentDocument.querySelector('.main-svg'))}));
  document.getElementById('out').textContent = JSON.stringify({images: imgs, frames: frames});
}, 1000));
</script></body></html>)";
    }
    const std::vector<std::string> argv = {chromium.string(),
                                           "--headless",
                                           "--no-sandbox",
                                           "--disable-gpu",
                                           "--no-first-run",
                                           "--user-data-dir=" + (dir / "profile").string(),
                                           "--allow-file-access-from-files",  // the harness reads the frame
                                           "--enable-logging=stderr",
                                           "--v=0",
                                           "--virtual-time-budget=15000",
                                           "--dump-dom",
                                           "file://" + (dir / "check.html").string()};
    adapters::ProcessOptions options;
    options.timeout_seconds = 120;
    const auto r = adapters::run_process(argv, options);
    PageCheck out;
    out.raw = r.err.substr(0, 4000);
    const std::string open = "<pre id=\"out\">";
    const auto b = r.out.find(open);
    const auto e = b == std::string::npos ? b : r.out.find("</pre>", b);
    if (b != std::string::npos && e != std::string::npos) {
        std::string text = r.out.substr(b + open.size(), e - b - open.size());
        for (std::size_t p = text.find("&quot;"); p != std::string::npos; p = text.find("&quot;", p)) {
            text.replace(p, 6, "\"");
        }
        for (std::size_t p = text.find("&amp;"); p != std::string::npos; p = text.find("&amp;", p + 1)) {
            text.replace(p, 5, "&");
        }
        out.result = nlohmann::json::parse(text, nullptr, false);
    }
    std::istringstream err(r.err);
    for (std::string line; std::getline(err, line);) {
        if (line.find(":CONSOLE") != std::string::npos &&
            (line.find("Uncaught") != std::string::npos || line.find("Error") != std::string::npos)) {
            out.script_errors.push_back(line);
        }
    }
    return out;
}

TEST(ChromiumReport, InlinePngsAndTheCapacityChartLoadWithoutScriptErrors) {
    REQUIRE_CHROMIUM(chromium);
    const auto run = run_with_capacity();
    const auto config = testing::make_config();
    const auto analysis = analysis::analyze(run, config);
    testing::TempDir dir;
    const ReportContext ctx{run, analysis, config, dir.path, PngMode::always};
    const auto errors = write_all(ctx);
    ASSERT_TRUE(errors.empty()) << errors.front();
    const auto html = testing::read_file(dir.path / "report.html");
    ASSERT_NE(html.find("src=\"charts/stress/capacity.png\""), std::string::npos);

    const auto check = check_report_in_chromium(*chromium, dir.path);
    ASSERT_TRUE(check.result.is_object()) << check.raw;
    EXPECT_TRUE(check.script_errors.empty()) << check.script_errors.front();
    const auto& images = check.result["images"];
    ASSERT_GE(images.size(), 3u) << check.result.dump();  // capacity, overview heatmaps, stress memory
    bool capacity_seen = false;
    for (const auto& img : images) {
        EXPECT_TRUE(img["ok"].get<bool>()) << "broken image " << img["src"];
        capacity_seen = capacity_seen || img["src"] == "charts/stress/capacity.png";
    }
    EXPECT_TRUE(capacity_seen);
    // The capacity PNG holds the drawn chart: the simulation's lines, the threshold, the two markers.
    const auto img = decode_png(testing::read_file(dir.path / "charts" / "stress" / "capacity.png"));
    ASSERT_EQ(img.error, "");
    EXPECT_GT(distinct_colours(img), 20u);
    EXPECT_GT(pixels_near(img, 0xd6, 0x27, 0x28), 300u);  // threshold and breaking point
    EXPECT_GT(pixels_near(img, 0x2c, 0xa0, 0x2c), 100u);  // last healthy
}

TEST(ChromiumReport, WithoutPngsTheKeyChartsAreInteractiveAndDrawn) {
    REQUIRE_CHROMIUM(chromium);
    const auto run = run_with_capacity();
    const auto config = testing::make_config();
    const auto analysis = analysis::analyze(run, config);
    testing::TempDir dir;
    const ReportContext ctx{run, analysis, config, dir.path, PngMode::never};
    const auto errors = write_all(ctx);
    ASSERT_TRUE(errors.empty()) << errors.front();
    const auto check = check_report_in_chromium(*chromium, dir.path);
    ASSERT_TRUE(check.result.is_object()) << check.raw;
    EXPECT_TRUE(check.script_errors.empty()) << check.script_errors.front();
    EXPECT_TRUE(check.result["images"].empty());
    const auto& frames = check.result["frames"];
    ASSERT_GE(frames.size(), 3u) << check.result.dump();
    EXPECT_EQ(frames[0]["src"], "charts/stress/capacity.html");
    for (const auto& f : frames) {
        EXPECT_TRUE(f["drawn"].get<bool>()) << "not drawn: " << f["src"];
    }
}

TEST(Chromium, TimeoutKillsTheWholeProcessGroup) {
    testing::TempDir dir;
    const auto fake = dir.path / "fake-chromium";
    const auto pid_file = dir.path / "child.pid";
    { std::ofstream(fake) << "#!/bin/sh\nsleep 300 &\necho $! > " << pid_file.string() << "\nsleep 300\n"; }
    std::filesystem::permissions(fake, std::filesystem::perms::owner_all);
    ScreenshotOptions options;
    options.timeout = std::chrono::milliseconds(800);
    const auto t0 = std::chrono::steady_clock::now();
    const auto errors =
        take_screenshots(fake, {{dir.path / "x.html", dir.path / "x.png", 100, 100}}, options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("did not finish"), std::string::npos) << errors[0];
    EXPECT_LT(seconds, 5.0);
    const auto child = std::stol(testing::read_file(pid_file));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    // Dead, or a zombie waiting for an init that does not reap: either way no longer running.
    const auto stat = testing::read_file("/proc/" + std::to_string(child) + "/stat");
    const auto state = stat.empty() ? 'X' : stat[stat.rfind(')') + 2];
    EXPECT_TRUE(state == 'X' || state == 'Z') << "the browser's child survived the timeout: " << stat;
}

TEST(Chromium, ACancelKillsTheRunningBrowserAndSkipsTheRest) {
    // A Ctrl-C while the PNGs are taken: the running browser ends at once, no other one starts.
    REQUIRE_CHROMIUM(chromium);
    testing::TempDir dir;
    { std::ofstream(dir.path / "x.html") << "<html><body><h1>x</h1></body></html>"; }
    std::vector<ScreenshotJob> jobs;
    for (const char* name : {"a.png", "b.png", "c.png", "d.png"}) {
        jobs.push_back({dir.path / "x.html", dir.path / name, 400, 300});
    }
    ScreenshotOptions options;
    options.parallel = 1;
    const auto t0 = std::chrono::steady_clock::now();
    options.cancelled = [t0] {
        return std::chrono::steady_clock::now() - t0 > std::chrono::milliseconds(300);
    };
    const auto errors = take_screenshots(*chromium, jobs, options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("4 screenshots cancelled at 0.3 s: returned after %.2f s\n", seconds);
    EXPECT_LT(seconds, 3.0);
    ASSERT_EQ(errors.size(), 4u);
    for (const auto& e : errors) {
        EXPECT_NE(e.find("interrupted"), std::string::npos) << e;
    }
}

TEST(Chromium, ArgvHasTheHeadlessFlagsAndNoShell) {
    ScreenshotJob job{"/tmp/a b/c.html", "/tmp/out.png", 1200, 620};
    const auto argv = screenshot_argv("/usr/bin/chromium", job, "/tmp/profile", {});
    const std::vector<std::string> required = {"--headless",
                                               "--no-sandbox",
                                               "--disable-gpu",
                                               "--disable-background-networking",
                                               "--disable-component-update",
                                               "--disable-sync",
                                               "--no-first-run",
                                               "--disable-quic",
                                               "--user-data-dir=/tmp/profile",
                                               "--virtual-time-budget=5000",
                                               "--window-size=1200,620",
                                               "--screenshot=/tmp/out.png"};
    for (const auto& flag : required) {
        EXPECT_NE(std::find(argv.begin(), argv.end(), flag), argv.end()) << flag;
    }
    EXPECT_EQ(argv.front(), "/usr/bin/chromium");
    EXPECT_EQ(argv.back(), "file:///tmp/a%20b/c.html");
}

}  // namespace
}  // namespace perfrunner::report
