#pragma once
// Text that came from outside (HTTP bodies, docker output, files) may be any bytes. Everything perfrunner
// writes (results.json, reports, junit.xml, the terminal) must be valid UTF-8, so such text is made valid
// before it is stored or printed, and cut only at character boundaries.
#include <cstddef>
#include <string>
#include <string_view>

namespace perfrunner::model {

// Length of the well-formed UTF-8 sequence at text[i] (1..4), or 0 when the bytes there are ill-formed
// (stray continuation byte, overlong form, surrogate, beyond U+10FFFF, truncated sequence).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i);

// True when the whole text is well-formed UTF-8.
bool is_valid_utf8(std::string_view text);

// The text with every ill-formed byte replaced by U+FFFD (the replacement character).
std::string valid_utf8(std::string_view text);

// One printable line for a terminal, a log or an error message: valid_utf8(), and every control character
// (C0 including newline and ESC, DEL, C1 such as U+009B CSI) replaced by a space, so that no escape sequence
// read from a file or an HTTP body reaches the terminal.
std::string printable_text(std::string_view text);

// The longest prefix of at most max_bytes that does not end inside a multi-byte character.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

}  // namespace perfrunner::model
