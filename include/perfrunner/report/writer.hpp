#pragma once
// Outputs are writers behind one interface, fed by one analysis object (like Google Benchmark's reporters).
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "perfrunner/analysis/analysis.hpp"
#include "perfrunner/config/config.hpp"
#include "perfrunner/model/results.hpp"
#include "perfrunner/report/chromium.hpp"

namespace perfrunner::report {

enum class PngMode { automatic, always, never };

struct ReportContext {
    const model::RunResult& run;
    const analysis::Analysis& analysis;
    const config::Config& config;
    std::filesystem::path run_dir;  // results.json, summary.json, report.*, junit.xml, charts/
    PngMode png = PngMode::automatic;
};

class Writer {
  public:
    virtual ~Writer() = default;
    virtual std::string name() const = 0;
    // Throws RuntimeFailure (or InputError) with one clear line.
    virtual void write(const ReportContext& context) = 0;
    // True for a writer that looks at what the others wrote (report.html links the PNGs that exist): it runs
    // after them. The others run at the same time as each other.
    virtual bool reads_other_outputs() const { return false; }
};

// summary.json, report.md, report.html, junit.xml, charts (HTML + PNG, taken with `screenshots`).
std::vector<std::unique_ptr<Writer>> default_writers(const ScreenshotOptions& screenshots = {});

// Runs every writer; one writer failing does not stop the others. Returns the error lines (empty = all fine),
// in the writers' order whatever their threads' timing.
std::vector<std::string> write_all(const ReportContext& context, const ScreenshotOptions& screenshots = {});

}  // namespace perfrunner::report
