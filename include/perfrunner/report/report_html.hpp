#pragma once
// report.html: one page, verdict first, findings table, container health, links to every chart. Every piece
// of data-derived text is HTML-escaped.
#include <string>

#include "perfrunner/report/writer.hpp"

namespace perfrunner::report {

// Links to PNGs that exist under context.run_dir/charts when the page is rendered.
std::string render_html_report(const ReportContext& context);

class HtmlReportWriter : public Writer {
  public:
    std::string name() const override { return "report.html"; }
    void write(const ReportContext& context) override;
    bool reads_other_outputs() const override { return true; }
};

}  // namespace perfrunner::report
