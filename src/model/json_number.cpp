#include "json_number.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace perfrunner::model::detail {
namespace {

// Below this magnitude a double's spacing is far finer than 0.01, so a value that is exactly r / 10^d
// (d = 1, 2) has no shorter decimal text than r's digits with d decimals: its shortest round-trip text.
constexpr double kFastLimit = 1e12;

char* digits(std::uint64_t n, char* out) {
    char buf[24];
    char* p = buf + sizeof buf;
    do {
        *--p = static_cast<char>('0' + n % 10);
        n /= 10;
    } while (n != 0);
    const auto len = static_cast<std::size_t>(buf + sizeof buf - p);
    std::memcpy(out, p, len);
    return out + len;
}

char* slow(double v, char* out) {
    const auto res = std::to_chars(out, out + kNumberTextMax - 2, v);
    char* end = res.ptr;
    if (std::memchr(out, '.', static_cast<std::size_t>(end - out)) == nullptr &&
        std::memchr(out, 'e', static_cast<std::size_t>(end - out)) == nullptr) {
        *end++ = '.';
        *end++ = '0';
    }
    return end;
}

// v == r / 10^decimals exactly, r not a multiple of 10 (else fewer decimals would do): "<int>.<frac>".
char* fixed(bool negative, std::uint64_t r, int decimals, char* out) {
    if (negative) {
        *out++ = '-';
    }
    const std::uint64_t scale = decimals == 1 ? 10 : 100;
    out = digits(r / scale, out);
    *out++ = '.';
    const std::uint64_t frac = r % scale;
    if (decimals == 2 && frac < 10) {
        *out++ = '0';
    }
    return digits(frac, out);
}

// A whole number: to_chars prints the shorter of "<digits>" and "<d>[.<ddd>]e+XX" (fixed on a tie), so
// 1024 stays 1024 but 100000 becomes 1e+05; the fast path takes only the clearly fixed ones.
char* whole(bool negative, std::uint64_t n, double v, char* out) {
    int total = 0;
    int trailing_zeros = 0;
    bool in_trailing = true;
    for (std::uint64_t m = n; m != 0; m /= 10) {
        ++total;
        if (in_trailing && m % 10 == 0) {
            ++trailing_zeros;
        } else {
            in_trailing = false;
        }
    }
    const int significant = total - trailing_zeros;
    const int exponent_form = significant + (significant > 1 ? 1 : 0) + 4;  // "e+XX": magnitude < 1e12
    if (total >= exponent_form) {
        return slow(v, out);
    }
    if (negative) {
        *out++ = '-';
    }
    out = digits(n, out);
    *out++ = '.';
    *out++ = '0';
    return out;
}

}  // namespace

char* number_text(double v, char* out) {
    const double a = std::fabs(v);
    if (!(a < kFastLimit) || a == 0.0) {
        return slow(v, out);  // zero: to_chars writes "-0" for negative zero; keep its spelling
    }
    const bool negative = std::signbit(v);
    for (int decimals = 1; decimals <= 2; ++decimals) {
        const double scale = decimals == 1 ? 10.0 : 100.0;
        const double r = std::nearbyint(a * scale);
        if (r / scale != a) {
            continue;
        }
        const auto ri = static_cast<std::uint64_t>(r);
        if (ri % 10 == 0) {
            break;  // a whole number (one decimal would have matched at decimals 1)
        }
        return fixed(negative, ri, decimals, out);
    }
    if (a == std::floor(a)) {
        return whole(negative, static_cast<std::uint64_t>(a), v, out);
    }
    return slow(v, out);
}

}  // namespace perfrunner::model::detail
