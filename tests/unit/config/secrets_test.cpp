// Secrets never appear in config errors or printed config (issue 11, defect 9), and hostile config input
// (deep nesting) is refused with one line instead of a crash (issue 11, defect 4).
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "perfrunner/config/config.hpp"
#include "perfrunner/config/secrets.hpp"
#include "perfrunner/error.hpp"
#include "perfrunner/scenarios/run_flow.hpp"

using namespace perfrunner::config;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

namespace fs = std::filesystem;

constexpr const char* kSecret = "s3cretVALUE";

struct TempFile {
    fs::path path;
    explicit TempFile(const std::string& text)
        : path(fs::temp_directory_path() /
               ("perfrunner-secrets-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".json")) {
        std::ofstream(path, std::ios::binary) << text;
    }
    ~TempFile() { fs::remove(path); }
};

// The one-line error of loading with these --set values and this file text ("" = no file).
std::string error_of(const std::vector<std::string>& sets, const std::string& file_text = "") {
    LoadOptions o;
    o.read_environment = false;
    o.set_overrides = sets;
    std::optional<TempFile> file;
    if (!file_text.empty()) {
        file.emplace(file_text);
        o.config_file = file->path.string();
    }
    try {
        load(o);
    } catch (const perfrunner::ConfigError& e) {
        EXPECT_EQ(e.code(), perfrunner::ExitCode::usage_error);
        EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(SecretNames, LookLikeKeySecretTokenOrPasswordWhateverTheSpelling) {
    for (const char* name :
         {"api_key", "apikey", "API-Key", "apiKey", "key", "token", "access_token", "secret", "client_secret",
          "password", "PASSWD", "db_pwd", "credentials", "auth", "Authorization"}) {
        EXPECT_TRUE(is_secret_name(name)) << name;
    }
    for (const char* name :
         {"timeout", "base_url", "profiles", "stress_k", "name", "cpu_cores", "output_dir"}) {
        EXPECT_FALSE(is_secret_name(name)) << name;
    }
    EXPECT_TRUE(is_secret_path("api.apikey"));
    EXPECT_TRUE(is_secret_path("x.api_key.y"));
    EXPECT_TRUE(is_secret_path("containers[0].token"));
    EXPECT_FALSE(is_secret_path("api.timeout"));
    EXPECT_FALSE(is_secret_path("containers[0].name"));
}

TEST(SecretNames, UrlCredentialsAreHidden) {
    EXPECT_EQ(redact_url_credentials("http://user:pw@host:1/x?y=@"), "http://***@host:1/x?y=@");
    EXPECT_EQ(redact_url_credentials("https://token@host"), "https://***@host");
    EXPECT_EQ(redact_url_credentials("http://host:1/a@b"), "http://host:1/a@b");
    EXPECT_EQ(redact_url_credentials("no url @ all"), "no url @ all");
    const auto j =
        redact_secrets({{"a", {{"Token", 5}, {"u", "http://u:p@h"}}}, {"list", {{{"password", "x"}}}}});
    EXPECT_EQ(j, nlohmann::json::parse(
                     R"({"a": {"Token": "***", "u": "http://***@h"}, "list": [{"password": "***"}]})"));
}

TEST(SecretsInErrors, MisspeltSecretKeyOnTheCommandLine) {
    const std::string message = error_of({std::string("api.apikey=") + kSecret});
    EXPECT_THAT(message, HasSubstr("config key api.apikey = ***: expected no such key"));
    EXPECT_THAT(message, Not(HasSubstr(kSecret)));
    EXPECT_THAT(error_of({std::string("api.token=") + kSecret}), HasSubstr("config key api.token = ***"));
    EXPECT_THAT(error_of({std::string("containers=[{\"name\":\"a\",\"password\":\"") + kSecret + "\"}]"}),
                HasSubstr("config key containers[0].password = ***: expected no such key"));
}

TEST(SecretsInErrors, MisspeltSectionHoldingASecretInAFile) {
    const std::string message = error_of(
        {}, std::string(R"({"apii": {"api_key": ")") + kSecret + R"(", "timeout": 5, "token": 123456789}})");
    EXPECT_THAT(message, HasSubstr(R"(config key apii = {"api_key":"***","timeout":5,"token":"***"})"));
    EXPECT_THAT(message, Not(HasSubstr(kSecret)));
    EXPECT_THAT(message, Not(HasSubstr("123456789")));
}

TEST(SecretsInErrors, NumericLookingApiKeyIsAStringNotAnError) {
    LoadOptions o;
    o.read_environment = false;
    o.set_overrides = {"api.api_key=123456789"};
    EXPECT_EQ(load(o).api.api_key, "123456789");
    o.set_overrides = {"api.api_key=[1, 2]"};
    EXPECT_EQ(load(o).api.api_key, "[1, 2]");
    // In a file the value is JSON: a number where text is expected is an error, the number still hidden.
    const std::string message = error_of({}, R"({"api": {"api_key": 123456789}})");
    EXPECT_THAT(message, HasSubstr("config key api.api_key = ***: expected a string"));
    EXPECT_THAT(message, Not(HasSubstr("123456789")));
    EXPECT_THAT(error_of({std::string("api.api_key.x=") + kSecret}), Not(HasSubstr(kSecret)));
}

TEST(SecretsInErrors, MalformedSetAndFileNeverEchoTheValue) {
    for (const std::string& set : {std::string("=") + kSecret, std::string("api..api_key=") + kSecret,
                                   std::string("api.api_key..x=") + kSecret}) {
        const std::string message = error_of({set});
        EXPECT_THAT(message, HasSubstr("expected key.path=value")) << message;
        EXPECT_THAT(message, Not(HasSubstr(kSecret))) << message;
    }
    // nlohmann's parse errors quote the last token read ("last read: '...'"), which can be part of the key.
    for (const std::string& text : {std::string(R"({"api": {"api_key": )") + kSecret + "}}",
                                    std::string(R"({"api": {"api_key": ")") + kSecret + "\t\"}}"}) {
        const std::string message = error_of({}, text);
        EXPECT_THAT(message, HasSubstr("invalid JSON: parse error at line 1")) << message;
        EXPECT_THAT(message, Not(HasSubstr("s3cr"))) << message;
    }
}

// An argument without '=' may be a pasted key ("--set 123456789", "--set sk-live.abc"): echoed only when it
// is a key of the table.
TEST(SecretsInErrors, SetWithoutAssignmentNeverEchoesTheArgument) {
    for (const std::string& set :
         {std::string("123456789"), std::string(kSecret), std::string("a.b.") + kSecret}) {
        const std::string message = error_of({set});
        EXPECT_THAT(message, HasSubstr("expected key.path=value, got no '='")) << message;
        EXPECT_THAT(message, Not(HasSubstr(set))) << message;
    }
}

TEST(SecretsInErrors, CredentialsInAUrlAreHiddenInErrorsAndPrintedConfig) {
    const std::string message = error_of({"api.base_url=ftp://user:pa55word@host"});
    EXPECT_THAT(message, HasSubstr("config key api.base_url = \"ftp://***@host\""));
    EXPECT_THAT(message, Not(HasSubstr("pa55word")));
    LoadOptions o;
    o.read_environment = false;
    o.set_overrides = {"docker.cadvisor_url=http://user:pa55word@127.0.0.1:9"};
    const Config c = load(o);
    EXPECT_EQ(c.docker.cadvisor_url, "http://user:pa55word@127.0.0.1:9");  // used as given
    EXPECT_EQ(to_json(c, /*redact=*/true)["docker"]["cadvisor_url"], "http://***@127.0.0.1:9");
    EXPECT_EQ(to_json(c, /*redact=*/false)["docker"]["cadvisor_url"], "http://user:pa55word@127.0.0.1:9");
}

TEST(HostileInput, DeepNestingIsRefusedWithOneLine) {
    const std::string deep_array = std::string(100000, '[') + std::string(100000, ']');
    EXPECT_THAT(error_of({"x.y=" + deep_array}), HasSubstr("nested more than 16 levels deep"));
    EXPECT_THAT(error_of({}, "{\"x\": " + deep_array + "}"),
                HasSubstr("config file " + (fs::temp_directory_path() / "").string()));
    EXPECT_THAT(error_of({}, "{\"x\": " + deep_array + "}"), HasSubstr("nested more than 16 levels deep"));
    std::string deep_object;
    for (int i = 0; i < 100000; ++i) {
        deep_object += "{\"a\":";
    }
    deep_object += "1" + std::string(100000, '}');
    EXPECT_THAT(error_of({}, "{\"api\": " + deep_object + "}"), HasSubstr("nested more than 16 levels deep"));
    std::string long_path = "a";
    for (int i = 0; i < 100000; ++i) {
        long_path += ".a";
    }
    EXPECT_THAT(error_of({long_path + "=1"}), HasSubstr("the key path has more than 16 names"));
    // A real config is far from the limit: the deepest key is 4 levels down.
    EXPECT_EQ(error_of({"thresholds.container_overrides.c.cpu_warning_percent=50"}), "(no error)");
}

// A key given twice in one object is refused naming its path (issue 11, defect 10), in a file and in a --set
// value, as results.json and journals refuse it: nlohmann kept the last value silently, so the config run was
// not the one a reader of the file saw. The same key in different objects is fine.
TEST(HostileInput, RepeatedKeyIsRefusedNamingItsPath) {
    const std::string file = "config file " + (fs::temp_directory_path() / "").string();
    for (const auto& [text, path] : std::vector<std::pair<std::string, std::string>>{
             {R"({"api": {"timeout": 5, "timeout": 6}})", "api.timeout"},
             {R"({"api": {}, "sampling": {}, "api": {}})", ".json: api"},
             {R"({"api": {"timeout": 5, "time\u006fut": 6}})", "api.timeout"},
             {R"({"containers": [{"name": "a"}, {"name": "b", "cpu_cores": 1, "name": "c"}]})",
              "containers[1].name"},
             {R"({"x": [[1, {"k": 1}], [{"k": 1, "k": 2}]]})", "x[1][0].k"},
         }) {
        const std::string message = error_of({}, text);
        EXPECT_THAT(message, HasSubstr(file)) << text;
        EXPECT_THAT(message, HasSubstr(path + ": duplicate member")) << text;
    }
    EXPECT_THAT(
        error_of(
            {R"(thresholds.container_overrides={"c": {"cpu_warning_percent": 50, "cpu_warning_percent": 60}})"}),
        HasSubstr("thresholds.container_overrides.c.cpu_warning_percent: duplicate member"));
    // The key is named, never its values.
    const std::string secret_twice =
        std::string(R"({"api": {"api_key": ")") + kSecret + R"(", "api_key": ")" + kSecret + R"("}})";
    EXPECT_THAT(error_of({}, secret_twice), HasSubstr("api.api_key: duplicate member"));
    EXPECT_THAT(error_of({}, secret_twice), Not(HasSubstr(kSecret)));
    const std::string distinct_sets =
        R"(thresholds.container_overrides={"a": {"cpu_warning_percent": 50}, "b": {"cpu_warning_percent": 50}})";
    EXPECT_EQ(error_of({distinct_sets}, R"({"api": {"timeout": 5}, "sampling": {"interval_seconds": 2}})"),
              "(no error)");
}

TEST(SecretsInResults, ResultsJsonConfigBlockHoldsNoSecret) {
    LoadOptions o;
    o.read_environment = false;
    o.set_overrides = {std::string("api.api_key=") + kSecret,
                       "api.base_url=http://user:pa55word@127.0.0.1:1"};
    const std::string written = perfrunner::scenarios::results_config_json(load(o)).dump();
    EXPECT_THAT(written, Not(HasSubstr(kSecret)));
    EXPECT_THAT(written, Not(HasSubstr("pa55word")));
    EXPECT_THAT(written, HasSubstr("http://***@127.0.0.1:1"));
}
