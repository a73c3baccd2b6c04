#include <gtest/gtest.h>

#include "fakes/harness.hpp"
#include "perfrunner/error.hpp"
#include "perfrunner/scenarios/sampler.hpp"

using namespace perfrunner;
using perfrunner::fakes::Harness;

namespace {

struct SamplerFixture : ::testing::Test {
    Harness h;
    model::RunResult run;
    model::ScenarioResult& scenario = run.scenarios.emplace_back();
    scenarios::ScenarioContext ctx{
        {h.clock, h.stop, h.metrics, h.stack, h.simulation, h.sink, h.progress}, h.config, run};
};

TEST_F(SamplerFixture, AnchoredScheduleTakesALateTickAtOnceAndDoesNotDrift) {
    // Every poll costs 0.1 s; poll 3 costs 5 s (ticks 4 and 5 are then late).
    h.metrics.poll_cost = [](long i) { return i == 3 ? 5.0 : 0.1; };
    scenarios::Sampler sampler(ctx, scenario);
    const double start = h.clock.now();
    EXPECT_EQ(sampler.collect(30.0, 2.0), scenarios::CollectEnd::completed);
    ASSERT_EQ(scenario.samples.size(), 15u);  // no tick lost
    const auto& s = scenario.samples;
    EXPECT_NEAR(s[2].timestamp - start, 4.1, 1e-6);
    EXPECT_NEAR(s[3].timestamp - start, 11.0, 1e-6);  // the slow poll
    EXPECT_NEAR(s[4].timestamp - start, 11.1, 1e-6);  // due at 8: taken at once
    EXPECT_NEAR(s[5].timestamp - start, 11.2, 1e-6);  // due at 10: taken at once
    for (std::size_t k = 6; k < s.size(); ++k) {
        EXPECT_NEAR(s[k].timestamp - start, 2.0 * static_cast<double>(k) + 0.1, 1e-6)
            << "tick " << k;  // no drift
    }
    EXPECT_NEAR(h.clock.now() - start, 30.0, 1e-6);
}

TEST_F(SamplerFixture, TimestampAndIsoComeFromOneClockRead) {
    scenarios::Sampler sampler(ctx, scenario);
    sampler.tick();
    const auto& s = scenario.samples.at(0);
    EXPECT_EQ(s.timestamp_iso, model::iso_utc(s.timestamp));
    EXPECT_EQ(s.timestamp_iso.back(), 'Z');
}

TEST_F(SamplerFixture, FailedPollIsAGapAndMissingContainersAreMarked) {
    int n = 0;
    h.metrics.script = [&](double) {
        ports::MetricsReading m;
        if (n++ == 0) {
            m.ok = false;
            m.error = "connection refused";
            return m;
        }
        m.ok = true;
        m.containers = {fakes::reading("rideshare-simulation", 10, 5)};
        m.missing = {"rideshare-kafka"};
        return m;
    };
    scenarios::Sampler sampler(ctx, scenario);
    sampler.tick();
    sampler.tick();
    ASSERT_EQ(scenario.samples.size(), 2u);
    EXPECT_TRUE(scenario.samples[0].containers.empty());
    ASSERT_TRUE(scenario.samples[0].error.has_value());
    EXPECT_NE(scenario.samples[0].error->find("connection refused"), std::string::npos);
    ASSERT_EQ(scenario.samples[1].containers.size(), 2u);
    EXPECT_FALSE(scenario.samples[1].containers[0].missing);
    EXPECT_TRUE(scenario.samples[1].containers[1].missing);
    EXPECT_EQ(run.container_name(scenario.samples[1].containers[1].container), "rideshare-kafka");
}

TEST_F(SamplerFixture, PaceRecordsAchievedSpeedRealTimeRatioAndLatency) {
    h.simulation.pace = [](int) { return 0.5; };
    h.simulation.speed = 4;
    h.simulation.state = "running";
    scenarios::Sampler sampler(ctx, scenario);
    sampler.set_read_status(true);
    sampler.collect(10.0, 2.0);
    ASSERT_EQ(scenario.samples.size(), 5u);
    EXPECT_FALSE(scenario.samples[0].pace->achieved_speed.has_value());  // no previous simulated time
    const auto& p = *scenario.samples[3].pace;
    ASSERT_TRUE(p.achieved_speed && p.real_time_ratio);
    EXPECT_NEAR(*p.achieved_speed, 2.0, 1e-6);
    EXPECT_NEAR(*p.real_time_ratio, 0.5, 1e-6);
    EXPECT_DOUBLE_EQ(*p.status_latency_ms, 3.0);
    EXPECT_EQ(*p.state, "running");
}

TEST_F(SamplerFixture, StatusFailuresAreRecordedAndOnlyARunOfThemAborts) {
    h.simulation.state = "running";
    scenarios::Sampler sampler(ctx, scenario);
    sampler.set_read_status(true);
    h.simulation.fail_status_calls = scenarios::kMaxConsecutiveStatusFailures - 1;
    for (int i = 0; i < scenarios::kMaxConsecutiveStatusFailures; ++i) {
        sampler.tick();
    }
    EXPECT_TRUE(scenario.samples[0].error.has_value());
    EXPECT_FALSE(scenario.samples.back().error.has_value());
    h.simulation.fail_status_calls = scenarios::kMaxConsecutiveStatusFailures;
    for (int i = 0; i < scenarios::kMaxConsecutiveStatusFailures - 1; ++i) {
        sampler.tick();
    }
    EXPECT_THROW(sampler.tick(), RuntimeFailure);
    EXPECT_EQ(scenario.samples.size(),
              2u * scenarios::kMaxConsecutiveStatusFailures);  // the failing one is kept
}

TEST_F(SamplerFixture, ChecksOomOnEveryTickAndEndsCollection) {
    h.stack.schedule_oom("rideshare-kafka", h.t0() + 7.0);
    scenarios::Sampler sampler(ctx, scenario);
    EXPECT_EQ(sampler.collect(30.0, 2.0), scenarios::CollectEnd::oom);
    EXPECT_EQ(h.stack.oom_polls, 5);  // ticks at 0, 2, 4, 6, 8
    ASSERT_EQ(scenario.oom_events.size(), 1u);
    EXPECT_EQ(sampler.oom_reason(), "OOM detected in: rideshare-kafka");
}

TEST_F(SamplerFixture, RecordsEverySampleOnceAsCompletedAndNoWholeRunRewrites) {
    run.scenarios.emplace_back();  // the sampled scenario is the first of two
    model::ScenarioResult& first = run.scenarios.front();
    scenarios::Sampler sampler(ctx, first);
    sampler.collect(30.0, 2.0);  // 15 samples
    long k = 0;
    sampler.tick([&](model::Sample& s) { s.agents_queued = model::AgentsQueued{++k, 0, k}; });
    ASSERT_EQ(h.sink.recorded.size(), 16u);
    EXPECT_EQ(h.sink.sample_scenarios, std::vector<std::size_t>(16, 0u));
    EXPECT_EQ(h.sink.recorded.back().timestamp, first.samples.back().timestamp);
    ASSERT_TRUE(h.sink.recorded.back().agents_queued.has_value());  // completed before it was recorded
    EXPECT_EQ(h.sink.recorded.back().agents_queued->drivers, 1);
    EXPECT_TRUE(h.sink.sample_counts.empty());  // no state record without a phase change or an event
}

TEST_F(SamplerFixture, AnOomEventIsRecordedAtOnce) {
    h.stack.schedule_oom("rideshare-kafka", h.t0() + 7.0);
    scenarios::Sampler sampler(ctx, scenario);
    EXPECT_EQ(sampler.collect(30.0, 2.0), scenarios::CollectEnd::oom);
    ASSERT_EQ(h.sink.sample_counts.size(), 1u);
    EXPECT_EQ(h.sink.last.scenarios.front().oom_events.size(), 1u);
}

TEST_F(SamplerFixture, StopRequestEndsCollection) {
    h.clock.stop_at(h.t0() + 9.0);
    scenarios::Sampler sampler(ctx, scenario);
    EXPECT_EQ(sampler.collect(30.0, 2.0), scenarios::CollectEnd::stopped);
    EXPECT_EQ(scenario.samples.size(), 5u);
}

}  // namespace

