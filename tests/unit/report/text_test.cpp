// Escaping, LTTB, templates and small formatting helpers.
#include <gtest/gtest.h>

#include <numeric>

#include "perfrunner/report/escape.hpp"
#include "perfrunner/report/format.hpp"
#include "perfrunner/report/lttb.hpp"
#include "perfrunner/report/template_text.hpp"
#include "unit/report/fixtures.hpp"

namespace perfrunner::report {
namespace {

TEST(Escape, HtmlEscapesEveryMetacharacter) {
    EXPECT_EQ(html_escape("</script><script>alert(1)"), "&lt;/script&gt;&lt;script&gt;alert(1)");
    EXPECT_EQ(html_escape("a&b \"c\" 'd'"), "a&amp;b &quot;c&quot; &#39;d&#39;");
}

TEST(Escape, ScriptJsonCannotCloseTheScriptElementAndParsesBack) {
    const nlohmann::json v = {{"name", "</script><script>alert(1)"}, {"amp", "a&b"}, {"n", 1.5}};
    const auto text = json_for_script(v);
    EXPECT_EQ(text.find('<'), std::string::npos);
    EXPECT_EQ(text.find('>'), std::string::npos);
    EXPECT_EQ(text.find('&'), std::string::npos);
    EXPECT_EQ(nlohmann::json::parse(text), v);
}

TEST(Escape, ScriptJsonReplacesInvalidUtf8InsteadOfThrowing) {
    const nlohmann::json v = {{"name", std::string("bad\xff")}};
    nlohmann::json back;
    EXPECT_NO_THROW(back = nlohmann::json::parse(json_for_script(v)));
    EXPECT_TRUE(back["name"].is_string());
}

TEST(Escape, MarkdownCellsCannotBreakTables) {
    EXPECT_EQ(markdown_escape("a|b\nc<d>"), "a\\|b c&lt;d&gt;");
}

TEST(Lttb, ShortSeriesIsKeptWhole) {
    const std::vector<double> x = {0, 1, 2, 3}, y = {5, 6, 7, 8};
    EXPECT_EQ(lttb_indices(x, y, 10), (std::vector<std::size_t>{0, 1, 2, 3}));
}

TEST(Lttb, KeepsEndpointsAndExactlyNPointsInOrder) {
    for (std::size_t n : {1000u, 1001u, 4999u}) {
        std::vector<double> x(n), y(n);
        for (std::size_t i = 0; i < n; ++i) {
            x[i] = static_cast<double>(i);
            y[i] = std::sin(static_cast<double>(i) / 10.0);
        }
        for (std::size_t m : {3u, 50u, 333u}) {
            const auto keep = lttb_indices(x, y, m);
            ASSERT_EQ(keep.size(), m) << n << " " << m;
            EXPECT_EQ(keep.front(), 0u);
            EXPECT_EQ(keep.back(), n - 1);
            EXPECT_TRUE(std::is_sorted(keep.begin(), keep.end()));
            EXPECT_EQ(std::adjacent_find(keep.begin(), keep.end()), keep.end()) << "duplicate index";
        }
    }
}

TEST(Lttb, KeepsAnIsolatedSpike) {
    std::vector<double> x(1000), y(1000, 1.0);
    std::iota(x.begin(), x.end(), 0.0);
    y[517] = 100.0;
    const auto keep = lttb_indices(x, y, 20);
    EXPECT_NE(std::find(keep.begin(), keep.end(), 517u), keep.end());
}

TEST(Lttb, DownsampleInPlaceKeepsPairs) {
    std::vector<double> x(500), y(500);
    for (std::size_t i = 0; i < 500; ++i) {
        x[i] = static_cast<double>(i) * 2.0;
        y[i] = static_cast<double>(i) * 3.0;
    }
    lttb_downsample(x, y, 40);
    ASSERT_EQ(x.size(), 40u);
    ASSERT_EQ(y.size(), 40u);
    for (std::size_t i = 0; i < x.size(); ++i) {
        EXPECT_DOUBLE_EQ(y[i], x[i] * 1.5);
    }
}

TEST(Template, FillsKeysInOnePassAndLeavesUnknownKeys) {
    EXPECT_EQ(fill_template("a {{x}} b {{y}} {{z}}", {{"x", "{{y}}"}, {"y", "2"}}), "a {{y}} b 2 {{z}}");
}

TEST(Template, ChartTemplatesAreEmbedded) {
    for (const char* name : {"chart.html", "index.html", "report.html"}) {
        EXPECT_FALSE(template_text(name).empty()) << name;
    }
    EXPECT_NE(template_text("chart.html").find("{{figure_json}}"), std::string_view::npos);
}

TEST(Format, DurationsAndNames) {
    EXPECT_EQ(seconds_between("2026-02-12T19:30:00.000000Z", "2026-02-12T21:02:03.5Z"), 5523.5);
    EXPECT_EQ(seconds_between("2026-02-12T19:30:00", "2026-02-13T00:00:00"), 16200.0);
    EXPECT_EQ(seconds_between("2026-02-12T19:30:00+01:00", "2026-02-12T19:30:00Z"), 3600.0);
    EXPECT_FALSE(seconds_between("2026-02-12T19:30:00", "2026-02-12T19:30:00Z"));
    EXPECT_FALSE(seconds_between("garbage", "2026-02-12T19:30:00Z"));
    EXPECT_EQ(format_hms(5523.4), "1:32:03");
    const auto cfg = testing::make_config();
    EXPECT_EQ(display_name(cfg, "rideshare-kafka"), "Kafka");
    EXPECT_EQ(display_name(cfg, "rideshare-stream-processor"), "Stream Processor");
    EXPECT_EQ(order_containers(cfg, {"b", "rideshare-kafka", "a", "rideshare-simulation", "a"}),
              (std::vector<std::string>{"rideshare-simulation", "rideshare-kafka", "a", "b"}));
    // model::round_half_even: Python's round() on the binary value, the same digits as the JSON files.
    EXPECT_EQ(format_number(0.125, 2), "0.12");  // exact binary tie: to even
    EXPECT_EQ(format_number(2.675, 2), "2.67");  // binary value below the tie
    EXPECT_EQ(format_number(1.115, 2), "1.11");  // x * 100 rounds up to a tie, the binary value is below it
    EXPECT_EQ(format_number(std::nan(""), 2), "n/a");
    EXPECT_EQ(format_number(std::nullopt, 2), "n/a");
    EXPECT_EQ(format_number(-0.0001, 2), "0.00");
}

}  // namespace
}  // namespace perfrunner::report
