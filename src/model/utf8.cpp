#include "perfrunner/model/utf8.hpp"

namespace perfrunner::model {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool is_continuation(unsigned char c) {
    return (c & 0xC0U) == 0x80U;
}

}  // namespace

// Unicode 15, table 3-7 (well-formed byte sequences).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
    const std::size_t left = text.size() - i;
    const unsigned char b0 = byte(0);
    if (b0 < 0x80U) {
        return 1;
    }
    std::size_t length = 0;
    unsigned char low = 0x80U;
    unsigned char high = 0xBFU;
    if (b0 >= 0xC2U && b0 <= 0xDFU) {
        length = 2;
    } else if (b0 >= 0xE0U && b0 <= 0xEFU) {
        length = 3;
        low = b0 == 0xE0U ? 0xA0U : 0x80U;   // no overlong forms
        high = b0 == 0xEDU ? 0x9FU : 0xBFU;  // no surrogates
    } else if (b0 >= 0xF0U && b0 <= 0xF4U) {
        length = 4;
        low = b0 == 0xF0U ? 0x90U : 0x80U;
        high = b0 == 0xF4U ? 0x8FU : 0xBFU;  // nothing beyond U+10FFFF
    } else {
        return 0;
    }
    if (left < length || byte(1) < low || byte(1) > high) {
        return 0;
    }
    for (std::size_t k = 2; k < length; ++k) {
        if (!is_continuation(byte(k))) {
            return 0;
        }
    }
    return length;
}

bool is_valid_utf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = utf8_sequence_length(text, i);
        if (n == 0) {
            return false;
        }
        i += n;
    }
    return true;
}

std::string valid_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = utf8_sequence_length(text, i);
        if (n == 0) {
            out.append(kReplacement);
            ++i;
        } else {
            out.append(text.substr(i, n));
            i += n;
        }
    }
    return out;
}

std::string printable_text(std::string_view text) {
    std::string out = valid_utf8(text);
    std::string clean;
    clean.reserve(out.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto c = static_cast<unsigned char>(out[i]);
        if (c < 0x20U || c == 0x7FU) {
            clean.push_back(' ');
        } else if (c == 0xC2U && i + 1 < out.size() && static_cast<unsigned char>(out[i + 1]) < 0xA0U) {
            clean.push_back(' ');  // U+0080..U+009F, the C1 controls
            ++i;
        } else {
            clean.push_back(out[i]);
        }
    }
    return clean;
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) {
        return text;
    }
    std::size_t cut = max_bytes;
    while (cut > 0 && is_continuation(static_cast<unsigned char>(text[cut]))) {
        --cut;  // text[cut] would be the first byte left out: never inside a character
    }
    return text.substr(0, cut);
}

}  // namespace perfrunner::model
