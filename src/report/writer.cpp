#include "perfrunner/report/writer.hpp"

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
    std::vector<std::string> errors;
    for (const auto& writer : default_writers(screenshots)) {
        try {
            writer->write(context);
        } catch (const std::exception& e) {
            errors.push_back(writer->name() + ": " + e.what());
        }
    }
    return errors;
}

}  // namespace perfrunner::report
