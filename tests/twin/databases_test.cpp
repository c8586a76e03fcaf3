// Each primary site of the twin owns a site database (site_databases.h):
// the twin takes the upgrade's growth from it, the disk rule's estimate and
// dbtest on the same file show the same numbers, and the twin's steps act on
// the database as the real operations would.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <filesystem>
#include <fstream>
#include <algorithm>
#include <map>

#include "dbtest/dbtest.h"
#include "dbtest/site_db.h"
#include "fixture.h"
#include "support.h"
#include "model/db_growth.h"
#include "rules/finding.h"
#include "plan/planner.h"
#include "sitedb/sqlite_site_databases.h"
#include "twin/site_databases.h"
#include "util/error.h"

namespace smsup::twin::test {
namespace {

using sitedb::SqliteSiteDatabases;

namespace fs = std::filesystem;

// Records what the twin asks of its databases; each database grows by what
// `growth` says (MB of data, MB of log).
struct FakeDatabases : SiteDatabases {
  std::map<std::string, std::pair<int64_t, int64_t>> growth;
  std::vector<std::string> calls;
  std::vector<AfterMb> open(const std::vector<Wanted>& sites,
                            const std::function<void(size_t, size_t)>& progress) override {
    std::vector<AfterMb> out;
    for (const auto& w : sites) {
      const TwinSite& s = *w.site;
      calls.push_back("open " + s.code + " " + std::to_string(w.clients));
      auto [d, l] = growth.count(s.code) ? growth[s.code] : std::pair<int64_t, int64_t>{100, 50};
      out.push_back({s.db->data_mb + d, s.db->log_mb + l});
      if (progress) progress(out.size(), sites.size());
    }
    return out;
  }
  void set_replication(const TwinSite& s, bool on) override {
    calls.push_back("replication " + s.code + (on ? " on" : " off"));
  }
  void upgrade(const TwinSite& s, const AfterMb& a) override {
    calls.push_back("upgrade " + s.code + " " + std::to_string(a.data_mb_after) + " " + std::to_string(a.log_mb_after));
  }
  std::string where(const TwinSite& s) const override { return "fake/" + s.code + ".db"; }
};

using TempFolder = ::smsup::test::TempDir;

const TwinSite& site_of(const Twin& t, std::string_view code) {
  return t.sites()[static_cast<size_t>(t.find_site(code))];
}

TEST(TwinDatabases, EveryPrimarySiteGetsOneSizedFromTheClientsItHolds) {
  Hierarchy h = small_hierarchy();
  add_clients(h, "PR1", 1500, ClientKind::advanced, WinFamily::xp, 2, SmsLevel::sp1, "PC");
  add_clients(h, "SEC", 300, ClientKind::advanced, WinFamily::xp, 2, SmsLevel::sp1, "SC");
  Twin t = Twin::from(h, 1, {});
  FakeDatabases dbs;
  std::vector<std::pair<size_t, size_t>> progress;
  t.attach_databases(&dbs, [&](size_t done, size_t total) { progress.emplace_back(done, total); });
  // PR1 holds its own and SEC's clients; CEN holds everyone's; the
  // secondary has no database. A stand-in holds at least kMiniatureMin.
  std::vector<std::string> opens(dbs.calls.begin(), dbs.calls.end());
  std::sort(opens.begin(), opens.end());
  EXPECT_EQ(opens, (std::vector<std::string>{"open CEN 1800", "open PR1 1800"}));
  EXPECT_EQ(progress.back(), (std::pair<size_t, size_t>{2, 2}));
  const TwinSite& pr1 = site_of(t, "PR1");
  EXPECT_EQ(pr1.db->file, "fake/PR1.db");
  EXPECT_EQ(pr1.db->growth_data_mb, 100);
  EXPECT_EQ(pr1.db->growth_log_mb, 50);
  EXPECT_EQ(pr1.db->growth_from, "site database");
  // What the operator knows before a test stays the disk rule's estimate.
  EXPECT_EQ(pr1.db->estimate_mb, db_growth(*h.sites[1].database).total_mb());
  EXPECT_FALSE(site_of(t, "SEC").db.has_value());
}

TEST(TwinDatabases, TheInventorysMeasuredGrowthStaysTheTruth) {
  Hierarchy h = small_hierarchy();
  site(h, "CEN").database->dbtest = DbTestResult{5000, 1300};
  Twin t = Twin::from(h, 1, {});
  FakeDatabases dbs;
  t.attach_databases(&dbs);
  const TwinSite& cen = site_of(t, "CEN");
  EXPECT_EQ(cen.db->growth_data_mb + cen.db->growth_log_mb, 1000 + 500);
  EXPECT_EQ(cen.db->growth_from, "inventory dbtest");
  EXPECT_EQ(cen.db->file, "fake/CEN.db");  // it still has its database
}

TEST(TwinDatabases, DiskCheckKnowsTheEstimateUntilTheTestMeasuresTheRealGrowth) {
  // The estimate fits in the free disk, the real growth does not: the disk
  // check passes on the estimate, the test tells the truth, and an upgrade
  // without the test fails midway, as the checklist warns.
  Hierarchy h = small_hierarchy();
  Database& db = *site(h, "PR1").database;
  int64_t estimate = db_growth(db).total_mb();
  db.free_disk_mb = estimate + 10;
  FakeDatabases dbs;
  dbs.growth["PR1"] = {estimate, 200};  // really needs estimate + 200 MB
  auto ready = [&](Twin& t) {
    t.attach_databases(&dbs);
    for (const auto& s : {step("CEN", "backup"), step("CEN", "upgrade"), step("PR1", "backup")}) {
      ASSERT_TRUE(t.run_step(s).ok) << s.id;
    }
  };
  Twin blind = Twin::from(h, 1, {});
  ready(blind);
  auto check = blind.run_step(step("PR1", "disk-check"));
  EXPECT_TRUE(check.ok) << check.message;
  EXPECT_NE(check.message.find("estimated"), std::string::npos) << check.message;
  auto up = blind.run_step(step("PR1", "upgrade"));
  EXPECT_FALSE(up.ok);
  EXPECT_NE(up.message.find("disk full"), std::string::npos) << up.message;
  EXPECT_EQ(site_of(blind, "PR1").state, SiteState::failed);

  Twin tested = Twin::from(h, 1, {});
  ready(tested);
  auto test = tested.run_step(step("PR1", "dbtest"));
  ASSERT_TRUE(test.ok) << test.message;
  EXPECT_NE(test.message.find(fmt::format("data 2000 -> {} MB", 2000 + estimate)), std::string::npos) << test.message;
  auto measured = tested.run_step(step("PR1", "disk-check"));
  EXPECT_FALSE(measured.ok);
  EXPECT_NE(measured.message.find("measured"), std::string::npos) << measured.message;
}

TEST(TwinDatabases, DiskCheckAgreesWithTheRuleAndThePlanOnRoomForSoftwareInventory) {
  // 2,000 clients at 512 KB of software inventory each: 1,000 MB on top of
  // the upgrade's growth. One MB short of it, the rule flags the database,
  // the plan's disk check asks for the same figure and the twin's disk check
  // fails; at the figure, all three pass.
  Hierarchy h = small_hierarchy();
  add_clients(h, "PR1", 2000, ClientKind::advanced, WinFamily::xp, 2, SmsLevel::sp1, "P");
  Database& db = *site(h, "PR1").database;
  int64_t growth = db_growth(db).total_mb();
  for (int64_t free : {growth + 999, growth + 1000}) {
    SCOPED_TRACE(fmt::format("{} MB free", free));
    db.free_disk_mb = free;
    bool fits = free == growth + 1000;
    rules::Options ro;
    ro.as_of = *parse_date("2006-06-15");
    auto report = rules::evaluate(h, ro);
    bool flagged = std::any_of(report.findings.begin(), report.findings.end(), [](const rules::Finding& f) {
      return f.rule == "db-disk-space" && f.object == "PR101";
    });
    EXPECT_EQ(flagged, !fits);
    auto p = plan::make_plan(h, {}, {});
    const auto* d = p.find("PR1/disk-check");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->params["required_mb"], growth + 1000);
    EXPECT_EQ(d->params["software_inventory_mb"], 1000);
    EXPECT_EQ(d->params["clients_held"], 2000);
    Twin t = Twin::from(h, 1, {});
    for (const auto& s : {step("CEN", "backup"), step("CEN", "upgrade"), step("PR1", "backup")}) {
      ASSERT_TRUE(t.run_step(s).ok) << s.id;
    }
    auto check = t.run_step(step("PR1", "disk-check"));
    EXPECT_EQ(check.ok, fits) << check.message;
    EXPECT_NE(check.message.find(fmt::format(" {} MB needed", growth + 1000)), std::string::npos) << check.message;
    EXPECT_NE(check.message.find("1000 MB for the software inventory of 2000 clients"), std::string::npos)
        << check.message;
  }
}

TEST(TwinDatabases, StepsActOnTheDatabase) {
  Hierarchy h = small_hierarchy();
  site(h, "CEN").database->replication = true;
  Twin t = Twin::from(h, 1, {});
  FakeDatabases dbs;
  t.attach_databases(&dbs);
  dbs.calls.clear();
  ASSERT_TRUE(t.run_step(step("CEN", "replication-disable")).ok);
  ASSERT_TRUE(t.run_step(step("CEN", "upgrade")).ok);
  ASSERT_TRUE(t.run_step(step("CEN", "replication-enable")).ok);
  // The upgrade grew it by the database's own 100 + 50 MB.
  EXPECT_EQ(dbs.calls, (std::vector<std::string>{"replication CEN off", "upgrade CEN 4100 850", "replication CEN on"}));
  EXPECT_EQ(site_of(t, "CEN").db->data_mb, 4100);
}

TEST(TwinDatabases, SameNumbersInTheRuleTheTwinAndDbtestOnTheSameFile) {
  TempFolder dir;
  Hierarchy h = small_hierarchy();
  add_clients(h, "PR1", 1200, ClientKind::advanced, WinFamily::xp, 2, SmsLevel::sp1, "PC");
  Twin t = Twin::from(h, 1, {});
  SqliteSiteDatabases dbs(dir.path, 1);
  t.attach_databases(&dbs);
  const TwinSite& pr1 = site_of(t, "PR1");
  ASSERT_EQ(pr1.db->file, (dir.path / "PR1.db").string());
  ASSERT_TRUE(fs::exists(pr1.db->file));
  // dbtest on the twin's own file: exactly the twin's figures.
  dbtest::Options o;
  o.db = "sqlite:" + pr1.db->file;
  o.migration = dbtest::builtin_migration();
  dbtest::Report r = dbtest::run_sqlite(pr1.db->file, o);
  ASSERT_TRUE(r.passed());
  EXPECT_EQ(r.data_mb_after(), pr1.db->data_mb + pr1.db->growth_data_mb);
  EXPECT_EQ(r.log_mb_after(), pr1.db->log_mb + pr1.db->growth_log_mb);
  // The disk rule's estimate (no test in the inventory): within 1 %.
  double truth = static_cast<double>(pr1.db->growth_data_mb + pr1.db->growth_log_mb);
  EXPECT_NEAR(static_cast<double>(db_growth(*h.sites[1].database).total_mb()), truth, 0.01 * truth);
  EXPECT_EQ(pr1.db->estimate_mb, db_growth(*h.sites[1].database).total_mb());

  // The upgrade migrates the file itself and records the new sizes.
  for (const auto& s : {step("CEN", "backup"), step("CEN", "upgrade"), step("PR1", "backup"), step("PR1", "upgrade")}) {
    ASSERT_TRUE(t.run_step(s).ok) << s.id;
  }
  EXPECT_EQ(dbtest::read_setting_sqlite(pr1.db->file, "SchemaVersion"), "2.50.4160.2000");
  EXPECT_EQ(dbtest::read_setting_sqlite(pr1.db->file, dbtest::kSiteDataMbSetting), std::to_string(pr1.db->data_mb));
  EXPECT_EQ(dbtest::read_setting_sqlite(pr1.db->file, dbtest::kSiteLogMbSetting), std::to_string(pr1.db->log_mb));
}

TEST(TwinDatabases, ALoadedTwinKeepsTheDatabasesItMade) {
  TempFolder dir;
  Hierarchy h = small_hierarchy();
  Twin t = Twin::from(h, 1, {});
  SqliteSiteDatabases dbs(dir.path / "db", 1);
  t.attach_databases(&dbs);
  auto made = fs::last_write_time(dir.path / "db/CEN.db");
  t.save((dir.path / "twin.json").string());
  Twin again = Twin::load((dir.path / "twin.json").string());
  FakeDatabases spy;
  again.attach_databases(&spy);
  EXPECT_TRUE(spy.calls.empty());  // nothing made again
  EXPECT_EQ(site_of(again, "CEN").db->file, (dir.path / "db/CEN.db").string());
  EXPECT_EQ(site_of(again, "CEN").db->growth_data_mb, site_of(t, "CEN").db->growth_data_mb);
  // A fresh twin on the same folder finds the same databases, unchanged.
  Twin fresh = Twin::from(h, 1, {});
  fresh.attach_databases(&dbs);
  EXPECT_EQ(fs::last_write_time(dir.path / "db/CEN.db"), made);
  EXPECT_EQ(site_of(fresh, "CEN").db->growth_log_mb, site_of(t, "CEN").db->growth_log_mb);
}

TEST(TwinDatabases, ADatabaseMadeForAnotherInventoryIsMadeAgain) {
  // A run killed before its twin was saved leaves databases; the next fresh
  // twin, of an inventory that changed since, does not take them as its own.
  TempFolder dir;
  Hierarchy h = small_hierarchy();
  Twin first = Twin::from(h, 1, {});
  SqliteSiteDatabases dbs(dir.path, 1);
  first.attach_databases(&dbs);
  int64_t growth_4000 = site_of(first, "CEN").db->growth_data_mb;
  site(h, "CEN").database->data_mb = 8000;
  Twin second = Twin::from(h, 1, {});
  second.attach_databases(&dbs);
  EXPECT_EQ(dbtest::read_setting_sqlite((dir.path / "CEN.db").string(), dbtest::kSiteDataMbSetting), "8000");
  EXPECT_NEAR(static_cast<double>(site_of(second, "CEN").db->growth_data_mb), 2.0 * static_cast<double>(growth_4000),
              2.0);
  // Upgraded by that twin: a fresh twin starts from a database at SP1 again.
  for (const auto& s : {step("CEN", "backup"), step("CEN", "upgrade")}) ASSERT_TRUE(second.run_step(s).ok) << s.id;
  ASSERT_EQ(dbtest::read_setting_sqlite((dir.path / "CEN.db").string(), "SchemaVersion"), dbtest::kSp2SchemaVersion);
  Twin fourth = Twin::from(h, 1, {});
  fourth.attach_databases(&dbs);
  EXPECT_EQ(dbtest::read_setting_sqlite((dir.path / "CEN.db").string(), "SchemaVersion"), "2.50.3174.1018");
  EXPECT_EQ(site_of(fourth, "CEN").db->growth_data_mb, site_of(second, "CEN").db->growth_data_mb);
  // Another seed: another database.
  std::string before = dbtest::read_setting_sqlite((dir.path / "CEN.db").string(), "smsup.made_for");
  Twin third = Twin::from(h, 1, {});
  SqliteSiteDatabases other_seed(dir.path, 2);
  third.attach_databases(&other_seed);
  EXPECT_NE(dbtest::read_setting_sqlite((dir.path / "CEN.db").string(), "smsup.made_for"), before);
}

TEST(TwinDatabases, ADiskTooSmallForThemIsRefusedBeforeAnythingIsWritten) {
  // A 4 MB disk: a real one, a tmpfs, where the system lets the tests mount.
  TempFolder dir;
  fs::create_directories(dir.path);
  if (::mount("tmpfs", dir.path.c_str(), "tmpfs", 0, "size=4m") != 0) {
    // Never a silent skip: the refusal would go untested (CI runs as root).
    GTEST_FAIL() << "this test mounts a 4 MB tmpfs and cannot here (" << std::strerror(errno)
                 << "): run the tests as root, as CI does";
  }
  Twin t = Twin::from(small_hierarchy(), 1, {});
  SqliteSiteDatabases dbs(dir.path / "db", 1);
  try {
    dbs.check_room(t.sites());
    ADD_FAILURE() << "no refusal";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("the sites' databases need about"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--no-databases"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(dir.path / "db"));
  ::umount(dir.path.c_str());
  // On the ordinary disk the same databases fit.
  SqliteSiteDatabases roomy(dir.path / "db", 1);
  EXPECT_NO_THROW(roomy.check_room(t.sites()));
}

TEST(TwinDatabases, AFolderThatCannotBeMadeIsAClearError) {
  TempFolder dir;
  fs::create_directories(dir.path);
  std::ofstream(dir.path / "file") << "x";
  Twin t = Twin::from(small_hierarchy(), 1, {});
  SqliteSiteDatabases dbs(dir.path / "file" / "db", 1);
  try {
    t.attach_databases(&dbs);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot create the twin's database directory"), std::string::npos) << e.what();
  }
}

TEST(TwinDatabases, AFileThatIsNotTheTwinsIsRefused) {
  TempFolder dir;
  fs::create_directories(dir.path);
  dbtest::generate_sqlite((dir.path / "CEN.db").string(), 10, 1);  // a site database, but not a stand-in
  Twin t = Twin::from(small_hierarchy(), 1, {});
  SqliteSiteDatabases dbs(dir.path, 1);
  EXPECT_THROW(t.attach_databases(&dbs), InputError);
}

}  // namespace
}  // namespace smsup::twin::test
