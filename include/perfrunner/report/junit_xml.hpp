#pragma once
// junit.xml: one test case per check, so CI systems show the verdict natively. Critical findings and aborted
// scenarios are failures; warnings pass with their message in system-out.
#include <string>

#include "perfrunner/report/writer.hpp"

namespace perfrunner::report {

std::string render_junit_xml(const ReportContext& context);

class JunitXmlWriter : public Writer {
  public:
    std::string name() const override { return "junit.xml"; }
    void write(const ReportContext& context) override;
};

}  // namespace perfrunner::report
