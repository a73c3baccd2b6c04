#pragma once
// Selection of order statistics without a full sort (nth_element), and the rank rule shared by Sen's slope CI
// and the Hodges–Lehmann CI (statistics.md §3, §9).
#include <cstddef>
#include <utility>
#include <vector>

namespace perfrunner::analysis::stats {

// Order statistics of one vector, selected one rank at a time; every selection leaves its position final
// (all before it ≤, all after it ≥), so a later rank only partitions the stretch between the two nearest
// final positions. Several intervals of one median (the leak rule's three Sen intervals) then cost about
// two passes over the values instead of several each. Values are exact: only the work depends on the order
// of the requests.
class RankSelector {
  public:
    explicit RankSelector(std::vector<double> values) : values_(std::move(values)) {}
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
    // The values whose ranks are `bracket_first_ + 1 …` (a sub-selector), or false when no bracket holding
    // ranks [lowest, highest] could be built (NaN among the values, or the sample missed): then the plain
    // selection answers.
    bool bracket(std::size_t lowest_1based, std::size_t highest_1based);

    std::vector<double> values_;
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
// The same on a selector, which keeps what earlier selections found (another c costs little).
MedianInterval median_with_interval(RankSelector& values, double c);

}  // namespace perfrunner::analysis::stats
