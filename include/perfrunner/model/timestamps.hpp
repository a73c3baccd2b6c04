#pragma once
// ISO 8601 timestamps as results.json and cAdvisor write them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace perfrunner::model {

// "2026-02-12T19:30:00.123456Z" (UTC, microseconds) for epoch seconds.
std::string iso_utc(double epoch_seconds);

// "20260212_193000" (UTC) for epoch seconds: the test id and run directory name.
std::string test_id_utc(double epoch_seconds);

struct ParsedTimestamp {
    std::int64_t epoch_ns = 0;  // for a naive timestamp: as if it were UTC
    bool has_zone = false;      // false for the reference framework's naive local timestamps
};

// Accepts YYYY-MM-DDTHH:MM:SS (T, t or a space between date and time) with an optional 1-9 digit fraction and
// an optional zone (Z, z, +HH:MM, -HH:MM): RFC 3339, and the reference framework's naive local times.
std::optional<ParsedTimestamp> parse_iso(std::string_view text);

}  // namespace perfrunner::model
