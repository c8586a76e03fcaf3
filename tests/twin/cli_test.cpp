// End to end: the real smsup binary on the bundled example.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "fixture.h"
#include "support.h"
#include "inventory/inventory.h"

namespace smsup::twin::test {
namespace {

namespace fs = std::filesystem;

// Runs smsup (tests/support), handing its stderr to `err` when asked.
::smsup::test::Ran smsup(const std::vector<std::string>& args, std::string* err = nullptr) {
  auto r = ::smsup::test::run_smsup(args);
  if (err) *err = r.err;
  return r;
}

struct CliTest : ::testing::Test {
  fs::path dir = ::smsup::test::test_dir();
  std::string example = std::string(SMSUP_SOURCE_DIR) + "/examples/contoso/contoso.yaml";
  // A hand-built plan in the spec's step kinds, naming the example inventory.
  std::string write_plan(bool fix_everything) {
    Hierarchy h = inventory::load(example);
    plan::Plan p = straight_plan(h);
    if (fix_everything) {
      // Disable replication first where it is on, as the planner would.
      for (auto& s : h.sites) {
        if (s.database && s.database->replication) {
          p.steps.insert(p.steps.begin(), step(s.code, "replication-disable"));
          for (auto& st : p.steps) {
            if (st.id == s.code + "/backup") st.after.push_back(s.code + "/replication-disable");
          }
        }
      }
    }
    p.inventory = example;
    p.inventory_sha256 = h.sha256;
    p.created = "2006-06-12T08:00:00Z";
    p.options.as_of = "2006-06-12";
    std::string path = (dir / "plan.json").string();
    plan::save(p, path);
    return path;
  }
};

TEST_F(CliTest, RehearseWritesReportAndSiteLogs) {
  std::string plan = write_plan(true);
  std::string err;
  auto r = smsup({"rehearse", plan, "--format", "json", "--twin-dir", (dir / "twin").string(), "--seed", "3"}, &err);
  ASSERT_TRUE(r.status == 0 || r.status == 1) << err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["format"], "smsup-rehearsal/1");
  EXPECT_EQ(j["hierarchy"], "Contoso");
  EXPECT_EQ(r.status, j["ok"].get<bool>() ? 0 : 1);
  EXPECT_TRUE(fs::exists(dir / "twin/SEA-SMS01/C/SMSSetup.log"));
  EXPECT_TRUE(fs::exists(dir / "twin/twin-state.json"));
  EXPECT_TRUE(fs::exists(dir / "twin/site-databases/NAM.db"));
  // Same seed, same report, wherever the databases were made (here in a
  // temporary folder, removed after).
  auto again = smsup({"rehearse", plan, "--format", "json", "--seed", "3"});
  auto j2 = nlohmann::json::parse(again.out);
  for (auto* x : {&j, &j2}) {
    x->erase("log_lines");
    for (auto& s : (*x)["sites"]) {
      if (s.contains("database")) s["database"].erase("file");
    }
  }
  EXPECT_EQ(j.dump(), j2.dump());
}

// NAM's database is replicated: its backup copy cannot be tested, so the
// rehearsal stops NAM (and its children) at dbtest.
TEST_F(CliTest, RehearseWithoutDisablingReplicationFailsThatSite) {
  std::string plan = write_plan(false);
  auto r = smsup({"rehearse", plan, "--format", "json"});
  EXPECT_EQ(r.status, 1);
  auto j = nlohmann::json::parse(r.out);
  bool found = false;
  for (const auto& s : j["steps"]) {
    if (s["id"] == "NAM/upgrade") {
      EXPECT_EQ(s["status"], "skipped");
    }
    if (s["id"] == "NAM/dbtest") {
      EXPECT_EQ(s["status"], "failed");
      EXPECT_NE(s["message"].get<std::string>().find("replication"), std::string::npos);
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(CliTest, RehearseRefusesBadFaultsWithStatus2) {
  std::string plan = write_plan(true);
  std::string err;
  auto r = smsup({"rehearse", plan, "--faults", "upgrade@NAM=explode"}, &err);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(err.find("upgrade@NAM=explode"), std::string::npos) << err;
}

TEST_F(CliTest, RehearseRefusesAChangedInventory) {
  std::string plan = write_plan(true);
  auto j = nlohmann::json::parse(std::ifstream(plan));
  j["inventory_sha256"] = "0000";
  std::ofstream(plan) << j.dump();
  std::string err;
  EXPECT_EQ(smsup({"rehearse", plan}, &err).status, 2);
  EXPECT_NE(err.find("changed"), std::string::npos) << err;
  EXPECT_NE(smsup({"rehearse", plan, "--force"}).status, 2);
}

TEST_F(CliTest, RehearseRefusesAForeignTwinDir) {
  std::string plan = write_plan(true);
  fs::create_directories(dir / "mine");
  std::ofstream(dir / "mine/keep.txt") << "mine";
  EXPECT_EQ(smsup({"rehearse", plan, "--twin-dir", (dir / "mine").string()}).status, 2);
  EXPECT_TRUE(fs::exists(dir / "mine/keep.txt"));
}

// The real planner's plan of the example, rehearsed by the real binary.
TEST_F(CliTest, RehearsesThePlannersPlanOfTheExample) {
  std::string plan = (dir / "planned.json").string();
  std::string err;
  auto made = smsup({"plan", example, "-o", plan, "--as-of", "2006-06-12", "--waive", "drw-required"}, &err);
  ASSERT_EQ(made.status, 0) << err;
  auto r = smsup({"rehearse", plan, "--format", "json", "--days", "3"}, &err);
  ASSERT_TRUE(r.status == 0 || r.status == 1) << err;
  auto j = nlohmann::json::parse(r.out);
  auto p = nlohmann::json::parse(std::ifstream(plan));
  EXPECT_EQ(j["steps"].size(), p["steps"].size());
  EXPECT_EQ(j["clients"]["days"].size(), 3u);
  EXPECT_EQ(r.status, j["ok"].get<bool>() ? 0 : 1);
  // APA's database does not autogrow: the plan makes its disk check the
  // operator's step that turns autogrow on, and the twin then passes it.
  for (const auto& s : j["steps"]) {
    if (s["id"] == "APA/disk-check") {
      EXPECT_EQ(s["status"], "ok");
    }
  }
}

TEST_F(CliTest, ClientsReportsTheCampaignAndWritesPushCollections) {
  std::string err;
  auto r = smsup({"clients", example, "--push-csv", (dir / "push").string()}, &err);
  EXPECT_TRUE(r.status == 0 || r.status == 1) << err;
  EXPECT_NE(r.out.find("need a push or advertisement"), std::string::npos) << r.out;
  bool any = false;
  for (const auto& e : fs::directory_iterator(dir / "push"))
    any = any || e.path().filename().string().starts_with("push-");
  EXPECT_TRUE(any);
  auto js = smsup({"clients", example, "--format", "json"});
  auto j = nlohmann::json::parse(js.out);
  EXPECT_EQ(j["format"], "smsup-clients/1");
  EXPECT_EQ(js.status, j["cannot"].get<int64_t>() == 0 ? 0 : 1);
}

TEST_F(CliTest, RehearseWithoutDatabasesTakesTheModelsGrowth) {
  std::string plan = write_plan(true);
  std::string err;
  auto r = smsup({"rehearse", plan, "--format", "json", "--no-databases", "--days", "2"}, &err);
  ASSERT_TRUE(r.status == 0 || r.status == 1) << err;
  auto j = nlohmann::json::parse(r.out);
  int dbs = 0;
  for (const auto& s : j["sites"]) {
    if (!s.contains("database")) continue;
    ++dbs;
    EXPECT_TRUE(s["database"]["file"].is_null()) << s["code"];
    EXPECT_NE(s["database"]["growth_from"], "site database") << s["code"];
    if (s["database"]["growth_from"] == "estimate") {
      EXPECT_EQ(s["database"]["growth_mb"], s["database"]["estimate_mb"]);
    }
  }
  EXPECT_EQ(dbs, 5);
  // Text says so, and an unknown flag is bad input.
  auto text = smsup({"rehearse", plan, "--no-databases", "--days", "2"});
  EXPECT_NE(text.out.find("(estimate)"), std::string::npos) << text.out;
  EXPECT_EQ(smsup({"rehearse", plan, "--no-database"}).status, 2);
}

TEST_F(CliTest, TwinMakeGivesEachPrimarySiteADatabaseThatDbtestReadsAlike) {
  std::string err;
  auto r = smsup({"twin", "make", example, "--twin-dir", (dir / "made").string(), "--format", "json"}, &err);
  ASSERT_EQ(r.status, 0) << err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["format"], "smsup-twin-make/1");
  ASSERT_EQ(j["databases"].size(), 5u);  // Contoso's five primary sites
  EXPECT_NO_THROW(Twin::load((dir / "made/twin-state.json").string()));
  for (const auto& d : j["databases"]) {
    if (d["code"] != "EUR") continue;
    EXPECT_EQ(d["growth_from"], "site database");
    // dbtest on the twin's own EUR database: the twin's growth, exactly.
    auto t = smsup({"dbtest", "--db", "sqlite:" + d["file"].get<std::string>(), "--format", "json"}, &err);
    ASSERT_EQ(t.status, 0) << err;
    EXPECT_EQ(nlohmann::json::parse(t.out)["growth_mb"], d["growth_mb"]);
    // The disk rule's estimate is within 1 % of it.
    EXPECT_NEAR(d["estimate_mb"].get<double>(), d["growth_mb"].get<double>(), 0.01 * d["growth_mb"].get<double>());
  }
  // Made again in the same folder: replaced, same result (same seed).
  auto again = smsup({"twin", "make", example, "--twin-dir", (dir / "made").string(), "--format", "json"});
  ASSERT_EQ(again.status, 0);
  EXPECT_EQ(nlohmann::json::parse(again.out)["databases"], j["databases"]);
  // A folder smsup did not make, and a bad inventory: exit 2, nothing written.
  fs::create_directories(dir / "mine");
  std::ofstream(dir / "mine/notes.txt") << "mine";
  EXPECT_EQ(smsup({"twin", "make", example, "--twin-dir", (dir / "mine").string()}).status, 2);
  EXPECT_TRUE(fs::exists(dir / "mine/notes.txt"));
  std::ofstream(dir / "bad.yaml") << "format: smsup-inventory/1\nsites: 7\n";
  EXPECT_EQ(smsup({"twin", "make", (dir / "bad.yaml").string(), "--twin-dir", (dir / "bad").string()}).status, 2);
  EXPECT_FALSE(fs::exists(dir / "bad"));
}

}  // namespace
}  // namespace smsup::twin::test
