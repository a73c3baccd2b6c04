#pragma once
// Small shared helpers of the writers: names, number text, ordering, durations.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "perfrunner/analysis/analysis.hpp"
#include "perfrunner/config/config.hpp"

namespace perfrunner::report {

const char* severity_name(analysis::Severity severity);  // "info" | "warning" | "critical"
const char* verdict_name(analysis::Verdict verdict);     // "pass" | "warning" | "fail" | "incomplete"
std::string verdict_label(analysis::Verdict verdict);    // "PASS" | "WARNING" | "FAIL" | "INCOMPLETE"

// Why a scenario that ran has no figures ("aborted before sampling: <reason>"), or nullopt when it has
// samples or did not run.
std::optional<std::string> unsampled_reason(const analysis::Analysis& analysis, std::string_view scenario);

// Fixed-point text of model::round_half_even(value, decimals): the digits the JSON files hold for a field
// written with that precision (analysis_json.hpp `decimals`); "n/a" when absent or not finite, never "-0.00".
std::string format_number(std::optional<double> value, int decimals);

// Catalogue display name, else "rideshare-" stripped and title-cased ("stream-processor" -> "Stream
// Processor").
std::string display_name(const config::Config& config, const std::string& container);

// Effective CPU cores: catalogue override, else the value the analysis recorded, else 1.0.
double effective_cores(const config::Config& config, const analysis::Analysis& analysis,
                       const std::string& container);

// Priority containers first (in their configured order), then by name; duplicates removed.
std::vector<std::string> order_containers(const config::Config& config, std::vector<std::string> names);
// order_containers, then only focus_containers when that list is not empty.
std::vector<std::string> focus(const config::Config& config, std::vector<std::string> names);

// Seconds from a to b for two ISO 8601 timestamps (both naive or both zoned), or nullopt when unparsable.
std::optional<double> seconds_between(std::string_view iso_a, std::string_view iso_b);
std::string format_hms(double seconds);  // "1:02:03"

}  // namespace perfrunner::report
