// Config: built-in defaults, layering, comments, fractions, redaction and every validation error.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "perfrunner/config/config.hpp"
#include "perfrunner/error.hpp"

using namespace perfrunner::config;
using ::testing::HasSubstr;

namespace {

namespace fs = std::filesystem;

// A config file in a fresh temp dir, removed at the end of the test.
struct TempConfig {
    fs::path dir;
    fs::path file;
    explicit TempConfig(const std::string& text) {
        dir = fs::temp_directory_path() / ("perfrunner-config-" + std::to_string(::getpid()) + "-" +
                                           ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir);
        file = dir / "perfrunner.json";
        std::ofstream(file) << text;
    }
    ~TempConfig() { fs::remove_all(dir); }
};

// Environment variables set for one test only.
struct ScopedEnv {
    std::string name;
    ScopedEnv(const char* n, const char* value) : name(n) { ::setenv(n, value, 1); }
    ~ScopedEnv() { ::unsetenv(name.c_str()); }
};

LoadOptions no_env() {
    LoadOptions o;
    o.read_environment = false;
    return o;
}

Config with_sets(std::vector<std::string> sets) {
    LoadOptions o = no_env();
    o.set_overrides = std::move(sets);
    return load(o);
}

std::string config_error(std::vector<std::string> sets) {
    try {
        with_sets(std::move(sets));
    } catch (const perfrunner::ConfigError& e) {
        EXPECT_EQ(e.code(), perfrunner::ExitCode::usage_error);
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(Defaults, HoldEveryReferenceDefault) {
    const Config c = defaults();
    EXPECT_EQ(c.api.base_url, "http://127.0.0.1:8000");
    EXPECT_EQ(c.api.api_key, "dev-api-key-change-in-production");
    EXPECT_EQ(c.api.timeout, 30.0);
    EXPECT_EQ(c.api.health_timeout, 5.0);
    EXPECT_EQ(c.api.max_retries, 3);
    EXPECT_EQ(c.docker.cadvisor_url, "http://127.0.0.1:8083");
    EXPECT_EQ(c.docker.compose_file, "infrastructure/docker/compose.yml");
    EXPECT_EQ(c.docker.profiles, (std::vector<std::string>{"core", "data-pipeline", "monitoring"}));
    EXPECT_EQ(c.docker.health_timeout_seconds, 600.0);
    EXPECT_EQ(c.sampling.interval_seconds, 2.0);
    EXPECT_EQ(c.sampling.drain_interval_seconds, 4.0);
    EXPECT_EQ(c.sampling.cooldown_interval_seconds, 8.0);
    EXPECT_EQ(c.sampling.warmup_seconds, 10.0);
    EXPECT_EQ(c.sampling.settle_seconds, 5.0);
    EXPECT_EQ(c.sampling.min_samples, 10);
    EXPECT_EQ(c.scenarios.duration_active_minutes, 5.0);
    EXPECT_EQ(c.scenarios.duration_cooldown_minutes, 10.0);
    EXPECT_EQ(c.scenarios.duration_drain_timeout_seconds, 600.0);
    EXPECT_EQ(c.scenarios.baseline_duration_seconds, 30.0);
    EXPECT_EQ(c.scenarios.stress_cpu_threshold_percent, 90.0);
    EXPECT_EQ(c.scenarios.stress_memory_threshold_percent, 90.0);
    EXPECT_EQ(c.scenarios.stress_rolling_window_seconds, 10.0);
    EXPECT_EQ(c.scenarios.stress_spawn_batch_size, 10);
    EXPECT_EQ(c.scenarios.stress_spawn_interval_seconds, 3.0);
    EXPECT_EQ(c.scenarios.stress_max_duration_minutes, 30.0);
    EXPECT_EQ(c.scenarios.speed_scaling_step_duration_minutes, 8.0);
    EXPECT_EQ(c.scenarios.speed_scaling_max_multiplier, 1024);
    EXPECT_EQ(c.scenarios.stress_rtr_floor, 0.67);
    EXPECT_EQ(c.scenarios.stress_breach_rule, "either");
    // Step mode with coarse steps and bisection is the default (issue 10); ramp is the reference's.
    EXPECT_EQ(c.scenarios.stress_mode, "step");
    EXPECT_EQ(c.scenarios.stress_k, 4);
    EXPECT_EQ(c.scenarios.stress_m, 5);
    EXPECT_TRUE(c.scenarios.stress_refine);
    EXPECT_EQ(c.scenarios.stress_refine_resolution, 10);
    EXPECT_EQ(c.scenarios.stress_max_step_batches, 10);
    EXPECT_EQ(c.scenarios.stress_settle_seconds, 10.0);
    EXPECT_EQ(c.scenarios.stress_window_samples, 5);
    EXPECT_EQ(c.thresholds.memory_leak_mb_per_min, 1.0);
    EXPECT_EQ(c.thresholds.memory_leak_monitor_mb_per_min, 0.5);
    EXPECT_EQ(c.thresholds.memory_warning_percent, 70.0);
    EXPECT_EQ(c.thresholds.memory_critical_percent, 85.0);
    EXPECT_EQ(c.thresholds.cpu_leak_percent_per_min, 5.0);
    EXPECT_EQ(c.thresholds.cpu_warning_percent, 70.0);
    EXPECT_EQ(c.thresholds.cpu_critical_percent, 85.0);
    EXPECT_TRUE(c.thresholds.container_overrides.empty());
    EXPECT_TRUE(c.analysis.focus_containers.empty());
    EXPECT_EQ(c.analysis.max_containers_per_chart, 10);
    EXPECT_EQ(c.analysis.priority_containers,
              (std::vector<std::string>{"rideshare-simulation", "rideshare-kafka", "rideshare-redis",
                                        "rideshare-osrm", "rideshare-stream-processor"}));
    EXPECT_EQ(c.analysis.leak_alpha, 0.05);
    EXPECT_EQ(c.analysis.chart_max_points, 2000);
    EXPECT_EQ(c.output.output_dir, "results");
    EXPECT_EQ(c.output.png, "auto");
}

TEST(Defaults, CatalogueHas19ContainersWithCoresAndProfiles) {
    const Config c = defaults();
    ASSERT_EQ(c.containers.size(), 19u);
    EXPECT_EQ(c.expected_containers().size(), 16u);  // analytics is not a default profile
    const auto* kafka = c.find_container("rideshare-kafka");
    ASSERT_NE(kafka, nullptr);
    EXPECT_EQ(kafka->display_name, "Kafka");
    EXPECT_EQ(kafka->cpu_cores, 1.5);
    EXPECT_EQ(kafka->gc_window_seconds, 120.0);
    EXPECT_EQ(c.find_container("rideshare-schema-registry")->cpu_cores, 0.5);
    EXPECT_EQ(c.find_container("rideshare-airflow-scheduler")->cpu_cores, 1.5);
    EXPECT_FALSE(c.find_container("rideshare-redis")->cpu_cores);
    EXPECT_FALSE(c.find_container("rideshare-redis")->gc_window_seconds);
    EXPECT_EQ(c.find_container("rideshare-superset")->profile, "analytics");
    EXPECT_EQ(c.display_name("rideshare-postgres-airflow"), "Postgres (Airflow)");
    EXPECT_EQ(c.display_name("rideshare-spark-thrift-server"), "Spark Thrift Server");  // fallback
    EXPECT_EQ(c.display_name("other"), "Other");
}

TEST(Defaults, ToJsonRoundTripsAndRedactsTheKey) {
    const Config c = defaults();
    const auto j = to_json(c, true);
    EXPECT_EQ(j["api"]["api_key"], "***");
    EXPECT_EQ(to_json(c, false)["api"]["api_key"], "dev-api-key-change-in-production");
    EXPECT_EQ(j.dump().find("dev-api-key"), std::string::npos);
    // The unredacted JSON is itself a complete, valid config file giving the same config.
    TempConfig file(to_json(c, false).dump());
    LoadOptions o = no_env();
    o.config_file = file.file.string();
    EXPECT_EQ(to_json(load(o), false), to_json(c, false));
}

TEST(Layering, FileThenEnvironmentThenSetInThatOrder) {
    TempConfig file(R"(
      // comments are allowed
      {
        "api": {"base_url": "http://file:1", /* inline */ "api_key": "from-file", "timeout": 7},
        "docker": {"cadvisor_url": "http://file:2"},
        "scenarios": {"duration_active_minutes": 0.25}   // fractions of a minute
      })");
    LoadOptions o;
    o.config_file = file.file.string();
    {
        const Config c = load(o);  // no env set yet: the file wins over defaults
        EXPECT_EQ(c.api.base_url, "http://file:1");
        EXPECT_EQ(c.api.api_key, "from-file");
        EXPECT_EQ(c.api.timeout, 7.0);
        EXPECT_EQ(c.scenarios.duration_active_minutes, 0.25);
        EXPECT_EQ(c.api.health_timeout, 5.0);  // untouched defaults stay
        EXPECT_EQ(c.containers.size(), 19u);
    }
    ScopedEnv key("PERFRUNNER_API_KEY", "from-env");
    ScopedEnv url("PERFRUNNER_API_URL", "http://env:1");
    ScopedEnv cadvisor("PERFRUNNER_CADVISOR_URL", "http://env:2/");
    {
        const Config c = load(o);  // environment over the file
        EXPECT_EQ(c.api.api_key, "from-env");
        EXPECT_EQ(c.api.base_url, "http://env:1");
        EXPECT_EQ(c.docker.cadvisor_url, "http://env:2");  // trailing slash dropped
    }
    o.set_overrides = {"api.api_key=from-set",          "api.timeout=12.5",
                       "api.base_url=http://set:1",     "docker.profiles=[\"core\"]",
                       "scenarios.stress_refine=false", "api.timeout=13"};
    const Config c = load(o);  // --set over everything, later --set over earlier
    EXPECT_EQ(c.api.api_key, "from-set");
    EXPECT_EQ(c.api.base_url, "http://set:1");
    EXPECT_EQ(c.api.timeout, 13.0);
    EXPECT_EQ(c.docker.profiles, std::vector<std::string>{"core"});
    EXPECT_FALSE(c.scenarios.stress_refine);  // the default is true
    EXPECT_EQ(c.expected_containers().size(), 7u);
    o.read_environment = false;
    o.set_overrides.clear();
    EXPECT_EQ(load(o).api.api_key, "from-file");  // read_environment=false ignores the environment
}

TEST(Layering, ContainersListReplacesTheCatalogueAndOverridesMerge) {
    TempConfig file(
        R"({"containers": [{"name": "rideshare-simulation", "display_name": "Sim", "profile": "core",
                                         "cpu_cores": 2}],
                        "thresholds": {"container_overrides": {"rideshare-simulation": {"memory_warning_percent": 60}}}})");
    LoadOptions o = no_env();
    o.config_file = file.file.string();
    o.set_overrides = {"thresholds.container_overrides.rideshare-simulation.cpu_critical_percent=95"};
    const Config c = load(o);
    ASSERT_EQ(c.containers.size(), 1u);
    EXPECT_EQ(c.containers[0].cpu_cores, 2.0);
    const auto& ov = c.thresholds.container_overrides.at("rideshare-simulation");
    EXPECT_EQ(ov.memory_warning_percent, 60.0);
    EXPECT_EQ(ov.cpu_critical_percent, 95.0);
    EXPECT_FALSE(ov.cpu_warning_percent);
}

