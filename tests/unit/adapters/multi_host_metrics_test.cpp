// MultiHostMetrics: one source per Docker host read as one (scripted sources of the fakes).
#include <gtest/gtest.h>

#include <cmath>

#include "fakes/fake_metrics.hpp"
#include "perfrunner/adapters/multi_host_metrics.hpp"

namespace ad = perfrunner::adapters;
namespace fk = perfrunner::fakes;
namespace ports = perfrunner::ports;

TEST(MultiHostMetrics, TagsHostsKeepsSameNamesApartAndMissingMeansNowhere) {
    fk::VirtualClock clock;
    auto local = std::make_unique<fk::FakeMetricsSource>(clock);
    auto edge = std::make_unique<fk::FakeMetricsSource>(clock);
    local->script = [](double) {
        ports::MetricsReading m;
        m.ok = true;
        m.containers = {fk::reading("rideshare-kafka", 10, 5), fk::reading("rideshare-cadvisor", 5, 2)};
        m.missing = {"rideshare-simulation"};
        ports::HostReading h;
        h.num_cores = 2;
        m.host = h;
        return m;
    };
    edge->script = [](double) {
        ports::MetricsReading m;
        m.ok = true;
        m.containers = {fk::reading("rideshare-simulation", 50, 40), fk::reading("rideshare-cadvisor", 6, 3)};
        m.missing = {"rideshare-kafka"};
        return m;
    };
    auto* local_ptr = local.get();
    std::vector<ad::HostSource> sources;
    sources.push_back({"local", std::move(local)});
    sources.push_back({"edge", std::move(edge)});
    ad::MultiHostMetrics metrics(std::move(sources));
    const auto r = metrics.poll();
    EXPECT_TRUE(r.ok);
    EXPECT_TRUE(r.missing.empty());  // each container is on one host or the other
    ASSERT_EQ(r.containers.size(), 4U);
    int cadvisors = 0;
    for (const auto& c : r.containers) {
        if (c.name == "rideshare-cadvisor") {
            ++cadvisors;
        }
        EXPECT_EQ(c.host, c.name == "rideshare-simulation" ? "edge"
                          : c.name == "rideshare-kafka"    ? "local"
                                                           : c.host);
    }
    EXPECT_EQ(cadvisors, 2);
    ASSERT_EQ(r.hosts.size(), 1U);
    EXPECT_EQ(r.hosts[0].name, "local");
    metrics.reset_baselines();
    EXPECT_EQ(local_ptr->resets(), 1);
}

TEST(MultiHostMetrics, OneHostDownIsAPartialReadingAllDownIsAGap) {
    fk::VirtualClock clock;
    auto up = std::make_unique<fk::FakeMetricsSource>(clock);
    auto down = std::make_unique<fk::FakeMetricsSource>(clock);
    down->script = [](double) {
        ports::MetricsReading m;
        m.ok = false;
        m.error = "cadvisor: connection refused";
        return m;
    };
    auto* up_ptr = up.get();
    std::vector<ad::HostSource> sources;
    sources.push_back({"local", std::move(up)});
    sources.push_back({"edge", std::move(down)});
    ad::MultiHostMetrics metrics(std::move(sources));
    auto r = metrics.poll();
    EXPECT_TRUE(r.ok);
    EXPECT_EQ(r.error, "edge: cadvisor: connection refused");
    EXPECT_EQ(r.containers.size(), 2U);
    up_ptr->script = [](double) {
        ports::MetricsReading m;
        m.ok = false;
        m.error = "timeout";
        return m;
    };
    r = metrics.poll();
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.error, "local: timeout; edge: cadvisor: connection refused");
}

TEST(MultiHostMetrics, ThroughputComesFromTheSourceThatHasIt) {
    fk::VirtualClock clock;
    auto main = std::make_unique<fk::FakeMetricsSource>(clock);
    auto edge = std::make_unique<fk::FakeMetricsSource>(clock);
    auto* main_ptr = main.get();
    auto* edge_ptr = edge.get();
    // main has no simulation to scrape; edge does (its first tick: the series exists, no rate yet)
    edge->script = [](double) {
        ports::MetricsReading m;
        m.ok = true;
        m.events_per_sec = std::nan("");
        return m;
    };
    std::vector<ad::HostSource> sources;
    sources.push_back({"main", std::move(main)});
    sources.push_back({"edge", std::move(edge)});
    ad::MultiHostMetrics metrics(std::move(sources));
    auto r = metrics.poll();
    ASSERT_TRUE(r.events_per_sec.has_value());
    EXPECT_TRUE(std::isnan(*r.events_per_sec));
    edge_ptr->script = [](double) {
        ports::MetricsReading m;
        m.ok = true;
        m.events_per_sec = 412.5;
        return m;
    };
    r = metrics.poll();
    ASSERT_TRUE(r.events_per_sec.has_value());
    EXPECT_DOUBLE_EQ(*r.events_per_sec, 412.5);
    // a NaN on the first host does not hide the second host's figure
    main_ptr->script = [](double) {
        ports::MetricsReading m;
        m.ok = true;
        m.events_per_sec = std::nan("");
        return m;
    };
    r = metrics.poll();
    ASSERT_TRUE(r.events_per_sec.has_value());
    EXPECT_DOUBLE_EQ(*r.events_per_sec, 412.5);
}
