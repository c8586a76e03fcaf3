// End-to-end: the real smsup binary, as a user runs it.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "helpers.h"
#include "support.h"

namespace smsup::testing {
namespace {

namespace fs = std::filesystem;
using smsup::test::read_file;

class PlanCli : public ::testing::Test {
 protected:
  test::Ran smsup(const std::vector<std::string>& args) { return test::run_smsup(args); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string write(const std::string& name, const std::string& text) const {
    test::write_file(path(name), text);
    return path(name);
  }
  // small.yaml with one line changed, next to a copy of its clients CSV.
  std::string small_with(const std::string& from, const std::string& to) const {
    std::string text = read_file(data_path("small.yaml"));
    auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    fs::copy_file(data_path("small-clients.csv"), dir_ / "small-clients.csv", fs::copy_options::overwrite_existing);
    return write("inv.yaml", text);
  }

  fs::path dir_ = test::test_dir();
};

TEST_F(PlanCli, PlanThenShowInEveryFormat) {
  auto plan = path("plan.json");
  auto r = smsup({"plan", data_path("small.yaml"), "-o", plan, "--as-of", "2006-06-12", "--with-os-sp1"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("Plan for Fabrikam"), std::string::npos);
  EXPECT_NE(r.out.find("Critical path"), std::string::npos);
  auto j = nlohmann::json::parse(read_file(plan));
  EXPECT_EQ(j["format"], "smsup-plan/1");
  EXPECT_EQ(j["inventory_sha256"].get<std::string>().size(), 64u);

  r = smsup({"show", plan, "--format", "md"});
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* want :
       {"# Upgrade runbook: Fabrikam", "**[MANUAL]**", "## Wave 0 (central site)", "### Site CEN",
        "setup.exe /testdbupgrade SMS_CEN", "Wait at least 30 minutes", "SMS Setup completed successfully",
        "Disable Publishing", "dcomcnfg.exe", "SMS2003SP2.exe /X:", "It worked when:", "DRW.exe"}) {
    EXPECT_NE(r.out.find(want), std::string::npos) << want;
  }
  r = smsup({"show", plan, "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  auto shown = nlohmann::json::parse(r.out);
  EXPECT_GT(shown["schedule"]["total_min"].get<double>(), 30);
  EXPECT_EQ(shown["schedule"]["critical_path"][0], "*/readiness");
  r = smsup({"show", plan, "--format", "dot"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.rfind("digraph", 0), 0u);
  EXPECT_NE(r.out.find("\"CEN/settle\" -> \"CEN/verify\""), std::string::npos);
  r = smsup({"show", plan, "--format", "gantt", "-o", path("gantt.txt")});
  ASSERT_EQ(r.status, 0) << r.err;
  auto gantt = read_file(path("gantt.txt"));
  EXPECT_NE(gantt.find("Critical path"), std::string::npos);
  EXPECT_NE(gantt.find("Total: "), std::string::npos);
}

TEST_F(PlanCli, PlanRefusesNamingEachBlockerUntilWaived) {
  auto inv = small_with("sql: 2000-sp3a", "sql: 2000-sp2");
  auto r = smsup({"plan", inv, "-o", path("p.json"), "--as-of", "2006-06-12"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("sql-version"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--waive"), std::string::npos);
  EXPECT_FALSE(fs::exists(path("p.json")));
  r = smsup({"plan", inv, "-o", path("p.json"), "--as-of", "2006-06-12", "--waive", "sql-version", "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["plan"], path("p.json"));
}

TEST_F(PlanCli, EstimatesFileChangesTheTotal) {
  auto inv = data_path("small.yaml");
  auto r1 = smsup({"plan", inv, "-o", path("a.json"), "--as-of", "2006-06-12", "--format", "json"});
  auto est = write("est.json", R"({"upgrade": {"base": 600}})");
  auto r2 = smsup({"plan", inv, "-o", path("b.json"), "--as-of", "2006-06-12", "--format", "json", "--estimates", est});
  ASSERT_EQ(r1.status, 0);
  ASSERT_EQ(r2.status, 0) << r2.err;
  EXPECT_GT(nlohmann::json::parse(r2.out)["total_min"].get<double>(),
            nlohmann::json::parse(r1.out)["total_min"].get<double>() + 500);
}

TEST_F(PlanCli, ShowRefusesMalformedOrForeignPlans) {
  auto bad = write("bad.json", "{\"format\": \"smsup-plan/1\",\n \"steps\": [}\n");
  auto r = smsup({"show", bad});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("bad.json:2:"), std::string::npos) << r.err;
  auto foreign = write("check.json", R"({"format": "smsup-check/1", "ready": true})");
  r = smsup({"show", foreign});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("smsup-plan/1"), std::string::npos) << r.err;
  r = smsup({"show", path("nothing.json")});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("no such file; expected an smsup plan"), std::string::npos) << r.err;
}

TEST_F(PlanCli, HelpNamesTheOptions) {
  auto r = smsup({"plan", "--help"});
  EXPECT_EQ(r.status, 0);
  for (const char* opt : {"--method", "--with-os-sp1", "--max-parallel", "--as-of", "--waive", "--estimates"}) {
    EXPECT_NE(r.out.find(opt), std::string::npos) << opt;
  }
  r = smsup({"show", "--help"});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("gantt"), std::string::npos);
}

}  // namespace
}  // namespace smsup::testing