TEST(Layering, SetValueThatIsNotJsonIsAString) {
    EXPECT_EQ(with_sets({"output.output_dir=/tmp/out dir"}).output.output_dir, "/tmp/out dir");
    EXPECT_EQ(with_sets({"api.api_key=123abc"}).api.api_key, "123abc");
    EXPECT_EQ(with_sets({"api.api_key=\"42\""}).api.api_key, "42");
}

TEST(DemoConfig, LoadsAndIsShort) {
    LoadOptions o = no_env();
    o.config_file = std::string(PERFRUNNER_SOURCE_DIR) + "/config/demo.json";
    const Config c = load(o);
    EXPECT_EQ(c.api.base_url, "http://127.0.0.1:18000");
    EXPECT_EQ(c.docker.cadvisor_url, "http://127.0.0.1:18089");
    EXPECT_EQ(c.docker.compose_file, "tests/stack/compose.yml");
    // The demo config matches the bundled stack: its API key default, ports and CPU limits.
    std::ifstream compose_in(std::string(PERFRUNNER_SOURCE_DIR) + "/" + c.docker.compose_file);
    std::stringstream compose_text;
    compose_text << compose_in.rdbuf();
    const std::string compose = compose_text.str();
    ASSERT_FALSE(compose.empty());
    EXPECT_THAT(compose, HasSubstr("API_KEY: ${API_KEY:-" + c.api.api_key + "}"));
    EXPECT_THAT(compose, HasSubstr("${SIM_PORT:-18000}"));
    EXPECT_THAT(compose, HasSubstr("${CADVISOR_PORT:-18089}"));
    EXPECT_THAT(compose, HasSubstr("cpus: ${SIM_CPU_LIMIT:-1.0}"));
    EXPECT_THAT(compose, HasSubstr("cpus: ${KAFKA_CPU_LIMIT:-0.5}"));
    EXPECT_THAT(compose, HasSubstr("cpus: ${REDIS_CPU_LIMIT:-0.25}"));
    EXPECT_THAT(compose, HasSubstr("cpus: ${CADVISOR_CPU_LIMIT:-0.5}"));
    EXPECT_THAT(compose, HasSubstr("cpus: ${PROMETHEUS_CPU_LIMIT:-0.5}"));
    EXPECT_EQ(c.find_container("rideshare-simulation")->cpu_cores, 1.0);
    EXPECT_EQ(c.find_container("rideshare-kafka")->cpu_cores, 0.5);
    EXPECT_EQ(c.find_container("rideshare-redis")->cpu_cores, 0.25);
    EXPECT_EQ(c.find_container("rideshare-cadvisor")->cpu_cores, 0.5);
    EXPECT_EQ(c.find_container("rideshare-prometheus")->cpu_cores, 0.5);
    EXPECT_EQ(c.containers.size(), 5u);  // the monitoring profile runs cAdvisor and Prometheus
    EXPECT_EQ(c.expected_containers().size(), 5u);
    // baseline + stress max + duration (active + cooldown + drain budget) + speed steps (2x..8x) stay near 6
    // min
    const double minutes = c.scenarios.baseline_duration_seconds / 60 +
                           c.scenarios.stress_max_duration_minutes + c.scenarios.duration_active_minutes +
                           c.scenarios.duration_cooldown_minutes +
                           3 * c.scenarios.speed_scaling_step_duration_minutes;
    EXPECT_LE(minutes, 6.0);
}

