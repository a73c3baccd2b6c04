#pragma once
// Selection of order statistics without a full sort (nth_element), and the rank rule shared by Sen's slope CI
// and the Hodges–Lehmann CI (statistics.md §3, §9).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace perfrunner::analysis::stats {

// std::nth_element(values.begin(), values.begin() + k, values.end()) for values the caller knows hold no
// NaN, by a branch-free partition (order_statistics.cpp says why). k < values.size().
void nth_element_without_nan(std::span<double> values, std::size_t k);

// The values that very probably hold the ranks [lowest, highest] of a large multiset, found in one read-only
// pass, so that a selection runs on a few thousand values instead of all of them. Why: nth_element over all N
// values costs a few passes that move values for every rank asked; the ranks asked together (a median and its
// interval) lie close. A sorted random sample of the values gives values a and b that very probably enclose
// those ranks with a margin; the pass counts the values below a and keeps those in [a, b]. The values need
// not be stored: Sen's pairwise slopes are computed on the fly (PairwiseSlopes).
class RankBracket {
  public:
    static constexpr std::size_t kSample = 4096;
    // From a random sample of the n values (SamplePositions); nullopt when the sample holds a NaN (no order
    // to select by).
    static std::optional<RankBracket> from_sample(std::vector<double> sample, std::size_t n,
                                                  std::size_t lowest, std::size_t highest);
    // Some of the values (a stretch of a vector, or one row of pairwise slopes).
    void add(std::span<const double> values);
    // After every value was added: whether ranks [lowest, highest] lie among the values kept (a sample that
    // missed, or a NaN, answers false: then the plain selection answers).
    bool holds(std::size_t lowest_1based, std::size_t highest_1based) const {
        return !nan_ && below_ < lowest_1based && below_ + inside_.size() >= highest_1based;
    }
    std::size_t below() const { return below_; }  // the kept values have ranks below() + 1 …
    std::vector<double> take_inside() { return std::move(inside_); }

  private:
    double lower_ = 0.0, upper_ = 0.0;
    std::size_t below_ = 0;
    std::vector<double> inside_;
    std::vector<double> kept_chunk_;  // add()'s scratch: a chunk of the values, the kept ones first
    bool nan_ = false;
};

// Positions in [0, n) for a RankBracket's sample, from a fixed-seed splitmix64. Why not an even stride: one
// aliases with a periodic series (a sawtooth, pairwise slopes in (i, j) order) and the bracket then misses,
// which costs a pass for nothing. The seed is fixed so that the same values cost the same work; the values
// selected never depend on the sample, only whether the bracket holds them.
class SamplePositions {
  public:
    explicit SamplePositions(std::size_t n) : n_(n) {}
    std::size_t next() {
        state_ += 0x9E3779B97F4A7C15ULL;
        std::uint64_t z = state_;
        z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
        return static_cast<std::size_t>((z ^ (z >> 31U)) % n_);
    }

  private:
    std::size_t n_;
    std::uint64_t state_ = 0x9E3779B97F4A7C15ULL;
};

// Order statistics of one vector, selected one rank at a time; every selection leaves its position final
// (all before it ≤, all after it ≥), so a later rank only partitions the stretch between the two nearest
// final positions. Several intervals of one median (the leak rule's three Sen intervals) then cost about
// two passes over the values instead of several each. Values are exact: only the work depends on the order
// of the requests.
class RankSelector {
  public:
    explicit RankSelector(std::vector<double> values);
    std::size_t size() const { return values_.size(); }
    // The value of 1-based rank k, clamped to [1, N]. Not empty.
    double at_rank(std::size_t k_1based);
    // Values at several ranks; the highest is selected first, then the lowest, so the rest lie in between.
    // Many values (Sen's 500,000 pairwise slopes): the ranks are first bracketed (bracketed_ranks), so the
    // selection runs on the few thousand values that can hold them.
    std::vector<double> at_ranks(const std::vector<std::size_t>& ranks_1based);
    std::vector<double> take() { return std::move(values_); }  // the values, reordered

    // Below this many values a bracket saves less than its pass costs.
    static constexpr std::size_t kBracketFrom = 1U << 16;

  private:
    // The values whose ranks are `bracket_first_ + 1 …` (a sub-selector, see RankBracket), or false when
    // no bracket holding ranks [lowest, highest] could be built: then the plain selection answers.
    bool bracket(std::size_t lowest_1based, std::size_t highest_1based);

    std::vector<double> values_;
    bool nan_free_ = true;            // whether the branch-free selection may run on values_
    std::vector<std::size_t> final_;  // sorted 0-based positions already selected
    std::vector<double> bracket_values_;
    std::vector<std::size_t> bracket_final_;
    std::size_t bracket_first_ = 0;  // how many values lie below the bracket
};

// Values at the given 1-based ranks of `values` (reordered in place). Ranks are clamped to [1, N].
std::vector<double> values_at_ranks(std::vector<double>& values,
                                    const std::vector<std::size_t>& ranks_1based);

// Median via selection (mean of the two middle values for even N). values non-empty, reordered.
double median_by_selection(std::vector<double>& values);

// 1-based ranks (lower, upper) of the distribution-free CI: round((N − C)/2) and round((N + C)/2) + 1, with
// numpy's round-half-to-even, clamped to [1, N]. C = z·sqrt(variance).
std::pair<std::size_t, std::size_t> sen_ci_ranks(std::size_t n_pairs, double c);

// The median of `values` and its distribution-free interval (sen_ci_ranks with C = c), found in one
// selection pass. Shared by the Theil–Sen slope and the Hodges–Lehmann shift. values non-empty, reordered.
struct MedianInterval {
    double median = 0.0;
    double lower = 0.0;
    double upper = 0.0;
};
MedianInterval median_with_interval(std::vector<double>& values, double c);
// The same for m values reached through `values_at` (1-based ranks → their values), which may keep what
// earlier selections found (another c costs little).
MedianInterval median_with_interval(
    std::size_t m, double c,
    const std::function<std::vector<double>(const std::vector<std::size_t>&)>& values_at);

}  // namespace perfrunner::analysis::stats
