// Stand-ins: the twin's site databases name the real database they stand
// for, and dbtest gives its figures at that size, the same the disk rule's
// model gives; the twin's replication and upgrade operations on them.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "dbtest/dbtest.h"
#include "dbtest/site_db.h"
#include "dbtest/sqlite_db.h"
#include "helpers.h"
#include "model/db_growth.h"
#include "util/error.h"

using namespace smsup;
using namespace smsup::dbtest;
using dbtest_test::opts_for;
using dbtest_test::TempDir;

namespace {

std::string stand_in(const TempDir& d, const std::string& name, int64_t clients, int64_t data_mb, int64_t log_mb) {
  GenerateOptions g;
  g.clients = clients;
  g.seed = 5;
  g.site_code = "EUR";
  g.site_data_mb = data_mb;
  g.site_log_mb = log_mb;
  generate_sqlite(d / name, g);
  return d / name;
}

}  // namespace

TEST(StandIn, DbtestGivesTheFiguresAtTheSitesSizeAsTheModelDoes) {
  TempDir d;
  std::string path = stand_in(d, "EUR.db", 2000, 7400, 1600);
  Report r = run_sqlite(path, opts_for(path));
  ASSERT_TRUE(r.passed());
  ASSERT_TRUE(r.site.has_value());
  EXPECT_EQ(r.site->data_mb, 7400);
  EXPECT_EQ(r.site->log_mb, 1600);
  // The inventory's block is at the real size, not the file's 8 MB.
  EXPECT_EQ(r.data_mb_after(), r.site->after.data_mb_after);
  EXPECT_EQ(r.log_mb_after(), r.site->after.log_mb_after);
  // The same numbers the disk rule estimates without a test, within 1 %.
  AfterMb e = estimate_after(7400, 1600);
  EXPECT_NEAR(static_cast<double>(r.growth_mb()), static_cast<double>(e.data_mb_after - 7400 + e.log_mb_after - 1600),
              0.01 * 11454);
  // The baseline is a real empty site database under the same migration:
  // the model's figures for it hold.
  EXPECT_EQ(r.site->empty.before, kEmptySiteDb.before);
  EXPECT_EQ(r.site->empty.after, kEmptySiteDb.after);
  EXPECT_EQ(r.site->empty.log, kEmptySiteDb.log);
  // Text and JSON say it.
  std::string text = format_text(r);
  EXPECT_NE(text.find("a stand-in for a site database of 7400 MB data and 1600 MB log"), std::string::npos) << text;
  EXPECT_NE(text.find("data_mb_after: " + std::to_string(r.data_mb_after())), std::string::npos) << text;
  auto j = nlohmann::json::parse(format_json(r));
  EXPECT_EQ(j["site"]["data_mb_after"], r.data_mb_after());
  EXPECT_EQ(j["dbtest"]["log_mb_after"], r.log_mb_after());
  EXPECT_EQ(j["growth_mb"], r.growth_mb());
}

// A stand-in's few seconds are not the real database's: the report says the
// stand-in's size and estimates the real size's time at the measured rate.
TEST(StandIn, TheTimeIsGivenForTheStandInAndEstimatedForTheRealSize) {
  TempDir d;
  std::string path = stand_in(d, "EUR.db", 2000, 7400, 1600);
  Report r = run_sqlite(path, opts_for(path));
  ASSERT_TRUE(r.passed());
  auto real = r.seconds_at_site_size();
  ASSERT_TRUE(real.has_value());
  double stand_in_bytes = static_cast<double>(r.before.data_bytes + r.before.log_bytes);
  EXPECT_NEAR(*real, r.migration_seconds * 9000.0 * 1048576.0 / stand_in_bytes, 1e-6 * *real);
  EXPECT_GT(*real, 100 * r.migration_seconds);  // 9,000 MB against the stand-in's few MB
  std::string text = format_text(r);
  EXPECT_NE(text.find(fmt::format("PASSED: the database part of the upgrade succeeds on this {:.1f} MB stand-in in",
                                  stand_in_bytes / 1048576.0)),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("real size   for the real 9000 MB (7400 MB data, 1600 MB log) the migration would take about "),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("(an estimate: the stand-in's"), std::string::npos) << text;
  EXPECT_EQ(text.find("will succeed"), std::string::npos) << text;
  auto j = nlohmann::json::parse(format_json(r));
  EXPECT_DOUBLE_EQ(j["site"]["estimated_migration_seconds"].get<double>(), *real);
}

TEST(StandIn, FitIsJudgedAtTheSitesSize) {
  TempDir d;
  std::string path = stand_in(d, "EUR.db", 1000, 7400, 1600);
  Options o = opts_for(path);
  o.free_disk_mb = 9000;  // the file's growth (a few MB) fits; the site's (~11,450 MB) does not
  Report r = run_sqlite(path, o);
  ASSERT_TRUE(r.fits().has_value());
  EXPECT_FALSE(*r.fits());
  EXPECT_FALSE(r.passed());
  o.free_disk_mb = 20000;
  EXPECT_TRUE(*run_sqlite(path, o).fits());
}

