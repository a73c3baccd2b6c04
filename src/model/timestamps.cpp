#include "perfrunner/model/timestamps.hpp"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>

#include <fmt/format.h>

namespace perfrunner::model {
namespace {

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? static_cast<unsigned>(-3) : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
    std::int64_t year;
    unsigned month, day, hour, minute, second;
};

Civil civil_from_seconds(std::int64_t secs) {
    std::int64_t days = secs / 86400;
    std::int64_t rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        days -= 1;
    }
    const auto ymd = std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{days}}};
    return Civil{static_cast<int>(ymd.year()),
                 static_cast<unsigned>(ymd.month()),
                 static_cast<unsigned>(ymd.day()),
                 static_cast<unsigned>(rem / 3600),
                 static_cast<unsigned>((rem % 3600) / 60),
                 static_cast<unsigned>(rem % 60)};
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, unsigned& out) {
    if (pos + n > s.size()) {
        return false;
    }
    unsigned v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        v = v * 10 + static_cast<unsigned>(s[i] - '0');
    }
    out = v;
    return true;
}

bool is_leap(std::int64_t y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned days_in_month(std::int64_t y, unsigned m) {
    static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

}  // namespace

std::string iso_utc(double epoch_seconds) {
    if (!std::isfinite(epoch_seconds)) {
        epoch_seconds = 0.0;
    }
    auto micros = static_cast<std::int64_t>(std::llround(epoch_seconds * 1e6));
    std::int64_t secs = micros / 1'000'000;
    std::int64_t frac = micros % 1'000'000;
    if (frac < 0) {
        frac += 1'000'000;
        secs -= 1;
    }
    const Civil c = civil_from_seconds(secs);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", c.year, c.month, c.day, c.hour, c.minute,
                       c.second, frac);
}

std::string test_id_utc(double epoch_seconds) {
    if (!std::isfinite(epoch_seconds)) {
        epoch_seconds = 0.0;
    }
    const Civil c = civil_from_seconds(static_cast<std::int64_t>(std::floor(epoch_seconds)));
    return fmt::format("{:04}{:02}{:02}_{:02}{:02}{:02}", c.year, c.month, c.day, c.hour, c.minute, c.second);
}

std::optional<ParsedTimestamp> parse_iso(std::string_view s) {
    unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!digits(s, 0, 4, year) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' ||
        !digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s, 11, 2, hour) ||
        s[13] != ':' || !digits(s, 14, 2, minute) || s[16] != ':' || !digits(s, 17, 2, second)) {
        return std::nullopt;
    }
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 || minute > 59 ||
        second > 60) {
        return std::nullopt;
    }
    std::size_t pos = 19;
    std::int64_t frac_ns = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        std::size_t n = 0;
        std::int64_t scale = 100'000'000;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (n >= 9) {
                return std::nullopt;  // more than 9 fraction digits
            }
            frac_ns += (s[pos] - '0') * scale;
            scale /= 10;
            ++pos;
            ++n;
        }
        if (n == 0) {
            return std::nullopt;
        }
    }
    ParsedTimestamp out;
    std::int64_t offset_seconds = 0;
    if (pos < s.size()) {
        if (s[pos] == 'Z' || s[pos] == 'z') {
            out.has_zone = true;
            ++pos;
        } else if (s[pos] == '+' || s[pos] == '-') {
            unsigned oh = 0, om = 0;
            if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
                !digits(s, pos + 4, 2, om) || oh > 23 || om > 59) {
                return std::nullopt;
            }
            offset_seconds = (std::int64_t{oh} * 3600 + std::int64_t{om} * 60) * (s[pos] == '+' ? 1 : -1);
            out.has_zone = true;
            pos += 6;
        }
    }
    if (pos != s.size()) {
        return std::nullopt;
    }
    const std::int64_t days = days_from_civil(year, month, day);
    const std::int64_t secs =
        days * 86400 + std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 + second - offset_seconds;
    // Nanoseconds since the epoch fit an int64 from 1677 to 2262 only; a later or earlier year (cAdvisor
    // answers, files) is not a time perfrunner can hold (the fuzzer found 166695340246 s x 1e9 overflowing).
    constexpr std::int64_t kMaxSeconds = std::numeric_limits<std::int64_t>::max() / 1'000'000'000 - 1;
    if (secs > kMaxSeconds || secs < -kMaxSeconds) {
        return std::nullopt;
    }
    out.epoch_ns = secs * 1'000'000'000 + frac_ns;
    return out;
}

}  // namespace perfrunner::model