namespace {

TEST_F(SamplerFixture, OomOfAContainerOutsideTheCatalogueIsIgnored) {
    h.stack.schedule_oom("someone-elses-test-container", h.t0() + 3.0);
    scenarios::Sampler sampler(ctx, scenario);
    EXPECT_EQ(sampler.collect(10.0, 2.0), scenarios::CollectEnd::completed);
    EXPECT_TRUE(scenario.oom_events.empty());
    EXPECT_FALSE(sampler.oom_seen());
}

}  // namespace

namespace {

TEST_F(SamplerFixture, OomWatchNotesGoIntoTheScenarioAndAreRecordedAtOnce) {
    scenarios::Sampler sampler(ctx, scenario);
    sampler.tick();
    EXPECT_TRUE(h.sink.sample_counts.empty());
    h.stack.notes = {"docker events stream ended (killed by signal 9); restarting it"};
    sampler.tick();
    sampler.tick();  // taken once
    ASSERT_TRUE(scenario.extra.contains("oom_watch_notes"));
    const auto& notes = scenario.extra["oom_watch_notes"];
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_EQ(notes[0]["note"], "docker events stream ended (killed by signal 9); restarting it");
    EXPECT_EQ(notes[0]["timestamp_iso"], scenario.samples[1].timestamp_iso);
    ASSERT_EQ(h.sink.sample_counts.size(), 1u);  // a state record at once, like an OOM event
    EXPECT_EQ(h.sink.last.scenarios.front().extra["oom_watch_notes"].size(), 1u);
}

}  // namespace