struct BadValue {
    std::string set;
    std::string key;
    std::string value;
    std::string expected;
};

class Validation : public ::testing::TestWithParam<BadValue> {};

TEST_P(Validation, OneLineNamingKeyValueAndExpectation) {
    const auto& p = GetParam();
    const std::string msg = config_error({p.set});
    EXPECT_THAT(msg, HasSubstr("config key " + p.key + " = " + p.value + ": expected " + p.expected)) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
}

INSTANTIATE_TEST_SUITE_P(
    EveryRule, Validation,
    ::testing::Values(
        BadValue{"api.bse_url=\"x\"", "api.bse_url", "\"x\"", "no such key (unknown key"},
        BadValue{"nonsense=1", "nonsense", "1", "no such key"},
        BadValue{"thresholds.container_overrides.c.memory_warn=5",
                 "thresholds.container_overrides.c.memory_warn", "5", "no such key"},
        BadValue{"api.timeout=\"abc\"", "api.timeout", "\"abc\"", "a number of seconds in (0, 3600]"},
        BadValue{"api.timeout=0", "api.timeout", "0", "a number of seconds in (0, 3600]"},
        BadValue{"sampling.interval_seconds=0", "sampling.interval_seconds", "0",
                 "a number of seconds in (0, 3600]"},
        BadValue{"sampling.cooldown_interval_seconds=-2", "sampling.cooldown_interval_seconds", "-2",
                 "a number of seconds in (0, 3600]"},
        BadValue{"scenarios.duration_active_minutes=-0.5", "scenarios.duration_active_minutes", "-0.5",
                 "a number of minutes in [0, 10080]"},
        BadValue{"scenarios.baseline_duration_seconds=-1", "scenarios.baseline_duration_seconds", "-1",
                 "a number of seconds in [0, 604800]"},
        BadValue{"thresholds.memory_warning_percent=0", "thresholds.memory_warning_percent", "0",
                 "a percentage in (0, 100]"},
        BadValue{"thresholds.cpu_critical_percent=100.5", "thresholds.cpu_critical_percent", "100.5",
                 "a percentage in (0, 100]"},
        BadValue{"scenarios.stress_memory_threshold_percent=-5", "scenarios.stress_memory_threshold_percent",
                 "-5", "a percentage in (0, 100]"},
        BadValue{"scenarios.host_cpu_threshold_percent=101", "scenarios.host_cpu_threshold_percent", "101",
                 "a percentage in (0, 100]"},
        BadValue{"scenarios.stress_breach_rule=sometimes", "scenarios.stress_breach_rule", "\"sometimes\"",
                 "one of \"either\", \"window_mean\", \"k_of_m\", \"both\""},
        BadValue{"scenarios.stress_mode=fast", "scenarios.stress_mode", "\"fast\"",
                 "one of \"ramp\", \"step\""},
        BadValue{"metrics.source=influx", "metrics.source", "\"influx\"",
                 "one of \"cadvisor\", \"prometheus\""},
        BadValue{"metrics.labels=k8s", "metrics.labels", "\"k8s\"", "one of \"docker\", \"kubernetes\""},
        BadValue{"metrics.prometheus_url=prom:9090", "metrics.prometheus_url", "\"prom:9090\"",
                 "an http:// or https:// URL"},
        BadValue{"metrics.rate_window_seconds=-1", "metrics.rate_window_seconds", "-1",
                 "a number of seconds in [0, 86400]"},
        BadValue{"output.png=sometimes", "output.png", "\"sometimes\"",
                 "one of \"auto\", \"always\", \"never\""},
        BadValue{"api.max_retries=2.5", "api.max_retries", "2.5", "an integer in [0, 100]"},
        BadValue{"scenarios.stress_spawn_batch_size=0", "scenarios.stress_spawn_batch_size", "0",
                 "an integer in [1, 100000]"},
        BadValue{"scenarios.stress_k=9", "scenarios.stress_k", "9", "an integer <= scenarios.stress_m (5)"},
        BadValue{"scenarios.stress_refine=yes", "scenarios.stress_refine", "\"yes\"", "true or false"},
        BadValue{"docker.profiles=\"core\"", "docker.profiles", "\"core\"", "an array of strings"},
        BadValue{"docker.profiles=[\"core\",3]", "docker.profiles[1]", "3", "a string"},
        BadValue{"api.base_url=localhost:8000", "api.base_url", "\"localhost:8000\"",
                 "an http:// or https:// URL"},
        BadValue{"api=5", "api", "5", "an object"},
        BadValue{"analysis.leak_alpha=1", "analysis.leak_alpha", "1", "a number in (0, 1)"},
        BadValue{"scenarios.stress_rtr_floor=1.5", "scenarios.stress_rtr_floor", "1.5", "a number in (0, 1]"},
        BadValue{"containers=[{\"name\":\"a\",\"cpu_cores\":0}]", "containers[0].cpu_cores", "0",
                 "a number > 0 (cores) or null"},
        BadValue{"containers=[{\"name\":\"a\"},{\"name\":\"a\"}]", "containers[1].name", "\"a\"",
                 "a name not already in the list"},
        BadValue{"containers=[{\"name\":\"a\",\"colour\":\"red\"}]", "containers[0].colour", "\"red\"",
                 "no such key"},
        BadValue{"thresholds.container_overrides.c.cpu_warning_percent=150",
                 "thresholds.container_overrides.c.cpu_warning_percent", "150",
                 "a percentage in (0, 100] or null"}));

