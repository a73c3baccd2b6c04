#pragma once
// summary.json: the reference companion file (results-schema.md §7) plus perfrunner's leak, stress and speed
// verdicts inside `verdict`.
#include <nlohmann/json.hpp>

#include "perfrunner/report/writer.hpp"

namespace perfrunner::report {

// `verdict` object: overall_status, findings, recommendations, container_health, counts, then additions
// (leak_verdicts, cooldown, stress, speed_scaling).
nlohmann::ordered_json verdict_object(const analysis::Analysis& analysis);

// The whole summary.json document.
nlohmann::ordered_json summary_document(const ReportContext& context);

class SummaryJsonWriter : public Writer {
  public:
    std::string name() const override { return "summary.json"; }
    void write(const ReportContext& context) override;
};

}  // namespace perfrunner::report
