#pragma once
// PNG screenshots of chart pages with headless Chromium (environment.md §9). The browser is found at run
// time; every call gets a fresh profile directory, an argv vector (never a shell string), a timeout, and a
// kill of its whole process group when it hangs.
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace perfrunner::report {

// $PERFRUNNER_CHROMIUM when it names an executable, else the first of chromium, chromium-browser,
// google-chrome on PATH.
std::optional<std::filesystem::path> find_chromium();

struct ScreenshotJob {
    std::filesystem::path html;  // absolute or relative; made absolute for the file:// URL
    std::filesystem::path png;
    int width = 1200;
    int height = 800;
};

struct ScreenshotOptions {
    std::chrono::milliseconds timeout{
        std::chrono::seconds(60)};  // per screenshot, then the process group is killed
    int virtual_time_budget_ms = 5000;
    unsigned parallel = 2;
    // Polled while a browser runs: true kills its process group at once, and no further screenshot starts
    // (a Ctrl-C while the reports are written).
    std::function<bool()> cancelled;
};

// The argv of one screenshot (exposed for tests and logs).
std::vector<std::string> screenshot_argv(const std::filesystem::path& chromium, const ScreenshotJob& job,
                                         const std::filesystem::path& user_data_dir,
                                         const ScreenshotOptions& options);

// Runs the jobs, `parallel` at a time. Returns one line per failed job (empty = all PNGs written).
std::vector<std::string> take_screenshots(const std::filesystem::path& chromium,
                                          const std::vector<ScreenshotJob>& jobs,
                                          const ScreenshotOptions& options = {});

}  // namespace perfrunner::report
