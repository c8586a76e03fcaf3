// A verb writes only to the Output it is given: results on out, notes on
// err, colour only when Output says out takes it.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>
#include <string>

#include "cli/check.h"
#include "cli/logs.h"
#include "cli/plan.h"
#include "support.h"

namespace smsup::cli {
namespace {

std::string data(const char* name) { return std::string(CLI_CHECK_DATA) + "/" + name; }

struct Captured {
  std::ostringstream out, err;
  Output to{out, err};
};

TEST(Output, CheckWritesItsReportToOutWithColourOnlyWhenOutputSaysSo) {
  Captured plain;
  EXPECT_EQ(run_check({.inventory = data("fabrikam.yaml"), .as_of = "2006-06-15"}, plain.to), 1);
  EXPECT_EQ(plain.out.str().rfind("Fabrikam: NOT READY", 0), 0u) << plain.out.str().substr(0, 200);
  EXPECT_EQ(plain.out.str().find("\x1b["), std::string::npos);
  EXPECT_TRUE(plain.err.str().empty()) << plain.err.str();
  Captured colour;
  colour.to.color = true;
  EXPECT_EQ(run_check({.inventory = data("fabrikam.yaml"), .as_of = "2006-06-15"}, colour.to), 1);
  EXPECT_NE(colour.out.str().find("\x1b["), std::string::npos);
  // JSON is for programs: never coloured.
  Captured json;
  json.to.color = true;
  run_check({.inventory = data("fabrikam.yaml"), .format = "json", .as_of = "2006-06-15"}, json.to);
  EXPECT_EQ(nlohmann::json::parse(json.out.str())["summary"]["blocker"], 4);
}

TEST(Output, CheckToAFileSaysSoOnErrAndLeavesOutEmpty) {
  Captured c;
  auto file = (test::test_dir() / "r.json").string();
  run_check({.inventory = data("fabrikam.yaml"), .format = "json", .output = file, .as_of = "2006-06-15"}, c.to);
  EXPECT_TRUE(c.out.str().empty()) << c.out.str();
  EXPECT_NE(c.err.str().find("wrote " + file + " (not ready: 4 blocker(s))"), std::string::npos) << c.err.str();
  EXPECT_EQ(nlohmann::json::parse(test::read_file(file))["hierarchy"], "Fabrikam");
}

TEST(Output, PlanRefusalListsTheBlockersOnErrAndTheJsonOnOut) {
  Captured c;
  PlanOptions o{.inventory = data("fabrikam.yaml"),
                .out = (test::test_dir() / "p.json").string(),
                .as_of = "2006-06-15",
                .format = "json"};
  EXPECT_EQ(run_plan(o, c.to), 1);
  EXPECT_NE(c.err.str().find("smsup plan: refused: "), std::string::npos) << c.err.str();
  auto j = nlohmann::json::parse(c.out.str());
  EXPECT_EQ(j["format"], "smsup-plan-refusal/1");
  EXPECT_FALSE(j["blockers"].empty());
}

TEST(Output, LogsGrepWritesOneJsonObjectALineToOut) {
  Captured c;
  auto log = test::test_dir() / "x.log";
  test::write_file(log, "first line\nsecond line with needle\nthird\n");
  LogsGrepOptions g;
  g.files = {log.string()};
  g.pattern = "needle";
  g.format = "json";
  EXPECT_EQ(run_logs_grep(g, c.to), 0);
  auto j = nlohmann::json::parse(c.out.str());
  EXPECT_EQ(j["line"], 2);
  EXPECT_EQ(j["message"], "second line with needle");
  g.pattern = "absent";
  EXPECT_EQ(run_logs_grep(g, c.to), 1);
}

}  // namespace
}  // namespace smsup::cli