namespace {

std::vector<double> seconds_since(const std::vector<model::Sample>& samples, double start, bool backfilled) {
    std::vector<double> out;
    for (const auto& s : samples) {
        if (s.backfilled == backfilled) {
            out.push_back(s.timestamp - start);
        }
    }
    return out;
}

}  // namespace

TEST_F(SamplerFixture, PausedTicksAreBackfilledFromTheSourcesHistoryInTimeOrder) {
    // Poll 3 (due at 6) takes 9 s, as if perfrunner were paused: the ticks due at 8-14 are then taken at once
    // at 15, and 6-12 have no sample within half an interval.
    h.metrics.poll_cost = [](long i) { return i == 3 ? 9.0 : 0.0; };
    h.metrics.has_history = true;
    scenarios::Sampler sampler(ctx, scenario);
    const double start = h.clock.now();
    EXPECT_EQ(sampler.collect(20.0, 2.0), scenarios::CollectEnd::completed);
    ASSERT_EQ(h.metrics.backfill_calls.size(), 1u);
    EXPECT_NEAR(h.metrics.backfill_calls[0][0] - start, 6.0, 1e-6);   // after the tick at 4
    EXPECT_NEAR(h.metrics.backfill_calls[0][1] - start, 14.0, 1e-6);  // half an interval before the one at 15
    EXPECT_DOUBLE_EQ(h.metrics.backfill_calls[0][2], 2.0);
    const auto filled = seconds_since(scenario.samples, start, true);
    ASSERT_EQ(filled.size(), 4u);  // 6 8 10 12 (14 is near the late tick at 15)
    EXPECT_NEAR(filled[0], 6.0, 1e-6);
    EXPECT_NEAR(filled[3], 12.0, 1e-6);
    for (std::size_t i = 1; i < scenario.samples.size(); ++i) {
        EXPECT_LE(scenario.samples[i - 1].timestamp, scenario.samples[i].timestamp) << i;
    }
    for (const auto& s : scenario.samples) {
        if (s.backfilled) {
            EXPECT_EQ(s.containers.size(), 2u);
            EXPECT_FALSE(s.pace.has_value());
            EXPECT_EQ(s.timestamp_iso, model::iso_utc(s.timestamp));
        }
    }
    // Every sample reached the sink: the ticks as taken, the backfilled ones after them.
    EXPECT_EQ(h.sink.recorded.size(), scenario.samples.size());
    EXPECT_TRUE(h.sink.recorded.back().backfilled);
}

TEST_F(SamplerFixture, FailedPollsAreBackfilledBesideTheErrorSamples) {
    h.metrics.has_history = true;
    h.metrics.script = [](double) {
        ports::MetricsReading m;
        m.ok = true;
        m.containers = {fakes::reading("rideshare-simulation", 10, 5)};
        return m;
    };
    auto history = h.metrics.script;
    long polls = 0;
    h.metrics.script = [&polls, history](double t) {
        ++polls;
        if (polls >= 3 && polls <= 5) {  // the live polls of ticks 2-4 fail
            ports::MetricsReading m;
            m.error = "timeout";
            return m;
        }
        return history(t);
    };
    scenarios::Sampler sampler(ctx, scenario);
    const double start = h.clock.now();
    sampler.collect(12.0, 2.0);
    // Live polls 1-6 (ticks at 0..10); the backfill's own reads of the script count too, so compare times.
    EXPECT_EQ(seconds_since(scenario.samples, start, true), (std::vector<double>{4.0, 6.0, 8.0}));
    std::size_t errors = 0;
    for (const auto& s : scenario.samples) {
        errors += s.error.has_value() ? 1 : 0;
    }
    EXPECT_EQ(errors, 3u);  // the failures stay on record
}

TEST_F(SamplerFixture, NoHistoryOrAStopMeansNoBackfill) {
    h.metrics.poll_cost = [](long i) { return i == 2 ? 7.0 : 0.0; };
    {
        scenarios::Sampler sampler(ctx, scenario);
        sampler.collect(16.0, 2.0);
        EXPECT_EQ(h.metrics.backfill_calls.size(),
                  1u);  // asked, but a source without history answers nothing
        EXPECT_TRUE(seconds_since(scenario.samples, 0.0, true).empty());
    }
    h.metrics.has_history = true;
    h.metrics.backfill_calls.clear();
    h.clock.stop_at(h.clock.now() + 12.0);
    scenarios::Sampler sampler(ctx, scenario);
    EXPECT_EQ(sampler.collect(30.0, 2.0), scenarios::CollectEnd::stopped);
    EXPECT_TRUE(h.metrics.backfill_calls.empty());
}

