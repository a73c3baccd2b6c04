#pragma once
// report.md (reference-framework.md §10): summary table, findings by severity, container health, leak
// verdicts, stress capacity, speed scaling, derived configuration, recommendations.
#include <string>

#include "perfrunner/report/writer.hpp"

namespace perfrunner::report {

std::string render_markdown_report(const ReportContext& context);

class MarkdownReportWriter : public Writer {
  public:
    std::string name() const override { return "report.md"; }
    void write(const ReportContext& context) override;
};

}  // namespace perfrunner::report
