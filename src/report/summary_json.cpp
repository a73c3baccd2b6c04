#include "perfrunner/report/summary_json.hpp"

#include "perfrunner/analysis/analysis_json.hpp"
#include "perfrunner/report/text_file.hpp"

namespace perfrunner::report {

nlohmann::ordered_json summary_document(const ReportContext& context) {
    nlohmann::ordered_json doc;
    doc["test_id"] = context.run.test_id;
    doc["started_at"] = context.run.started_at;
    doc["completed_at"] = context.run.completed_at;
    if (context.run.aborted) {
        doc["aborted"] = true;
        doc["abort_reason"] = context.run.abort_reason ? nlohmann::ordered_json(*context.run.abort_reason)
                                                       : nlohmann::ordered_json(nullptr);
    }
    // The same mapping as results.json's `verdict` (one rounding, one set of key names).
    doc["verdict"] = analysis::verdict_json(context.analysis);
    return doc;
}

void SummaryJsonWriter::write(const ReportContext& context) {
    const auto text =
        summary_document(context).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    write_text_file(context.run_dir / "summary.json", text + "\n");
}

}  // namespace perfrunner::report
