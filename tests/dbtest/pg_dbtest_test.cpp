// dbtest on a real PostgreSQL cluster started by the tests on loopback.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "dbtest/copy_name.h"
#include "dbtest/dbtest.h"
#include "helpers.h"
#include "util/error.h"

using namespace smsup::dbtest;

namespace {
Options pg_opts_for(const std::string& url) {
  Options o;
  o.db = url;
  o.migration = builtin_migration();
  return o;
}
std::string site_db(dbtest_test::PgCluster* pg, const std::string& name, int64_t clients, bool replication = false) {
  pg->create_db(name);
  GenerateOptions g;
  g.clients = clients;
  g.seed = 9;
  g.replication = replication;
  generate_postgresql(pg->url(name), g);
  return pg->url(name);
}
std::string copies_of(dbtest_test::PgCluster* pg, const std::string& name) {
  return pg->psql("postgres",
                  "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database "
                  "WHERE datname LIKE '" +
                      name + "\\_smsup\\_dbtest\\_%'");
}
}  // namespace

TEST(PgDbtest, MigratesATemplateCopyAndLeavesTheSourceContentUnchanged) {
  REQUIRE_POSTGRES();
  std::string url = site_db(pg, "SMS_CEN", 800);
  std::string sum = pg->checksum("SMS_CEN");
  Report r = run(pg_opts_for(url));
  EXPECT_TRUE(r.migration_ok) << r.migration_error;
  EXPECT_TRUE(r.passed());
  EXPECT_EQ(r.database, "SMS_CEN");
  EXPECT_TRUE(is_pg_working_copy_of("SMS_CEN", r.copy));
  EXPECT_GT(r.after.data_bytes, r.before.data_bytes);
  EXPECT_GT(r.after.log_bytes, 0);
  for (const auto& c : r.checks) EXPECT_TRUE(c.ok) << c.name << ": " << c.detail;
  EXPECT_EQ(pg->checksum("SMS_CEN"), sum);
  EXPECT_EQ(copies_of(pg, "SMS_CEN"), "\n");  // dropped
  EXPECT_EQ(pg->psql("SMS_CEN", "SELECT Value FROM SiteSettings WHERE Name = 'SchemaVersion'"), "2.50.3174.1018\n");
}

TEST(PgDbtest, RefusesWhenAPublicationExistsNamingIt) {
  REQUIRE_POSTGRES();
  std::string url = site_db(pg, "SMS_REP", 20, true);
  std::string sum = pg->checksum("SMS_REP");
  try {
    run(pg_opts_for(url));
    FAIL() << "expected a refusal";
  } catch (const smsup::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("DROP PUBLICATION \"sms_site_publication\""), std::string::npos) << e.what();
  }
  EXPECT_EQ(pg->checksum("SMS_REP"), sum);
  EXPECT_EQ(copies_of(pg, "SMS_REP"), "\n");
}

TEST(PgDbtest, FailingMigrationIsReportedAndTheSourceIsUntouched) {
  REQUIRE_POSTGRES();
  std::string url = site_db(pg, "SMS_BAD", 50);
  std::string sum = pg->checksum("SMS_BAD");
  Options o = pg_opts_for(url);
  o.migration = migration_from_text("bad.sql", "DELETE FROM System_DISC; SELECT * FROM no_such_table;");
  Report r = run(o);
  EXPECT_FALSE(r.migration_ok);
  EXPECT_NE(r.migration_error.find("no_such_table"), std::string::npos);
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(pg->checksum("SMS_BAD"), sum);
  EXPECT_EQ(copies_of(pg, "SMS_BAD"), "\n");
}

TEST(PgDbtest, RefusesWhileAnotherSessionHoldsTheSource) {
  REQUIRE_POSTGRES();
  std::string url = site_db(pg, "SMS_BUSY", 20);
  PGconn* other = PQconnectdb(url.c_str());
  ASSERT_EQ(PQstatus(other), CONNECTION_OK);
  try {
    run(pg_opts_for(url));
    FAIL() << "expected a refusal";
  } catch (const smsup::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("other session"), std::string::npos) << e.what();
  }
  PQfinish(other);
  EXPECT_EQ(copies_of(pg, "SMS_BUSY"), "\n");
}

