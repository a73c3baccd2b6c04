#include "perfrunner/check/check_report.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace perfrunner::check {

void CheckReport::add_ok(std::string area, std::string item, std::string detail) {
    rows.push_back({std::move(area), std::move(item), "ok", std::move(detail)});
}

void CheckReport::add_info(std::string area, std::string item, std::string detail) {
    rows.push_back({std::move(area), std::move(item), "info", std::move(detail)});
}

void CheckReport::add_problem(std::string area, std::string item, std::string detail,
                              std::string problem_line) {
    rows.push_back({std::move(area), std::move(item), "problem", std::move(detail)});
    problems.push_back(std::move(problem_line));
}

nlohmann::json CheckReport::to_json() const {
    nlohmann::json checks = nlohmann::json::array();
    for (const auto& r : rows) {
        checks.push_back({{"area", r.area}, {"item", r.item}, {"status", r.status}, {"detail", r.detail}});
    }
    return {{"ok", ok()}, {"checks", checks}, {"problems", problems}};
}

std::string CheckReport::to_text() const {
    std::size_t w_area = 4;
    std::size_t w_item = 4;
    std::size_t w_status = 6;
    for (const auto& r : rows) {
        w_area = std::max(w_area, r.area.size());
        w_item = std::max(w_item, std::min<std::size_t>(r.item.size(), 40));
        w_status = std::max(w_status, r.status.size());
    }
    std::string out = fmt::format("{:<{}}  {:<{}}  {:<{}}  {}\n", "AREA", w_area, "ITEM", w_item, "STATUS",
                                  w_status, "DETAIL");
    for (const auto& r : rows) {
        out += fmt::format("{:<{}}  {:<{}}  {:<{}}  {}\n", r.area, w_area, r.item, w_item,
                           r.status == "problem" ? "PROBLEM" : r.status, w_status, r.detail);
    }
    if (problems.empty()) {
        out += "\nAll checks passed.\n";
    } else {
        out += fmt::format("\n{} problem{}:\n", problems.size(), problems.size() == 1 ? "" : "s");
        for (const auto& p : problems) {
            out += p + "\n";
        }
    }
    return out;
}

}  // namespace perfrunner::check
