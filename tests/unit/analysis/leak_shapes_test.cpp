// Issue 10 points 5 and 6: the leak rule on shapes the statistics.md §8 models do not cover. Seeded synthetic
// series; each test states the verdict the rule must reach and would fail if the rule lost that behaviour.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "perfrunner/analysis/leak_rule.hpp"
#include "perfrunner/analysis/stats/spikes.hpp"

namespace pa = perfrunner::analysis;

namespace {

struct Series {
    std::vector<double> t, y;
};

// 2-s samples, `minutes` long: y = 500 + slope·t(min) + white noise σ + shape(t seconds).
template <class Shape>
Series make(double minutes, double slope, double sigma, unsigned seed, Shape shape) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    Series s;
    const auto n = static_cast<int>(minutes * 30);
    for (int i = 0; i < n; ++i) {
        const double t = 2.0 * i;
        s.t.push_back(1.8e9 + t);
        s.y.push_back(500 + slope * t / 60.0 + sigma * normal(rng) + shape(t, rng));
    }
    return s;
}

// Occasional short allocation spikes: a sample starts a 20-60 MB spike with probability 3 %, lasting 1-2
// samples.
struct Spikes {
    int left = 0;
    double height = 0;
    double operator()(double /*t*/, std::mt19937_64& rng) {
        std::uniform_real_distribution<double> u(0.0, 1.0);
        if (left == 0 && u(rng) < 0.03) {
            left = u(rng) < 0.5 ? 1 : 2;
            height = 20 + 40 * u(rng);
        }
        if (left == 0) return 0.0;
        --left;
        return height;
    }
};

pa::LeakRuleSettings settings() {
    pa::LeakRuleSettings s;
    s.limit = 1024;
    return s;
}

int count_verdict(const std::vector<pa::LeakAssessment>& as, const char* verdict) {
    return static_cast<int>(
        std::count_if(as.begin(), as.end(), [&](const auto& a) { return a.verdict == verdict; }));
}

}  // namespace

TEST(LeakSpikes, BurstsAreFlaggedStepsRampsAndDropsAreNot) {
    std::mt19937_64 rng(77);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::vector<double> y(60);
    for (auto& v : y) v = 100 + normal(rng);
    y[10] += 30;  // 1-sample burst
    y[30] += 25;
    y[31] += 25;  // 2-sample burst
    y[58] += 30;  // a burst at the end is still a burst
    const auto f = perfrunner::analysis::stats::upward_spikes(y, 10);
    EXPECT_TRUE(f[10]);
    EXPECT_TRUE(f[30] && f[31]);
    EXPECT_TRUE(f[58]);
    EXPECT_EQ(std::count(f.begin(), f.end(), true), 4);

    std::vector<double> step(60);  // a level kept from sample 30 on is not a burst
    for (std::size_t i = 0; i < step.size(); ++i) step[i] = 100 + (i >= 30 ? 30 : 0) + normal(rng);
    const auto fs = perfrunner::analysis::stats::upward_spikes(step, 10);
    EXPECT_EQ(std::count(fs.begin(), fs.end(), true), 0);

    std::vector<double> saw(90);  // GC sawtooth: 12 MB ramp over 15 samples, then a drop
    for (std::size_t i = 0; i < saw.size(); ++i)
        saw[i] = 500 + 0.8 * static_cast<double>(i % 15) + normal(rng);
    const auto fg = perfrunner::analysis::stats::upward_spikes(saw, 10);
    EXPECT_EQ(std::count(fg.begin(), fg.end(), true), 0);
}

TEST(LeakShapes, SpikesDoNotHideATwoMbPerMinuteLeak) {
    // 5-minute phases, 2 MB/min under white noise and spikes: the rule must say `leak` like it does for white
    // noise (benchmark: >= 95 %). Without the spike filter the OLS bound and the MDS are inflated and the
    // same series are mostly `suspect`.
    std::vector<pa::LeakAssessment> with, without;
    auto off = settings();
    off.spike_k = 0;
    for (unsigned seed = 100; seed < 140; ++seed) {
        const auto s = make(5, 2.0, 2.0, seed, Spikes{});
        with.push_back(pa::assess_leak(s.t, s.y, s.t.size(), settings()));
        without.push_back(pa::assess_leak(s.t, s.y, s.t.size(), off));
        EXPECT_NE(with.back().verdict, "ok") << with.back().to_json().dump();
    }
    EXPECT_GE(count_verdict(with, "leak"), 37) << "of 40";
    EXPECT_LE(count_verdict(without, "leak"), 32) << "of 40: the filter is what makes the difference";
    EXPECT_GT(with.front().spike_samples + with.back().spike_samples, 0u);
}

