// The real binary: `smsup twin db` and `smsup dbtest` as a user runs them.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "helpers.h"

using dbtest_test::run_smsup;
using dbtest_test::sha256_file;
using dbtest_test::TempDir;

TEST(DbtestCli, HappyPathPrintsJsonWithTheInventoryBlockAndExitsZero) {
  TempDir d;
  auto gen = run_smsup({"twin", "db", "--clients", "1200", "-o", d / "SMS_CEN.db", "--seed", "3"});
  ASSERT_EQ(gen.status, 0) << gen.err;
  EXPECT_NE(gen.out.find("1200 clients"), std::string::npos);
  std::string sum = sha256_file(d / "SMS_CEN.db");
  auto r = run_smsup({"dbtest", "--db", "sqlite:" + (d / "SMS_CEN.db"), "--free-disk-mb", "5000", "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["passed"], true);
  EXPECT_EQ(j["fits"], true);
  EXPECT_GT(j["dbtest"]["data_mb_after"].get<int>(), 0);
  EXPECT_GT(j["dbtest"]["log_mb_after"].get<int>(), 0);
  EXPECT_GE(j["after"]["data_bytes"].get<int64_t>(), j["before"]["data_bytes"].get<int64_t>());
  EXPECT_EQ(j["copy"]["kept"], false);
  EXPECT_EQ(sha256_file(d / "SMS_CEN.db"), sum);
}

TEST(DbtestCli, TextReportShowsGrowthAndTheDbtestBlock) {
  TempDir d;
  ASSERT_EQ(run_smsup({"twin", "db", "--clients", "300", "-o", d / "s.db"}).status, 0);
  auto r = run_smsup({"dbtest", "--db", "sqlite:" + (d / "s.db"), "--free-disk-mb", "0"});
  EXPECT_EQ(r.status, 1);  // growth does not fit in 0 MB
  EXPECT_NE(r.out.find("DOES NOT FIT"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("data_mb_after:"), std::string::npos);
  EXPECT_NE(r.out.find("log_mb_after:"), std::string::npos);
}

TEST(DbtestCli, ReplicationIsRefusedWithExitTwoAndNothingCopied) {
  TempDir d;
  ASSERT_EQ(run_smsup({"twin", "db", "--clients", "50", "-o", d / "r.db", "--replication"}).status, 0);
  std::string sum = sha256_file(d / "r.db");
  auto r = run_smsup({"dbtest", "--db", "sqlite:" + (d / "r.db")});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("replication"), std::string::npos) << r.err;
  EXPECT_EQ(dbtest_test::files_in(d.path), std::vector<std::string>{"r.db"});
  EXPECT_EQ(sha256_file(d / "r.db"), sum);
}

TEST(DbtestCli, BadDbIsExitTwoWithOneMessage) {
  auto r = run_smsup({"dbtest", "--db", "oracle:foo"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--db"), std::string::npos) << r.err;
  EXPECT_EQ(run_smsup({"dbtest", "--db", "sqlite:/nonexistent/x.db"}).status, 2);
  EXPECT_EQ(run_smsup({"dbtest", "--db", "postgresql://nobody@127.0.0.1:1/x?connect_timeout=2"}).status, 2);
  EXPECT_EQ(run_smsup({"dbtest"}).status, 2);
}

TEST(DbtestCli, UserMigrationFileFromTheCommandLine) {
  TempDir d;
  ASSERT_EQ(run_smsup({"twin", "db", "--clients", "100", "-o", d / "s.db"}).status, 0);
  std::ofstream(d / "m.sql") << "-- smsup:keep-rows System_DISC\nCREATE INDEX d_name ON System_DISC (Name0);\n";
  auto r = run_smsup({"dbtest", "--db", "sqlite:" + (d / "s.db"), "--migration", d / "m.sql", "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["migration"]["name"], d / "m.sql");
  ASSERT_EQ(j["checks"].size(), 3u);  // integrity, System_DISC rows, the original unchanged
  EXPECT_EQ(j["checks"][2]["name"], "original unchanged");
}

TEST(TwinDbCli, BadOptionsAreExitTwo) {
  TempDir d;
  EXPECT_EQ(run_smsup({"twin", "db", "--clients", "10"}).status, 2);  // no -o
  ASSERT_EQ(run_smsup({"twin", "db", "--clients", "10", "-o", d / "x.db"}).status, 0);
  auto again = run_smsup({"twin", "db", "--clients", "10", "-o", d / "x.db"});
  EXPECT_EQ(again.status, 2);
  EXPECT_NE(again.err.find("already exists"), std::string::npos);
  EXPECT_EQ(run_smsup({"twin", "db", "--help"}).status, 0);
  EXPECT_EQ(run_smsup({"dbtest", "--help"}).status, 0);
}

TEST(TwinDbCli, StandInGivesDbtestTheFiguresAtTheRealSize) {
  TempDir d;
  auto made = run_smsup({"twin", "db", "--clients", "1000", "-o", d / "s.db", "--site-data-mb", "3000", "--site-log-mb",
                         "500", "--format", "json"});
  ASSERT_EQ(made.status, 0) << made.err;
  EXPECT_EQ(nlohmann::json::parse(made.out)["stands_for"]["data_mb"], 3000);
  auto r = run_smsup({"dbtest", "--db", "sqlite:" + (d / "s.db"), "--format", "json", "--free-disk-mb", "1000"});
  EXPECT_EQ(r.status, 1) << r.err;  // ~4,650 MB of growth at 3,000 MB does not fit in 1,000
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["site"]["data_mb"], 3000);
  EXPECT_GT(j["dbtest"]["data_mb_after"].get<int64_t>(), 3000 + 1500);
  EXPECT_FALSE(j["fits"].get<bool>());
  // Half a stand-in, or a PostgreSQL one, is refused.
  EXPECT_EQ(run_smsup({"twin", "db", "--clients", "10", "-o", d / "h.db", "--site-data-mb", "3000"}).status, 2);
  EXPECT_EQ(run_smsup({"twin", "db", "--clients", "10", "--engine", "postgresql", "--db", "postgresql://127.0.0.1/x",
                       "--site-data-mb", "3000", "--site-log-mb", "5"})
                .status,
            2);
}

TEST(TwinDbCli, PostgresqlEngineFillsADatabaseThatDbtestAccepts) {
  REQUIRE_POSTGRES();
  pg->create_db("SMS_CLI");
  auto gen = run_smsup({"twin", "db", "--engine", "postgresql", "--clients", "200", "--db", pg->url("SMS_CLI")});
  ASSERT_EQ(gen.status, 0) << gen.err;
  EXPECT_EQ(pg->psql("SMS_CLI", "SELECT count(*) FROM System_DISC"), "200\n");
  std::string sum = pg->checksum("SMS_CLI");
  auto r = run_smsup({"dbtest", "--db", pg->url("SMS_CLI"), "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["engine"], "postgresql");
  EXPECT_EQ(pg->checksum("SMS_CLI"), sum);
  pg->create_db("SMS_CLIREP");
  ASSERT_EQ(run_smsup({"twin", "db", "--engine", "postgresql", "--clients", "5", "--replication", "--db",
                       pg->url("SMS_CLIREP")})
                .status,
            0);
  EXPECT_EQ(run_smsup({"dbtest", "--db", pg->url("SMS_CLIREP")}).status, 2);
}
