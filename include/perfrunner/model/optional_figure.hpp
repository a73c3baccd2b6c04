#pragma once
// An optional measurement in 8 bytes instead of std::optional<double>'s 16. A run of a million container
// samples holds five per sample; halving them takes 40 MB off the model that `analyze` builds, and every
// byte of it is a first touch of fresh memory (see README "Big results files").
//
// "Absent" is one NaN bit pattern that no arithmetic produces (a signalling NaN with a fixed payload); any
// NaN given as a value is stored as the ordinary quiet NaN, so a value can never read as absent. The
// interface is std::optional's, as far as the model's users need it: has_value, *, value, value_or, reset,
// comparisons ordered as std::optional orders them (absent is less than every value), and a conversion to
// std::optional<double> for code that takes one.
#include <bit>
#include <cmath>
#include <compare>
#include <cstdint>
#include <limits>
#include <optional>

namespace perfrunner::model {

class OptionalFigure {
  public:
    constexpr OptionalFigure() noexcept = default;
    constexpr OptionalFigure(std::nullopt_t) noexcept {}  // NOLINT(google-explicit-constructor): as optional
    constexpr OptionalFigure(double value) noexcept       // NOLINT(google-explicit-constructor): as optional
        : bits_(value != value ? kQuietNan : std::bit_cast<std::uint64_t>(value)) {}
    constexpr OptionalFigure(
        const std::optional<double>& value) noexcept  // NOLINT(google-explicit-constructor)
        : OptionalFigure(value ? OptionalFigure(*value) : OptionalFigure()) {}

    constexpr bool has_value() const noexcept { return bits_ != kAbsent; }
    constexpr explicit operator bool() const noexcept { return has_value(); }
    // Like std::optional's: undefined when absent (it reads as a NaN here).
    constexpr double operator*() const noexcept { return std::bit_cast<double>(bits_); }
    double value() const {
        if (!has_value()) {
            throw std::bad_optional_access();
        }
        return **this;
    }
    constexpr double value_or(double fallback) const noexcept { return has_value() ? **this : fallback; }
    constexpr void reset() noexcept { bits_ = kAbsent; }

    constexpr operator std::optional<double>() const noexcept {  // NOLINT(google-explicit-constructor)
        return has_value() ? std::optional<double>(**this) : std::nullopt;
    }

    friend constexpr bool operator==(OptionalFigure a, OptionalFigure b) noexcept {
        return a.has_value() == b.has_value() && (!a.has_value() || *a == *b);
    }
    friend constexpr bool operator==(OptionalFigure a, double b) noexcept { return a.has_value() && *a == b; }
    friend constexpr bool operator==(OptionalFigure a, std::nullopt_t) noexcept { return !a.has_value(); }
    friend constexpr std::partial_ordering operator<=>(OptionalFigure a, double b) noexcept {
        return a.has_value() ? *a <=> b : std::partial_ordering::less;
    }

  private:
    static constexpr std::uint64_t kAbsent = 0x7FF0'DEAD'BEEF'F16EULL;  // signalling NaN, payload "figure"
    static constexpr std::uint64_t kQuietNan =
        std::bit_cast<std::uint64_t>(std::numeric_limits<double>::quiet_NaN());
    std::uint64_t bits_ = kAbsent;
};

static_assert(sizeof(OptionalFigure) == sizeof(double));

}  // namespace perfrunner::model
