// make_metrics_source: `metrics.source` picks the adapter; the Prometheus options come from `metrics.*` and
// the same catalogue filter as the cAdvisor source's.
#include <gtest/gtest.h>

#include "perfrunner/adapters/cadvisor_sampler.hpp"
#include "perfrunner/adapters/metrics_source_factory.hpp"
#include "perfrunner/config/config.hpp"

namespace ad = perfrunner::adapters;
namespace cfg = perfrunner::config;

namespace {

cfg::Config load_with(std::vector<std::string> overrides) {
    cfg::LoadOptions o;
    o.set_overrides = std::move(overrides);
    return cfg::load(o);
}

}  // namespace

TEST(MetricsSourceFactory, DefaultIsCadvisor) {
    const auto config = load_with({});
    EXPECT_EQ(config.metrics.source, "cadvisor");
    const auto source = ad::make_metrics_source(config);
    EXPECT_NE(dynamic_cast<ad::CadvisorSampler*>(source.get()), nullptr);
}

TEST(MetricsSourceFactory, PrometheusSourceTakesItsKeysAndTheActiveCatalogue) {
    const auto config = load_with(
        {"metrics.source=prometheus", "metrics.prometheus_url=http://127.0.0.1:19090",
         "metrics.prometheus_timeout=7", "metrics.labels=kubernetes", "metrics.host_label=node",
         "metrics.rate_window_seconds=12", "docker.profiles=[\"core\"]", "docker.project_name=shop"});
    const auto source = ad::make_metrics_source(config);
    auto* prometheus = dynamic_cast<ad::PrometheusSampler*>(source.get());
    ASSERT_NE(prometheus, nullptr);
    const auto& o = prometheus->options();
    EXPECT_EQ(o.client.base_url, "http://127.0.0.1:19090");
    EXPECT_DOUBLE_EQ(o.client.timeout_seconds, 7.0);
    EXPECT_EQ(o.labels.scheme, ad::prometheus::LabelScheme::kubernetes);
    EXPECT_EQ(o.labels.host_label, "node");
    EXPECT_DOUBLE_EQ(o.window_seconds, 12.0);
    EXPECT_EQ(o.compose_project, "shop");
    // Both sources sample the same containers: those of the active profiles.
    const auto cadvisor = ad::CadvisorSampler::options_from(config);
    ASSERT_EQ(o.containers.size(), cadvisor.containers.size());
    ASSERT_FALSE(o.containers.empty());
    EXPECT_LT(o.containers.size(), config.containers.size());
    for (std::size_t i = 0; i < o.containers.size(); ++i) {
        EXPECT_EQ(o.containers[i].name, cadvisor.containers[i].name);
    }
}
