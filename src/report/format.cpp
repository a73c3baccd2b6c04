#include "perfrunner/report/format.hpp"
#include "perfrunner/model/container_label.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "perfrunner/model/rounding.hpp"

namespace perfrunner::report {

const char* severity_name(analysis::Severity severity) {
    return analysis::to_string(severity);
}

const char* verdict_name(analysis::Verdict verdict) {
    return analysis::to_string(verdict);
}

std::string verdict_label(analysis::Verdict verdict) {
    std::string s = verdict_name(verdict);
    for (auto& c : s) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return s;
}

std::optional<std::string> unsampled_reason(const analysis::Analysis& analysis, std::string_view scenario) {
    for (const auto& s : analysis.scenario_summaries) {
        if (s.scenario_name == scenario && s.unsampled) {
            return s.unsampled;
        }
    }
    return std::nullopt;
}

std::string format_number(std::optional<double> value, int decimals) {
    const auto r = model::round_half_even(value, decimals);
    if (!r) {
        return "n/a";
    }
    // The rounded value is a multiple of 10^-decimals (never -0.0), so printf shows exactly its digits.
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, *r);
    return buf;
}

std::string display_name(const config::Config& config, const std::string& container) {
    if (const auto host = model::label_host(container); !host.empty()) {  // "name@host": "Display (host)"
        return display_name(config, std::string(model::label_name(container))) + " (" + std::string(host) +
               ")";
    }
    for (const auto& spec : config.containers) {
        if (spec.name == container && !spec.display_name.empty()) {
            return spec.display_name;
        }
    }
    std::string base = container;
    if (base.rfind("rideshare-", 0) == 0) {
        base = base.substr(10);
    }
    if (base.empty()) {
        return container;
    }
    std::string out;
    bool start = true;
    for (char c : base) {
        if (c == '-' || c == '_') {
            out += ' ';
            start = true;
            continue;
        }
        out += start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        start = false;
    }
    return out;
}

double effective_cores(const config::Config& config, const analysis::Analysis& analysis,
                       const std::string& container) {
    for (const auto& spec : config.containers) {
        if (spec.name == model::label_name(container) && spec.cpu_cores && *spec.cpu_cores > 0) {
            return *spec.cpu_cores;
        }
    }
    for (const auto& scenario : analysis.scenario_summaries) {
        for (const auto& c : scenario.containers) {
            if (c.container == container && c.cpu_cores_effective > 0) {
                return c.cpu_cores_effective;
            }
        }
    }
    return 1.0;
}

std::vector<std::string> order_containers(const config::Config& config, std::vector<std::string> names) {
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    // Priority containers first, then by name; on several Docker hosts ("name@host" labels) host by host.
    const auto& prio = config.analysis.priority_containers;
    const auto rank = [&](const std::string& n) {
        return static_cast<std::size_t>(std::find(prio.begin(), prio.end(), model::label_name(n)) -
                                        prio.begin());
    };
    std::stable_sort(names.begin(), names.end(), [&](const std::string& a, const std::string& b) {
        if (model::label_host(a) != model::label_host(b)) {
            return model::label_host(a) < model::label_host(b);
        }
        return rank(a) < rank(b);
    });
    return names;
}

std::vector<std::string> focus(const config::Config& config, std::vector<std::string> names) {
    auto ordered = order_containers(config, std::move(names));
    const auto& f = config.analysis.focus_containers;
    if (f.empty()) {
        return ordered;
    }
    std::erase_if(ordered, [&](const std::string& n) {
        return std::find(f.begin(), f.end(), model::label_name(n)) == f.end();
    });
    return ordered;
}

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's civil-days algorithm).
long long days_from_civil(long long y, unsigned m, unsigned d) {
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? static_cast<unsigned>(-3) : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long long>(doe) - 719468;
}

struct Instant {
    double seconds = 0;
    bool zoned = false;
};

std::optional<Instant> parse_instant(std::string_view s) {
    auto digits = [&](std::size_t pos, std::size_t len) -> std::optional<unsigned> {
        if (pos + len > s.size()) {
            return std::nullopt;
        }
        unsigned v = 0;
        for (std::size_t i = pos; i < pos + len; ++i) {
            if (!std::isdigit(static_cast<unsigned char>(s[i]))) {
                return std::nullopt;
            }
            v = v * 10 + static_cast<unsigned>(s[i] - '0');
        }
        return v;
    };
    if (s.size() < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' ||
        s[16] != ':') {
        return std::nullopt;
    }
    const auto y = digits(0, 4), mo = digits(5, 2), d = digits(8, 2), h = digits(11, 2), mi = digits(14, 2),
               se = digits(17, 2);
    if (!y || !mo || !d || !h || !mi || !se || *mo < 1 || *mo > 12 || *d < 1 || *d > 31) {
        return std::nullopt;
    }
    Instant out;
    out.seconds =
        static_cast<double>(days_from_civil(*y, *mo, *d)) * 86400.0 + *h * 3600.0 + *mi * 60.0 + *se;
    std::size_t pos = 19;
    if (pos < s.size() && s[pos] == '.') {
        double scale = 0.1;
        ++pos;
        while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
            out.seconds += (s[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
    }
    if (pos == s.size()) {
        return out;
    }
    if (s[pos] == 'Z' && pos + 1 == s.size()) {
        out.zoned = true;
        return out;
    }
    if ((s[pos] == '+' || s[pos] == '-') && pos + 6 == s.size() && s[pos + 3] == ':') {
        const auto zh = digits(pos + 1, 2), zm = digits(pos + 4, 2);
        if (!zh || !zm) {
            return std::nullopt;
        }
        const double offset = *zh * 3600.0 + *zm * 60.0;
        out.seconds -= s[pos] == '+' ? offset : -offset;
        out.zoned = true;
        return out;
    }
    return std::nullopt;
}

}  // namespace

std::optional<double> seconds_between(std::string_view iso_a, std::string_view iso_b) {
    const auto a = parse_instant(iso_a);
    const auto b = parse_instant(iso_b);
    if (!a || !b || a->zoned != b->zoned) {
        return std::nullopt;
    }
    return b->seconds - a->seconds;
}

std::string format_hms(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) {
        return "n/a";
    }
    const auto total = static_cast<long long>(std::llround(seconds));
    char buf[48];
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", total / 3600, (total / 60) % 60, total % 60);
    return buf;
}

}  // namespace perfrunner::report