TEST(Validation, SetWithoutEqualsOrWithEmptyKey) {
    EXPECT_THAT(config_error({"api.timeout"}), HasSubstr("--set api.timeout: expected key.path=value"));
    EXPECT_THAT(config_error({"=5"}), HasSubstr("expected key.path=value"));
    EXPECT_THAT(config_error({"api..timeout=5"}), HasSubstr("non-empty key names"));
}

TEST(Validation, BrokenFileAndMissingFile) {
    TempConfig file("{\"api\": {\"timeout\": 5,,}}");
    LoadOptions o = no_env();
    o.config_file = file.file.string();
    try {
        load(o);
        FAIL() << "no error";
    } catch (const perfrunner::ConfigError& e) {
        EXPECT_THAT(e.what(), HasSubstr("config file " + file.file.string() + ": invalid JSON: "));
        EXPECT_THAT(e.what(), HasSubstr("line 1"));
        EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    }
    o.config_file = "/nonexistent/perfrunner.json";
    EXPECT_THROW(load(o), perfrunner::ConfigError);
    TempConfig array_file("[1, 2]");
    o.config_file = array_file.file.string();
    EXPECT_THROW(load(o), perfrunner::ConfigError);
}

TEST(Validation, ErrorInFileNamesTheKey) {
    TempConfig file("{\"scenarios\": {\"duration_active_minutes\": \"five\"}}");
    LoadOptions o = no_env();
    o.config_file = file.file.string();
    try {
        load(o);
        FAIL() << "no error";
    } catch (const perfrunner::ConfigError& e) {
        EXPECT_THAT(
            e.what(),
            HasSubstr(
                "config key scenarios.duration_active_minutes = \"five\": expected a number of minutes in "
                "[0, 10080]"));
    }
}