TEST(StandIn, APlainDatabaseIsMeasuredAsItIs) {
  TempDir d;
  generate_sqlite(d / "s.db", 500, 3);
  Report r = run_sqlite(d / "s.db", opts_for(d / "s.db"));
  EXPECT_FALSE(r.site.has_value());
  EXPECT_EQ(r.data_mb_after(), (r.after.data_bytes + 1048575) / 1048576);
  EXPECT_TRUE(nlohmann::json::parse(format_json(r))["site"].is_null());
  EXPECT_FALSE(r.seconds_at_site_size().has_value());
  EXPECT_EQ(format_text(r).find("real size"), std::string::npos);
  EXPECT_NE(format_text(r).find("PASSED: the database part of the upgrade will succeed in"), std::string::npos);
}

TEST(StandIn, ModelPerClientFiguresHoldOnFreshDatabases) {
  // kPerClient in model/db_growth.h, measured again: two sizes, their slope.
  TempDir d;
  auto run_of = [&](const std::string& name, int64_t n) {
    generate_sqlite(d / name, n, 1);
    Report r = run_sqlite(d / name, opts_for(d / name));
    EXPECT_TRUE(r.passed());
    return MigrationRun{static_cast<double>(r.before.data_bytes), static_cast<double>(r.after.data_bytes),
                        static_cast<double>(r.after.log_bytes)};
  };
  MigrationRun a = run_of("a.db", 2000), b = run_of("b.db", 6000);
  EXPECT_NEAR((b.before - a.before) / 4000, kPerClient.before, 0.02 * kPerClient.before);
  EXPECT_NEAR((b.after - a.after) / 4000, kPerClient.after, 0.02 * kPerClient.after);
  EXPECT_NEAR((b.log - a.log) / 4000, kPerClient.log, 0.02 * kPerClient.log);
}

TEST(StandIn, UpgradeInPlaceMigratesOnceAndRecordsTheNewSizes) {
  TempDir d;
  std::string path = stand_in(d, "EUR.db", 300, 7400, 1600);
  EXPECT_TRUE(upgrade_sqlite(path, sp2_migration_sql(), 11446, 9014));
  {
    SqliteDb db(path, SQLITE_OPEN_READONLY);
    EXPECT_EQ(db.text("SELECT Value FROM SiteSettings WHERE Name = 'SchemaVersion'"), "2.50.4160.2000");
    EXPECT_TRUE(db.has_table("SoftwareFilePath"));
    EXPECT_EQ(db.scalar("SELECT count(*) FROM System_DISC"), 300);
  }
  EXPECT_EQ(read_setting_sqlite(path, kSiteDataMbSetting), "11446");
  EXPECT_EQ(read_setting_sqlite(path, kSiteLogMbSetting), "9014");
  // Again (a resumed run replays the step): nothing happens.
  EXPECT_FALSE(upgrade_sqlite(path, sp2_migration_sql(), 1, 1));
  EXPECT_EQ(read_setting_sqlite(path, kSiteDataMbSetting), "11446");
}

TEST(StandIn, AFailingMigrationLeavesTheDatabaseAsItWas) {
  TempDir d;
  std::string path = stand_in(d, "EUR.db", 100, 7400, 1600);
  std::string before = dbtest_test::sha256_file(path);
  EXPECT_THROW(upgrade_sqlite(path, "CREATE TABLE x (a INT); SELECT * FROM no_such_table;", 1, 1), InputError);
  EXPECT_EQ(dbtest_test::sha256_file(path), before);
}

TEST(StandIn, ReplicationTurnedOnMakesDbtestRefuse) {
  TempDir d;
  std::string path = stand_in(d, "EUR.db", 100, 7400, 1600);
  set_replication_sqlite(path, true);
  EXPECT_EQ(read_setting_sqlite(path, "Replication"), "true");
  EXPECT_THROW(run_sqlite(path, opts_for(path)), InputError);
  set_replication_sqlite(path, false);
  EXPECT_NO_THROW(run_sqlite(path, opts_for(path)));
}

TEST(StandIn, SettingsOfSomethingElseAreRefused) {
  TempDir d;
  EXPECT_THROW(read_setting_sqlite(d / "none.db", "x"), InputError);
  {
    SqliteDb db(d / "other.db", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    db.exec("CREATE TABLE t (a INT)");
  }
  EXPECT_THROW(write_setting_sqlite(d / "other.db", "x", "1"), InputError);
  EXPECT_THROW(upgrade_sqlite(d / "other.db", sp2_migration_sql(), 1, 1), InputError);
}

TEST(StandIn, ADatabaseAtSp2AlreadyIsNotTestedAgain) {
  TempDir d;
  std::string path = stand_in(d, "EUR.db", 100, 7400, 1600);
  ASSERT_TRUE(upgrade_sqlite(path, sp2_migration_sql(), 11446, 9014));
  try {
    run_sqlite(path, opts_for(path));
    FAIL() << "no refusal";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("at SMS 2003 SP2 already"), std::string::npos) << e.what();
  }
}
