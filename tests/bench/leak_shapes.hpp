#pragma once
// Synthetic memory series for the leak accuracy benchmark (statistics.md §8 noise models plus the two shapes
// of issue 10 point 6). Each generator draws from the caller's seeded engine only, in a fixed order, so a
// cell's figures depend on its seed alone.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <random>
#include <vector>

namespace perfrunner::bench {

// The first five are statistics.md §8's models; `spikes` and `jump` were added later. Keep the order: a
// shape's numeric value is part of its cells' seeds.
enum class Noise { white, ar1, fast_gc, slow_gc, warmup, spikes, jump };

inline const char* noise_name(Noise n) {
    switch (n) {
        case Noise::white:
            return "white s2";
        case Noise::ar1:
            return "AR(1) .9";
        case Noise::fast_gc:
            return "GC 30s/12MB";
        case Noise::slow_gc:
            return "GC 120s/40MB";
        case Noise::warmup:
            return "warm-up 30MB";
        case Noise::spikes:
            return "spikes 20-60";
        case Noise::jump:
            return "jump 20-40MB";
    }
    return "?";
}

constexpr double kInterval = 2.0;  // seconds
constexpr double kBase = 500.0;    // MB

// Occasional short allocation spikes: each sample starts a spike with probability 3 % (about 4 per 5
// minutes); a spike lasts 1 or 2 samples (2-4 s) and adds 20-60 MB, then the memory is freed again. White
// noise σ 2 MB underneath.
constexpr double kSpikeProbability = 0.03;
// A one-time jump of retained memory (a cache or pool filled once): 20-40 MB, filled over 3 samples (6 s),
// starting at a uniformly drawn time in the middle half of the phase (25 %-75 %), kept to the end. White
// noise σ 2 MB underneath.

inline std::vector<double> generate(Noise noise, double leak_mb_per_min, std::size_t n,
                                    std::mt19937_64& rng) {
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::vector<double> y(n);
    const double phase = uniform(rng);
    double ar = 2.0 * normal(rng);  // AR(1) starts in its stationary distribution (marginal σ 2)
    // Shape parameters drawn once per series (only for the shapes that use them, so that the statistics.md §8
    // models draw exactly what they always drew).
    double jump_height = 0, jump_start = 0;
    if (noise == Noise::jump) {
        jump_height = 20.0 + 20.0 * uniform(rng);
        jump_start = (0.25 + 0.5 * uniform(rng)) * static_cast<double>(n) * kInterval;
    }
    int spike_left = 0;
    double spike_height = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double t = static_cast<double>(i) * kInterval;  // seconds
        double v = kBase + leak_mb_per_min * t / 60.0;
        switch (noise) {
            case Noise::white:
                v += 2.0 * normal(rng);
                break;
            case Noise::ar1:
                if (i > 0) {
                    ar = 0.9 * ar + 2.0 * std::sqrt(1.0 - 0.81) * normal(rng);
                }
                v += ar;
                break;
            case Noise::fast_gc: {
                const double x = t / 30.0 + phase;
                v += 12.0 * (x - std::floor(x)) + normal(rng);
                break;
            }
            case Noise::slow_gc: {
                const double x = t / 120.0 + phase;
                v += 40.0 * (x - std::floor(x)) + normal(rng);
                break;
            }
            case Noise::warmup:
                v += 30.0 * (1.0 - std::exp(-t / 60.0)) + 2.0 * normal(rng);
                break;
            case Noise::spikes:
                if (spike_left == 0 && uniform(rng) < kSpikeProbability) {
                    spike_left = uniform(rng) < 0.5 ? 1 : 2;
                    spike_height = 20.0 + 40.0 * uniform(rng);
                }
                if (spike_left > 0) {
                    v += spike_height;
                    --spike_left;
                }
                v += 2.0 * normal(rng);
                break;
            case Noise::jump: {
                const double fill = std::clamp((t - jump_start) / (3.0 * kInterval), 0.0, 1.0);
                v += jump_height * fill + 2.0 * normal(rng);
                break;
            }
        }
        y[i] = v;
    }
    return y;
}

}  // namespace perfrunner::bench
