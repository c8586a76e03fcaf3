// The site database generator, measurement and growth estimate.
#include "dbtest/site_db.h"

#include <gtest/gtest.h>

#include "dbtest/sqlite_db.h"
#include "helpers.h"
#include "util/error.h"

using namespace smsup::dbtest;
using dbtest_test::TempDir;

TEST(SiteDb, SameSeedGivesTheSameDatabase) {
  TempDir d;
  generate_sqlite(d / "a.db", 300, 7);
  generate_sqlite(d / "b.db", 300, 7);
  generate_sqlite(d / "c.db", 300, 8);
  EXPECT_EQ(dbtest_test::sha256_file(d / "a.db"), dbtest_test::sha256_file(d / "b.db"));
  EXPECT_NE(dbtest_test::sha256_file(d / "a.db"), dbtest_test::sha256_file(d / "c.db"));
}

TEST(SiteDb, VolumesPerClientAreRealistic) {
  TempDir d;
  auto st = generate_sqlite(d / "s.db", 2000, 3);
  SqliteDb db(d / "s.db", SQLITE_OPEN_READONLY);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM System_DISC"), 2000);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM MachineIdGroupXRef"), 2000);
  // every client has 10-30 software files and 6-18 Add/Remove Programs rows
  EXPECT_EQ(db.scalar("SELECT min(n) >= 10 AND max(n) <= 30 FROM (SELECT count(*) n FROM "
                      "SoftwareInventory GROUP BY ClientId)"),
            1);
  EXPECT_EQ(db.scalar("SELECT count(DISTINCT ClientId) FROM SoftwareInventory"), 2000);
  EXPECT_EQ(db.scalar("SELECT min(n) >= 6 AND max(n) <= 18 FROM (SELECT count(*) n FROM "
                      "Add_Remove_Programs_DATA GROUP BY MachineID)"),
            1);
  // every inventoried file is in the catalog
  EXPECT_EQ(db.scalar("SELECT count(*) FROM SoftwareInventory si LEFT JOIN SoftwareFile f ON "
                      "f.FileID = si.FileID WHERE f.FileID IS NULL"),
            0);
  EXPECT_EQ(db.text("SELECT Value FROM SiteSettings WHERE Name = 'Replication'"), "false");
  EXPECT_EQ(db.text("SELECT Value FROM SiteSettings WHERE Name = 'SchemaVersion'"), "2.50.3174.1018");
  int64_t total = 0;
  for (const char* t :
       {"SiteSettings", "SiteControl", "MachineIdGroupXRef", "System_DISC", "System_IP_Address_ARR",
        "Computer_System_DATA", "Operating_System_DATA", "Logical_Disk_DATA", "Add_Remove_Programs_DATA",
        "SoftwareProduct", "SoftwareFile", "SoftwareInventory", "StatusMessages", "StatusMessageInsStrs"}) {
    total += db.scalar(std::string("SELECT count(*) FROM ") + t);
  }
  EXPECT_EQ(total, st.rows);
}

TEST(SiteDb, ReplicationFlagIsRecorded) {
  TempDir d;
  GenerateOptions o;
  o.clients = 10;
  o.replication = true;
  generate_sqlite(d / "r.db", o);
  SqliteDb db(d / "r.db", SQLITE_OPEN_READONLY);
  EXPECT_EQ(db.text("SELECT Value FROM SiteSettings WHERE Name = 'Replication'"), "true");
}

TEST(SiteDb, NeverOverwritesAnExistingFile) {
  TempDir d;
  generate_sqlite(d / "s.db", 10, 1);
  std::string before = dbtest_test::sha256_file(d / "s.db");
  EXPECT_THROW(generate_sqlite(d / "s.db", 20, 2), smsup::InputError);
  EXPECT_EQ(dbtest_test::sha256_file(d / "s.db"), before);
}

TEST(SiteDb, SizeGrowsWithClients) {
  TempDir d;
  generate_sqlite(d / "small.db", 500, 1);
  generate_sqlite(d / "big.db", 5000, 1);
  Sizes small = measure_sqlite(d / "small.db"), big = measure_sqlite(d / "big.db");
  EXPECT_GT(big.data_bytes, 5 * small.data_bytes);
  EXPECT_EQ(big.log_bytes, 0);
  EXPECT_THROW(measure_sqlite(d / "none.db"), smsup::InputError);
}

TEST(SiteDb, GrowthEstimateMatchesAMeasuredMigrationWithinAQuarter) {
  TempDir d;
  const int64_t n = 8000;
  generate_sqlite(d / "s.db", n, 11);
  Sizes before = measure_sqlite(d / "s.db");
  SqliteDb db(d / "s.db", SQLITE_OPEN_READWRITE);
  db.exec("PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0");
  db.exec("BEGIN");
  db.exec(std::string(sp2_migration_sql()));
  db.exec("COMMIT");
  double after_mb = static_cast<double>(sqlite_data_bytes(db)) / 1048576.0;
  double log_mb = static_cast<double>(sqlite_wal_bytes(d / "s.db")) / 1048576.0;
  Growth g = estimate_growth(n);
  EXPECT_NEAR(g.data_mb_before, before.data_mb(), before.data_mb() * 0.25);
  EXPECT_NEAR(g.data_mb_after, after_mb, after_mb * 0.25);
  EXPECT_NEAR(g.log_mb_after, log_mb, log_mb * 0.25);
  EXPECT_GT(g.growth_mb(), 0.3 * before.data_mb());  // "significant amounts of data"
}
