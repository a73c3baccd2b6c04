#include "perfrunner/analysis/stress_step_size.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace perfrunner::analysis {
namespace {

// Share of the predicted distance to the nearest threshold taken in one step: the level after it is still
// a quarter of the distance short of the threshold when the prediction holds.
constexpr double kStepFraction = 0.75;

std::optional<double> mean_of(const std::vector<double>& v) {
    if (v.empty()) {
        return std::nullopt;
    }
    return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

const ThresholdShare* find_share(const JudgedLevel& level, const ThresholdShare& like) {
    const auto it = std::find_if(level.shares.begin(), level.shares.end(), [&](const ThresholdShare& s) {
        return s.container == like.container && s.metric == like.metric;
    });
    return it == level.shares.end() ? nullptr : &*it;
}

// Share per agent between two levels (0 when the load did not grow).
double slope_between(const JudgedLevel& from, double from_share, const JudgedLevel& to, double to_share) {
    const long dn = to.load - from.load;
    return dn > 0 ? (to_share - from_share) / static_cast<double>(dn) : 0.0;
}

}  // namespace

std::vector<ThresholdShare> threshold_shares(const StressWindow& window, const StressRuleSettings& settings) {
    std::vector<ThresholdShare> out;
    for (const auto& c : window.containers) {
        if (const auto m = mean_of(c.memory_percent); m && settings.memory_threshold_percent > 0) {
            out.push_back({c.container, "memory", *m / settings.memory_threshold_percent});
        }
        const double cores = c.cpu_cores > 0 ? c.cpu_cores : 1.0;
        if (const auto m = mean_of(c.cpu_percent); m && settings.cpu_threshold_percent > 0) {
            out.push_back({c.container, "cpu", *m / (settings.cpu_threshold_percent * cores)});
        }
    }
    if (const auto m = mean_of(window.host_cpu_percent); m && settings.host_cpu_threshold_percent > 0) {
        out.push_back({"host", "cpu", *m / settings.host_cpu_threshold_percent});
    }
    return out;
}

long next_step_increment(const std::vector<JudgedLevel>& levels, long batch, long max_step) {
    batch = std::max(batch, 1L);
    max_step = std::max(max_step, batch);
    if (levels.empty()) {
        return batch;
    }
    const JudgedLevel& last = levels.back();
    double distance = std::numeric_limits<double>::infinity();  // agents to the nearest threshold
    for (const auto& s : last.shares) {
        double slope = 0.0;
        if (levels.size() == 1) {
            slope = last.load > 0 ? s.share / static_cast<double>(last.load) : 0.0;
        } else {
            if (const auto* prev = find_share(levels[levels.size() - 2], s)) {
                slope = slope_between(levels[levels.size() - 2], prev->share, last, s.share);
            }
            if (const auto* first = find_share(levels.front(), s)) {
                slope = std::max(slope, slope_between(levels.front(), first->share, last, s.share));
            }
        }
        if (slope > 0.0) {
            distance = std::min(distance, std::max(0.0, 1.0 - s.share) / slope);
        }
    }
    if (!std::isfinite(distance)) {
        return max_step;
    }
    const double wanted = std::floor(kStepFraction * distance / static_cast<double>(batch));
    const long max_batches = max_step / batch;  // whole batches
    const double capped = std::min(wanted, static_cast<double>(max_batches));
    return std::max(1L, static_cast<long>(capped)) * batch;
}

std::vector<model::LevelWindowMean> level_window_means(const StressWindow& window) {
    std::vector<model::LevelWindowMean> out;
    out.reserve(window.containers.size());
    for (const auto& c : window.containers) {
        model::LevelWindowMean w;
        w.container = c.container;
        w.memory_percent = mean_of(c.memory_percent).value_or(0.0);
        if (const auto m = mean_of(c.cpu_percent)) {
            const double cores = c.cpu_cores > 0 ? c.cpu_cores : 1.0;
            w.cpu_percent_of_cores = *m / cores;
        }
        out.push_back(std::move(w));
    }
    return out;
}

}  // namespace perfrunner::analysis
