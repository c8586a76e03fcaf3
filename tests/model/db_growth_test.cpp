// The one growth model behind the disk rule, the planner, the twin and dbtest.
#include "model/db_growth.h"

#include <gtest/gtest.h>

using namespace smsup;

TEST(DbGrowth, EstimateIsTheMigrationsSharesOfTheDataRoundedUp) {
  // 54.58 % and 100.19 % of 1,000 MB: 545.8 -> 546, 1,001.9 -> 1,002.
  AfterMb a = estimate_after(1000, 200);
  EXPECT_EQ(a.data_mb_after, 1546);
  EXPECT_EQ(a.log_mb_after, 1202);
  // It grows with the data held, whatever the log's size.
  EXPECT_EQ(estimate_after(2000, 5).data_mb_after - 2000, 1092);
  EXPECT_EQ(estimate_after(2000, 5).log_mb_after - 5, 2004);
  EXPECT_EQ(estimate_after(0, 300).data_mb_after, 0);
  EXPECT_EQ(estimate_after(0, 300).log_mb_after, 300);
}

TEST(DbGrowth, MeasuredBlockWinsOverTheEstimate) {
  Database db;
  db.data_mb = 1000;
  db.log_mb = 200;
  DbGrowth e = db_growth(db);
  EXPECT_FALSE(e.measured);
  EXPECT_EQ(e.total_mb(), 546 + 1002);
  db.dbtest = DbTestResult{1500, 400};
  DbGrowth m = db_growth(db);
  EXPECT_TRUE(m.measured);
  EXPECT_EQ(m.data_mb, 500);
  EXPECT_EQ(m.log_mb, 200);
}

TEST(DbGrowth, ScalingLeavesTheEmptyDatabasesPartOut) {
  // A stand-in of 1 MB of catalogs plus 4 MB of inventory that the
  // migration grows to 7 MB (+3 MB, of which the catalogs' +0.5 MB) and logs
  // 5 MB (catalogs 1 MB): the inventory's shares are 2.5/4 and 4/4.
  constexpr double M = 1024.0 * 1024.0;
  MigrationRun empty{1 * M, 1.5 * M, 1 * M};
  MigrationRun run{5 * M, 8 * M, 5 * M};
  AfterMb a = scale_to_site(4000, 100, run, empty);
  EXPECT_EQ(a.data_mb_after, 4000 + 2500);
  EXPECT_EQ(a.log_mb_after, 100 + 4000);
  // Nothing but catalogs: nothing to scale, nothing grows.
  AfterMb none = scale_to_site(4000, 100, empty, empty);
  EXPECT_EQ(none.data_mb_after, 4000);
  EXPECT_EQ(none.log_mb_after, 100);
}

TEST(DbGrowth, ScaledGeneratedRunMatchesTheEstimate) {
  // The model's own generated database, scaled: the same shares at every size.
  for (int64_t n : {1000, 2500, 4000}) {
    AfterMb s = scale_to_site(7400, 1600, generated_run(n), generated_run(0));
    AfterMb e = estimate_after(7400, 1600);
    EXPECT_NEAR(static_cast<double>(s.data_mb_after), static_cast<double>(e.data_mb_after), 1.0) << n;
    EXPECT_NEAR(static_cast<double>(s.log_mb_after), static_cast<double>(e.log_mb_after), 1.0) << n;
  }
}

TEST(DbGrowth, MiniatureHoldsTheSitesClientsWithinBounds) {
  EXPECT_EQ(miniature_clients(0), kMiniatureMin);
  EXPECT_EQ(miniature_clients(1234), 1234);
  EXPECT_EQ(miniature_clients(1000000), kMiniatureMax);
}
