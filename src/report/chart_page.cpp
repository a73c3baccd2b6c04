#include "perfrunner/report/chart_page.hpp"

#include <algorithm>

#include "perfrunner/report/escape.hpp"
#include "perfrunner/report/template_text.hpp"

namespace perfrunner::report {

std::string path_to_charts_root(const ChartPlan& plan) {
    const auto levels = std::count(plan.path.begin(), plan.path.end(), '/');
    std::string up;
    for (long i = 0; i < levels; ++i) {
        up += "../";
    }
    return up;
}

std::string render_chart_page(const ChartPlan& plan, const ChartFigure& figure, std::string_view plotly_src) {
    return fill_template(template_text("chart.html"), {{"title", html_escape(plan.title)},
                                                       {"plotly_src", html_escape(plotly_src)},
                                                       {"height", std::to_string(figure.height)},
                                                       {"figure_json", json_for_script(figure.figure)}});
}

std::string render_chart_index(const std::string& test_id, const std::vector<ChartPlan>& plans,
                               const std::function<bool(const ChartPlan&)>& has_png) {
    std::string sections;
    for (const char* section : kChartSections) {
        sections += "<h2>" + html_escape(section) + "</h2>\n";
        std::string cards;
        for (const auto& p : plans) {
            if (p.section != section) {
                continue;
            }
            cards += "<div class=\"card\"><h3>" + html_escape(p.title) + "</h3>";
            if (has_png(p)) {  // a thumbnail that opens the interactive chart
                cards += "<a href=\"" + html_escape(p.path) + ".html\"><img class=\"thumb\" alt=\"" +
                         html_escape(p.title) + "\" src=\"" + html_escape(p.path) + ".png\"></a>";
            }
            cards += "<a href=\"" + html_escape(p.path) + ".html\">Interactive HTML</a>";
            if (has_png(p)) {
                cards += "<a href=\"" + html_escape(p.path) + ".png\">Static PNG</a>";
            }
            cards += "</div>\n";
        }
        sections += cards.empty() ? "<p class=\"empty\">No charts generated</p>\n"
                                  : "<div class=\"cards\">\n" + cards + "</div>\n";
    }
    return fill_template(template_text("index.html"),
                         {{"test_id", html_escape(test_id)}, {"sections", sections}});
}

}  // namespace perfrunner::report
