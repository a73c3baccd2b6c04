#pragma once
// The outputs of `perfrunner compare BASE NEW` (issue 14): a benchstat-like text for CI logs, compare.json,
// compare.md, compare.html (base and new series side by side) and junit.xml. Pure functions of one
// analysis::CompareResult; only write_compare_outputs touches the file system.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "perfrunner/analysis/compare_runs.hpp"

namespace perfrunner::report {

// What the reports say about one input file.
struct CompareInput {
    std::string path;
    std::string test_id;
    std::string started_at;
};

struct CompareReportContext {
    const analysis::CompareResult& result;
    const analysis::CompareSettings& settings;
    CompareInput base, next;
};

inline constexpr int kCompareExitRegression = 3;

// One line per comparison, "~" when not significant, the regressions last; ends with a newline.
std::string render_compare_text(const CompareReportContext& context);
nlohmann::ordered_json compare_json(const CompareReportContext& context);
std::string render_compare_markdown(const CompareReportContext& context);
std::string render_compare_html(const CompareReportContext& context);
std::string render_compare_junit(const CompareReportContext& context);

// compare.json, compare.md, compare.html and junit.xml in dir (created when missing), each written
// atomically. One file failing does not stop the others; returns one error line per failed file (empty = all
// written). `stop` is asked before each file: true skips the rest (Ctrl-C; the caller says so).
std::vector<std::string> write_compare_outputs(const CompareReportContext& context,
                                               const std::filesystem::path& dir,
                                               const std::function<bool()>& stop = {});

}  // namespace perfrunner::report
