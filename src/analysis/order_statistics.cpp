#include "perfrunner/analysis/stats/order_statistics.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <iterator>
#include <limits>

namespace perfrunner::analysis::stats {

// Why not std::nth_element: its partition branches on every comparison, and on values in no order (Sen's
// slopes, samples) about half of those branches are mispredicted; that selection was 13 % of analyze's CPU
// on 100 k samples. This Lomuto partition stores every value and advances by the comparison's 0 or 1, with no
// branch on it. The value at k is the same; only the order of the others differs. Not with a NaN: there is no
// order to select by, and callers keep whatever std::nth_element does there.
void nth_element_without_nan(std::span<double> span, std::size_t k) {
    double* values = span.data();
    std::size_t n = span.size();
    constexpr std::size_t kSmall = 32;  // below this, the branches std::nth_element mispredicts cost little
    // More rounds than this means the pivots keep missing (values built to defeat a median of three): the
    // rest goes to std::nth_element, whose introselect bounds the work.
    std::size_t rounds_left = 2 * static_cast<std::size_t>(std::bit_width(n)) + 8;
    while (n > kSmall && rounds_left-- > 0) {
        double a = values[n / 4], b = values[n / 2], c = values[n - 1 - n / 4];
        if (b < a) {
            std::swap(a, b);
        }
        const double pivot = c < a ? a : (b < c ? b : c);
        // Those below the pivot go first; when there are none (the pivot is the least value), those equal to
        // it do, so that every round leaves fewer values or ends.
        const auto partition = [&](auto goes_first) {
            std::size_t first = 0;
            for (std::size_t i = 0; i < n; ++i) {
                const double v = values[i];
                values[i] = values[first];
                values[first] = v;
                first += static_cast<std::size_t>(goes_first(v));
            }
            return first;
        };
        const std::size_t below = partition([pivot](double v) { return v < pivot; });
        if (below > 0) {
            if (k < below) {
                n = below;
            } else {
                values += below;
                n -= below;
                k -= below;
            }
            continue;
        }
        const std::size_t at_most = partition([pivot](double v) { return !(pivot < v); });
        if (k < at_most) {
            return;  // every value before at_most equals the pivot
        }
        values += at_most;
        n -= at_most;
        k -= at_most;
    }
    std::nth_element(values, values + k, values + n);
}

namespace {

// The value of 0-based rank k of `values`, whose sorted 0-based positions `final` are already in place.
double select(std::vector<double>& values, std::vector<std::size_t>& final, std::size_t k, bool nan_free) {
    const auto after = std::lower_bound(final.begin(), final.end(), k);
    if (after != final.end() && *after == k) {
        return values[k];
    }
    // Between the nearest final positions lie exactly the values of the ranks in between.
    const std::size_t from = after == final.begin() ? 0 : *std::prev(after) + 1;
    const std::size_t to = after == final.end() ? values.size() : *after;
    if (nan_free) {
        nth_element_without_nan(std::span<double>(values).subspan(from, to - from), k - from);
    } else {
        std::nth_element(values.begin() + static_cast<std::ptrdiff_t>(from),
                         values.begin() + static_cast<std::ptrdiff_t>(k),
                         values.begin() + static_cast<std::ptrdiff_t>(to));
    }
    final.insert(after, k);
    return values[k];
}

}  // namespace

RankSelector::RankSelector(std::vector<double> values)
    : values_(std::move(values)),
      nan_free_(std::none_of(values_.begin(), values_.end(), [](double v) { return std::isnan(v); })) {}

double RankSelector::at_rank(std::size_t k_1based) {
    return select(values_, final_, std::clamp<std::size_t>(k_1based, 1, values_.size()) - 1, nan_free_);
}

std::optional<RankBracket> RankBracket::from_sample(std::vector<double> sample, std::size_t n,
                                                    std::size_t lowest, std::size_t highest) {
    constexpr std::size_t kMargin = 112;  // sample positions each side: ~3.5 standard errors of a quantile
    const std::size_t size = sample.size();
    if (size == 0 || std::any_of(sample.begin(), sample.end(), [](double v) { return std::isnan(v); })) {
        return std::nullopt;
    }
    const auto sample_position = [&](std::size_t rank) { return (rank - 1) * size / n; };
    const std::size_t lo_pos = sample_position(lowest);
    const std::size_t hi_pos = sample_position(highest) + kMargin;
    // Two order statistics of the sample, not a sort of it: the upper one first, so that the lower one is
    // selected among the values before it.
    RankBracket out;
    std::span<double> below_upper(sample);
    out.upper_ = std::numeric_limits<double>::infinity();
    if (hi_pos < size) {
        nth_element_without_nan(sample, hi_pos);
        out.upper_ = sample[hi_pos];
        below_upper = below_upper.first(hi_pos);
    }
    out.lower_ = -std::numeric_limits<double>::infinity();
    if (lo_pos >= kMargin) {
        nth_element_without_nan(below_upper, lo_pos - kMargin);
        out.lower_ = sample[lo_pos - kMargin];
    }
    out.inside_.reserve(std::min(n, (hi_pos + kMargin - std::min(lo_pos, hi_pos)) * (n / size) + 1024));
    return out;
}

// Why no branch at all: whether a value lies below the bracket, or inside it, is a coin toss for a branch
// predictor (a third of the pass over Sen's slopes went to mispredicted branches). Every value of a chunk is
// stored at the end of `kept_chunk_` and kept by counting it; and locals, because a member updated beside a
// store is reloaded and stored on every value (the store could alias it).
void RankBracket::add(std::span<const double> values) {
    constexpr std::size_t kChunk = 4096;  // stays in the L1 cache
    const double lower = lower_, upper = upper_;
    kept_chunk_.resize(kChunk);
    double* const kept = kept_chunk_.data();
    std::size_t below = 0;
    bool nan = false;
    for (std::size_t from = 0; from < values.size(); from += kChunk) {
        std::size_t n_kept = 0;
        for (const double v : values.subspan(from, std::min(kChunk, values.size() - from))) {
            kept[n_kept] = v;
            n_kept += static_cast<std::size_t>(v >= lower) & static_cast<std::size_t>(v <= upper);
            below += v < lower ? 1 : 0;
            nan |= std::isnan(v);
        }
        inside_.insert(inside_.end(), kept, kept + n_kept);
    }
    below_ += below;
    nan_ = nan_ || nan;
}

bool RankSelector::bracket(std::size_t lowest, std::size_t highest) {
    const std::size_t n = values_.size();
    if (!bracket_values_.empty() && lowest > bracket_first_ &&
        highest <= bracket_first_ + bracket_values_.size()) {
        return true;
    }
    std::vector<double> sample(RankBracket::kSample);
    SamplePositions positions(n);
    for (double& v : sample) {
        v = values_[positions.next()];
    }
    auto bracket = RankBracket::from_sample(std::move(sample), n, lowest, highest);
    if (!bracket) {
        return false;
    }
    bracket->add(values_);
    if (!bracket->holds(lowest, highest)) {
        return false;
    }
    bracket_first_ = bracket->below();
    bracket_values_ = bracket->take_inside();
    bracket_final_.clear();
    return true;
}

std::vector<double> RankSelector::at_ranks(const std::vector<std::size_t>& ranks_1based) {
    std::vector<double> out(ranks_1based.size(), 0.0);
    if (values_.empty() || ranks_1based.empty()) {
        return out;
    }
    const auto clamped = [&](std::size_t k) { return std::clamp<std::size_t>(k, 1, values_.size()); };
    const auto [lowest, highest] = std::minmax_element(ranks_1based.begin(), ranks_1based.end());
    if (values_.size() >= kBracketFrom && bracket(clamped(*lowest), clamped(*highest))) {
        for (std::size_t i = 0; i < ranks_1based.size(); ++i) {
            out[i] = select(bracket_values_, bracket_final_, clamped(ranks_1based[i]) - 1 - bracket_first_,
                            true);  // a bracket that holds has no NaN
        }
        return out;
    }
    at_rank(*highest);
    at_rank(*lowest);
    for (std::size_t i = 0; i < ranks_1based.size(); ++i) {
        out[i] = at_rank(ranks_1based[i]);
    }
    return out;
}

std::vector<double> values_at_ranks(std::vector<double>& values, const std::vector<std::size_t>& ranks) {
    RankSelector selector(std::move(values));
    auto out = selector.at_ranks(ranks);
    values = selector.take();
    return out;
}

double median_by_selection(std::vector<double>& values) {
    const std::size_t n = values.size();
    if (n == 0) {
        return 0.0;
    }
    if (n % 2 == 1) {
        return values_at_ranks(values, {n / 2 + 1})[0];
    }
    const auto v = values_at_ranks(values, {n / 2, n / 2 + 1});
    return 0.5 * (v[0] + v[1]);
}

std::pair<std::size_t, std::size_t> sen_ci_ranks(std::size_t n_pairs, double c) {
    const auto n = static_cast<double>(n_pairs);
    // std::nearbyint rounds half to even in the default rounding mode, like numpy.round.
    const double lo = std::nearbyint((n - c) / 2.0);
    const double hi = std::nearbyint((n + c) / 2.0) + 1.0;
    const auto clamp_rank = [&](double r) {
        if (r < 1.0) {
            return std::size_t{1};
        }
        if (r > n) {
            return n_pairs;
        }
        return static_cast<std::size_t>(r);
    };
    return {clamp_rank(lo), clamp_rank(hi)};
}

MedianInterval median_with_interval(
    std::size_t m, double c,
    const std::function<std::vector<double>(const std::vector<std::size_t>&)>& values_at) {
    const auto [lo, hi] = sen_ci_ranks(m, c);
    std::vector<std::size_t> ranks{lo, hi};
    if (m % 2 == 1) {
        ranks.push_back(m / 2 + 1);
    } else {
        ranks.push_back(m / 2);
        ranks.push_back(m / 2 + 1);
    }
    const auto v = values_at(ranks);
    return {m % 2 == 1 ? v[2] : 0.5 * (v[2] + v[3]), v[0], v[1]};
}

MedianInterval median_with_interval(std::vector<double>& values, double c) {
    RankSelector selector(std::move(values));
    const MedianInterval out = median_with_interval(
        selector.size(), c, [&](const std::vector<std::size_t>& ranks) { return selector.at_ranks(ranks); });
    values = selector.take();
    return out;
}

}  // namespace perfrunner::analysis::stats
