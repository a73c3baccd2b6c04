#pragma once
// Internal to the model layer: the text of a JSON number as results.json writes it — std::to_chars' shortest
// round-trip form, with ".0" added when that form has neither a point nor an exponent (Python writes 2.0).
#include <cstddef>

namespace perfrunner::model::detail {

// Enough for any finite double's text.
inline constexpr std::size_t kNumberTextMax = 48;

// Writes the text of finite `v` at `out` (kNumberTextMax bytes free) and returns its end. Figures with one or
// two decimals (nearly every sampled figure) take a fast path that prints the same bytes as std::to_chars;
// the rest go through std::to_chars.
char* number_text(double v, char* out);

}  // namespace perfrunner::model::detail