TEST_F(SamplerFixture, ThroughputIsRecordedBesideTheStatusAndAFailureIsANullNotAGap) {
    h.simulation.state = "running";
    h.simulation.drivers_live = 30;
    h.simulation.riders_live = 20;
    h.simulation.throughput = [](long agents) {
        return std::optional<double>(2.0 * static_cast<double>(agents));
    };
    scenarios::Sampler sampler(ctx, scenario);
    sampler.set_read_status(true);
    sampler.tick();
    h.simulation.fail_performance_calls = 2;
    sampler.tick();
    sampler.tick();
    h.simulation.throughput = [](long) { return std::optional<double>(); };  // the figure is missing
    sampler.tick();
    ASSERT_EQ(scenario.samples.size(), 4u);
    EXPECT_EQ(scenario.samples[0].pace->events_per_sec, std::optional<double>(100.0));
    for (std::size_t i = 1; i < 4; ++i) {
        const auto& s = scenario.samples[i];
        ASSERT_TRUE(s.pace.has_value());
        EXPECT_FALSE(s.pace->events_per_sec.has_value());
        EXPECT_EQ(s.pace->extra_json, model::PaceSample::kNoThroughput);  // written as null
        EXPECT_TRUE(s.pace->status_latency_ms.has_value());               // the status still counts
        EXPECT_FALSE(s.error.has_value());
    }
    EXPECT_EQ(h.simulation.count("performance"), 4);
}

TEST_F(SamplerFixture, ThroughputFromTheMetricsSourceNeedsNoApiCall) {
    // The Prometheus source reads sum(rate(simulation_events_total)) in its tick query; a NaN rate (series
    // present, no rate yet) is a null, and a tick whose source has no such series asks the API.
    h.simulation.state = "running";
    h.simulation.throughput = [](long) { return std::optional<double>(7.0); };
    long poll = 0;
    h.metrics.script = [&poll](double) {
        ports::MetricsReading m;
        m.ok = true;
        m.containers = {fakes::reading("rideshare-simulation", 20.0, 10.0)};
        const long k = poll++;
        m.events_per_sec = k == 0   ? std::optional<double>(42.5)
                           : k == 1 ? std::optional<double>(std::nan(""))
                                    : std::nullopt;
        return m;
    };
    scenarios::Sampler sampler(ctx, scenario);
    sampler.set_read_status(true);
    sampler.tick();
    sampler.tick();
    sampler.tick();
    ASSERT_EQ(scenario.samples.size(), 3u);
    EXPECT_EQ(scenario.samples[0].pace->events_per_sec, std::optional<double>(42.5));
    EXPECT_FALSE(scenario.samples[1].pace->events_per_sec.has_value());
    EXPECT_EQ(scenario.samples[1].pace->extra_json, model::PaceSample::kNoThroughput);
    EXPECT_EQ(scenario.samples[2].pace->events_per_sec, std::optional<double>(7.0));
    EXPECT_EQ(h.simulation.count("performance"), 1);  // only the tick without the source's figure
}

TEST_F(SamplerFixture, NoThroughputCallWhenTheStatusCallFailed) {
    h.simulation.state = "running";
    h.simulation.fail_status_calls = 1;
    scenarios::Sampler sampler(ctx, scenario);
    sampler.set_read_status(true);
    sampler.tick();
    EXPECT_EQ(h.simulation.count("performance"), 0);
    EXPECT_FALSE(scenario.samples[0].pace.has_value());
}

TEST_F(SamplerFixture, OnSeveralHostsASampleKeepsTheFirstDockerHostsMachineFigures) {
    h.config.docker.hosts = {"main=unix:///run/main.sock", "edge=unix:///run/edge.sock"};
    // A Prometheus source lists hosts by label ("edge" before "main"), its `host` the first of them.
    h.metrics.script = [](double) {
        ports::MetricsReading m;
        m.ok = true;
        m.containers = {fakes::reading("rideshare-simulation", 10, 5)};
        m.containers[0].host = "main";
        ports::HostReading edge;
        edge.name = "edge";
        edge.cpu_percent = 180.0;
        edge.num_cores = 4;
        ports::HostReading main;
        main.name = "main";
        main.cpu_percent = 20.0;
        main.num_cores = 2;
        m.hosts = {edge, main};
        m.host = edge;
        return m;
    };
    scenarios::Sampler sampler(ctx, scenario);
    sampler.tick();
    ASSERT_TRUE(scenario.samples.at(0).host.has_value());
    EXPECT_EQ(scenario.samples[0].host->num_cores, 2);
    EXPECT_EQ(scenario.samples[0].host->cpu_percent, 20.0);
}
