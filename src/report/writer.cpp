#include "perfrunner/report/writer.hpp"

#include <string>

#include "perfrunner/analysis/parallel.hpp"
#include "perfrunner/report/charts_writer.hpp"
#include "perfrunner/report/junit_xml.hpp"
#include "perfrunner/report/report_html.hpp"
#include "perfrunner/report/report_markdown.hpp"
#include "perfrunner/report/summary_json.hpp"

namespace perfrunner::report {

std::vector<std::unique_ptr<Writer>> default_writers(const ScreenshotOptions& screenshots) {
    std::vector<std::unique_ptr<Writer>> writers;
    writers.push_back(std::make_unique<SummaryJsonWriter>());
    writers.push_back(std::make_unique<JunitXmlWriter>());
    writers.push_back(std::make_unique<MarkdownReportWriter>());
    // Charts before report.html, so the report links the PNGs that were actually written.
    writers.push_back(std::make_unique<ChartsWriter>(screenshots));
    writers.push_back(std::make_unique<HtmlReportWriter>());
    return writers;
}

std::vector<std::string> write_all(const ReportContext& context, const ScreenshotOptions& screenshots) {
    const auto writers = default_writers(screenshots);
    std::vector<std::string> errors(writers.size());  // one slot per writer: the order stays the writers'
    const auto run = [&](std::size_t i) {
        try {
            writers[i]->write(context);
        } catch (const std::exception& e) {
            errors[i] = writers[i]->name() + ": " + e.what();
        }
        return true;
    };
    // Why at the same time: each writer spends most of its time waiting for its fsyncs, and the charts
    // (the longest, 30-40 ms on a 100 k-sample run) would otherwise keep the small files waiting.
    std::vector<std::size_t> independent, dependent;
    for (std::size_t i = 0; i < writers.size(); ++i) {
        (writers[i]->reads_other_outputs() ? dependent : independent).push_back(i);
    }
    analysis::parallel_map(
        independent.size(), [&](std::size_t k) { return run(independent[k]); },
        static_cast<unsigned>(independent.size()));
    for (const std::size_t i : dependent) {
        run(i);
    }
    std::erase(errors, std::string());
    return errors;
}

}  // namespace perfrunner::report