TEST(LeakShapes, SpikesWithoutALeakAreNotALeak) {
    for (unsigned seed = 200; seed < 240; ++seed) {
        const auto s = make(5, 0.0, 2.0, seed, Spikes{});
        const auto a = pa::assess_leak(s.t, s.y, s.t.size(), settings());
        EXPECT_NE(a.verdict, "leak") << a.to_json().dump();
    }
}

TEST(LeakShapes, OneTimeJumpOfRetainedMemoryIsNotALeak) {
    // A 20-40 MB cache filled once (over 6 s) somewhere in the middle half of the phase, no leak: 5 and 20
    // minutes. The seed's endpoint slope calls every one of these a leak.
    for (const double minutes : {5.0, 20.0}) {
        for (unsigned seed = 300; seed < 330; ++seed) {
            std::mt19937_64 shape_rng(seed * 7);
            std::uniform_real_distribution<double> u(0.0, 1.0);
            const double height = 20 + 20 * u(shape_rng);
            const double at = (0.25 + 0.5 * u(shape_rng)) * minutes * 60;
            const auto s = make(minutes, 0.0, 2.0, seed, [&](double t, std::mt19937_64&) {
                return height * std::clamp((t - at) / 6.0, 0.0, 1.0);
            });
            const auto a = pa::assess_leak(s.t, s.y, s.t.size(), settings());
            EXPECT_NE(a.verdict, "leak") << minutes << " min, seed " << seed << ": " << a.to_json().dump();
        }
    }
}

TEST(LeakShapes, GrossLeakOnAOneMinutePhaseIsALeak) {
    // Issue 10: 60 MB/min with a 1-minute active phase (30 samples at 2 s, 15 after the warm-up) is far
    // beyond what this phase's noise can fake; "too few samples" must not hide it.
    for (unsigned seed = 400; seed < 420; ++seed) {
        const auto s = make(1, 60.0, 2.0, seed, [](double, std::mt19937_64&) { return 0.0; });
        const auto a = pa::assess_leak(s.t, s.y, s.t.size(), settings());
        EXPECT_EQ(a.verdict, "leak") << a.to_json().dump();
        EXPECT_EQ(a.reason, "large_trend_above_threshold");
        EXPECT_TRUE(a.size_judged);
        EXPECT_EQ(a.overridden_reason, "too_few_samples");
        EXPECT_LT(a.n_used, 50u);
    }
}

TEST(LeakShapes, RealLeakAfterASpawnTransientDoesNotDependOnTheSteadyStateCheck) {
    // The end-to-end shape of issue 10: a 2-minute phase, agents still filling 40 MB (τ 20 s) at its start,
    // and a 20 MB/min leak allocated in whole 1-MB blocks. The steady-state check drops the transient, which
    // leaves fewer than min_samples; the leak is still called.
    for (unsigned seed = 500; seed < 520; ++seed) {
        auto s = make(2, 0.0, 0.5, seed, [](double t, std::mt19937_64&) {
            return 40 * (1 - std::exp(-(t + 5) / 20.0)) + std::floor(20.0 * t / 60.0);
        });
        const auto a = pa::assess_leak(s.t, s.y, s.t.size(), settings());
        EXPECT_EQ(a.verdict, "leak") << a.to_json().dump();
        EXPECT_NEAR(a.theil_sen.slope, 20.0, 3.0);
    }
}

TEST(LeakShapes, TransientStillBendingIsNeverASizeJudgedLeak) {
    // A cache still filling at the end of a 5-minute phase (200 MB, τ = 3 min: 67 MB/min at the start, 13 at
    // the end) bends throughout; the steady-state check cuts it again and again. Its last samples grow fast
    // and straight, but the phase showed it is not a constant leak.
    for (unsigned seed = 600; seed < 620; ++seed) {
        const auto s = make(5, 0.0, 0.5, seed,
                            [](double t, std::mt19937_64&) { return 200 * (1 - std::exp(-t / 180.0)); });
        const auto a = pa::assess_leak(s.t, s.y, s.t.size(), settings());
        EXPECT_NE(a.verdict, "leak") << a.to_json().dump();
        EXPECT_GT(a.settle_rounds, 1) << a.to_json().dump();
    }
}
