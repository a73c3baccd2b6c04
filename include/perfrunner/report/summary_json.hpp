#pragma once
// summary.json: the reference companion file (results-schema.md §7); its `verdict` is analysis::verdict_json,
// the same object results.json carries (reference keys, then leak_detection, cooldown, stress_summary,
// speed_summary).
#include <nlohmann/json.hpp>

#include "perfrunner/report/writer.hpp"

namespace perfrunner::report {

// The whole summary.json document.
nlohmann::ordered_json summary_document(const ReportContext& context);

class SummaryJsonWriter : public Writer {
  public:
    std::string name() const override { return "summary.json"; }
    void write(const ReportContext& context) override;
};

}  // namespace perfrunner::report
