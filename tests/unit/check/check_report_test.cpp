// The check report's table and JSON.
#include <gtest/gtest.h>

#include "perfrunner/check/check_report.hpp"

namespace ck = perfrunner::check;

TEST(CheckReport, TextAndJsonListEveryProblemOnItsOwnLine) {
    ck::CheckReport report;
    report.rows.push_back({"simulation", "API key", "problem", "rejected: HTTP 401"});
    report.rows.push_back({"cadvisor", "GET /healthz", "ok", "answers 200"});
    report.problems = {"simulation API: the API key is rejected (HTTP 401)", "cAdvisor: something else"};
    EXPECT_FALSE(report.ok());
    const auto text = report.to_text();
    EXPECT_NE(
        text.find(
            "2 problems:\nsimulation API: the API key is rejected (HTTP 401)\ncAdvisor: something else\n"),
        std::string::npos)
        << text;
    EXPECT_NE(text.find("PROBLEM"), std::string::npos);
    const auto j = report.to_json();
    EXPECT_FALSE(j.at("ok").get<bool>());
    EXPECT_EQ(j.at("problems").size(), 2u);
    EXPECT_EQ(j.at("checks").at(1).at("status"), "ok");
}

TEST(CheckReport, AddingAProblemRecordsItsRowAndItsLine) {
    ck::CheckReport report;
    report.add_ok("docker", "engine", "server 24.0");
    EXPECT_TRUE(report.ok());
    report.add_problem("container", "rideshare-kafka", "exited", "container rideshare-kafka: exited");
    EXPECT_FALSE(report.ok());
    ASSERT_EQ(report.rows.size(), 2u);
    EXPECT_EQ(report.rows[1].status, "problem");
    EXPECT_EQ(report.problems, (std::vector<std::string>{"container rideshare-kafka: exited"}));
    EXPECT_NE(report.to_text().find("1 problem:\ncontainer rideshare-kafka: exited\n"), std::string::npos);
}