TEST(PgDbtest, RefusesACopyAsInputByNameAndByComment) {
  REQUIRE_POSTGRES();
  std::string url = site_db(pg, "SMS_K", 20);
  Options o = pg_opts_for(url);
  o.keep_copy = true;
  Report r = run(o);
  ASSERT_TRUE(r.copy_kept);
  EXPECT_EQ(pg->psql(r.copy, "SELECT Value FROM SiteSettings WHERE Name = 'SchemaVersion'"), "2.50.4160.2000\n");
  EXPECT_THROW(run(pg_opts_for(pg->url(r.copy))), smsup::InputError);
  smsup::test::eventually(
      [&] {  // our last connection to it may linger a moment
        return pg->psql("postgres", "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + r.copy + "'") == "0\n";
      },
      std::chrono::seconds(30), std::chrono::milliseconds(50));
  pg->psql("postgres", "ALTER DATABASE \"" + r.copy + "\" RENAME TO innocent");
  EXPECT_THROW(run(pg_opts_for(pg->url("innocent"))), smsup::InputError);
  Report again = run(pg_opts_for(url));
  EXPECT_TRUE(again.cleaned.empty());  // a kept copy is not a leftover
}

TEST(PgDbtest, RunKilledMidMigrationLeavesTheSourceAndItsCopyIsDroppedNextTime) {
  REQUIRE_POSTGRES();
  std::string url = site_db(pg, "SMS_KILL", 100);
  std::string sum = pg->checksum("SMS_KILL");
  dbtest_test::TempDir d;
  {
    std::ofstream f(d / "slow.sql");
    f << "CREATE TABLE burn (x INTEGER);\nSELECT pg_sleep(60);\n";
  }
  int pid = dbtest_test::start_smsup({"dbtest", "--db", url, "--migration", d / "slow.sql"});
  bool sleeping = smsup::test::eventually(
      [&] {
        return pg->psql("postgres",
                        "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(60)%' "
                        "AND datname LIKE 'SMS_KILL\\_smsup\\_dbtest\\_%'") == "1\n";
      },
      std::chrono::seconds(30), std::chrono::milliseconds(20));
  ASSERT_TRUE(sleeping) << "the run never reached its migration";
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  std::string left = copies_of(pg, "SMS_KILL");
  ASSERT_NE(left, "\n");
  left.pop_back();
  EXPECT_EQ(pg->checksum("SMS_KILL"), sum);
  Report r;
  smsup::test::eventually(
      [&] {  // the server notices the dead client's lock soon
        r = run(pg_opts_for(url));
        return !r.cleaned.empty();
      },
      std::chrono::seconds(30), std::chrono::milliseconds(50));
  ASSERT_EQ(r.cleaned.size(), 1u);
  EXPECT_EQ(r.cleaned[0], left);
  EXPECT_TRUE(r.passed());
  EXPECT_EQ(copies_of(pg, "SMS_KILL"), "\n");
  EXPECT_EQ(pg->checksum("SMS_KILL"), sum);
}

TEST(PgDbtest, UserMigrationFileWorks) {
  REQUIRE_POSTGRES();
  std::string url = site_db(pg, "SMS_USER", 50);
  Options o = pg_opts_for(url);
  o.migration = migration_from_text("user.sql",
                                    "-- smsup:keep-rows System_DISC\nALTER TABLE System_DISC ADD "
                                    "COLUMN Note VARCHAR(20) DEFAULT 'x';");
  Report r = run(o);
  EXPECT_TRUE(r.passed()) << r.migration_error;
  EXPECT_EQ(pg->psql("SMS_USER", "SELECT count(*) FROM information_schema.columns WHERE column_name = 'note'"), "0\n");
}

TEST(PgDbtest, UnreachableServerIsBadInput) {
  Options o = pg_opts_for("postgresql://nobody@127.0.0.1:1/SMS_X?connect_timeout=2");
  try {
    run(o);
    FAIL();
  } catch (const smsup::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot connect"), std::string::npos);
  }
}
