// dbtest on SQLite: the steps of shared/spec/dbtest.md, and that the original
// is never written to, whatever happens to the run.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "dbtest/copy_name.h"
#include "dbtest/dbtest.h"
#include "dbtest/sqlite_db.h"
#include "helpers.h"
#include "util/error.h"

using namespace smsup::dbtest;
using dbtest_test::opts_for;
using dbtest_test::sha256_file;
using dbtest_test::TempDir;
namespace fs = std::filesystem;

namespace {
const Check* find_check(const Report& r, const std::string& name) {
  for (const auto& c : r.checks) {
    if (c.name == name) return &c;
  }
  return nullptr;
}
}  // namespace

TEST(SqliteDbtest, MigratesACopyAndLeavesTheOriginalByteForByte) {
  TempDir d;
  generate_sqlite(d / "SMS_CEN.db", 1500, 5);
  std::string sum = sha256_file(d / "SMS_CEN.db");
  Report r = run(opts_for(d / "SMS_CEN.db"));
  EXPECT_TRUE(r.migration_ok) << r.migration_error;
  EXPECT_TRUE(r.passed());
  EXPECT_GT(r.after.data_bytes, r.before.data_bytes);
  EXPECT_GT(r.after.log_bytes, 0);
  EXPECT_EQ(r.before.log_bytes, 0);
  EXPECT_NE(r.copy, d / "SMS_CEN.db");
  EXPECT_TRUE(find_check(r, "integrity") && find_check(r, "integrity")->ok);
  ASSERT_TRUE(find_check(r, "rows SoftwareInventory"));
  EXPECT_TRUE(find_check(r, "rows SoftwareInventory")->ok);
  EXPECT_EQ(sha256_file(d / "SMS_CEN.db"), sum);
  EXPECT_EQ(dbtest_test::files_in(d.path), std::vector<std::string>{"SMS_CEN.db"});  // copy dropped
  SqliteDb orig(d / "SMS_CEN.db", SQLITE_OPEN_READONLY);                             // still SP1, no SP2 table
  EXPECT_EQ(orig.text("SELECT Value FROM SiteSettings WHERE Name='SchemaVersion'"), "2.50.3174.1018");
  EXPECT_FALSE(orig.has_table("SoftwareFilePath"));
}

TEST(SqliteDbtest, FailingMigrationIsReportedRolledBackAndTheOriginalIsUntouched) {
  TempDir d;
  generate_sqlite(d / "s.db", 200, 5);
  std::string sum = sha256_file(d / "s.db");
  Options o = opts_for(d / "s.db");
  o.migration = migration_from_text("bad.sql", "DELETE FROM System_DISC; INSERT INTO NoSuchTable VALUES (1);");
  Report r = run(o);
  EXPECT_FALSE(r.migration_ok);
  EXPECT_NE(r.migration_error.find("NoSuchTable"), std::string::npos);
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(sha256_file(d / "s.db"), sum);
  EXPECT_EQ(dbtest_test::files_in(d.path).size(), 1u);
}

TEST(SqliteDbtest, RefusesReplicationNamingWhatToDisableAndMakesNoCopy) {
  TempDir d;
  GenerateOptions g;
  g.clients = 50;
  g.replication = true;
  generate_sqlite(d / "r.db", g);
  std::string sum = sha256_file(d / "r.db");
  try {
    run(opts_for(d / "r.db"));
    FAIL() << "expected a refusal";
  } catch (const smsup::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("Replication"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("Disable publishing"), std::string::npos) << e.what();
  }
  EXPECT_EQ(sha256_file(d / "r.db"), sum);
  EXPECT_EQ(dbtest_test::files_in(d.path).size(), 1u);
}

// Every spelling SQL Server and people use for "on" is refused, not one.
TEST(SqliteDbtest, RefusesReplicationWhateverItsSpelling) {
  for (const char* on : {"true", "TRUE", "True", "1", "yes", "Yes", "on", "ON"}) {
    TempDir d;
    GenerateOptions g;
    g.clients = 20;
    g.replication = true;
    generate_sqlite(d / "r.db", g);
    {
      SqliteDb db(d / "r.db", SQLITE_OPEN_READWRITE);
      db.exec(std::string("UPDATE SiteSettings SET Value = '") + on + "' WHERE Name = 'Replication'");
    }
    std::string sum = sha256_file(d / "r.db");
    EXPECT_THROW(run(opts_for(d / "r.db")), smsup::InputError) << "Replication = " << on;
    EXPECT_EQ(sha256_file(d / "r.db"), sum) << on;
    EXPECT_EQ(dbtest_test::files_in(d.path).size(), 1u) << on;
  }
}

// The copy is created with O_EXCL: a file already where the copy would go
// (this process's own pid, this second or the next few) is never written
// over or removed; the run refuses instead.
TEST(SqliteDbtest, NeverWritesOverAFileWhereTheCopyWouldGo) {
  TempDir d;
  generate_sqlite(d / "s.db", 50, 5);
  auto now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::vector<std::string> taken;
  for (int64_t t = now - 1; t <= now + 5; ++t) {
    taken.push_back(sqlite_copy_path(d / "s.db", getpid(), t));
    std::ofstream(taken.back()) << "precious";
  }
  EXPECT_THROW(run(opts_for(d / "s.db")), smsup::InputError);
  for (const auto& f : taken) {
    std::ifstream in(f);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(content, "precious") << f;
  }
}

TEST(SqliteDbtest, RefusesACopyNamedInputAndACopyRenamedByHand) {
  TempDir d;
  generate_sqlite(d / "s.db", 50, 5);
  fs::copy_file(d / "s.db", d / "s.db.smsup-dbtest-1-2.db");
  EXPECT_THROW(run(opts_for(d / "s.db.smsup-dbtest-1-2.db")), smsup::InputError);
  Options keep = opts_for(d / "s.db");
  keep.keep_copy = true;
  Report r = run(keep);
  ASSERT_TRUE(r.copy_kept);
  EXPECT_TRUE(fs::exists(r.copy));
  EXPECT_THROW(run(opts_for(r.copy)), smsup::InputError);  // kept copy: by name
  fs::rename(r.copy, d / "innocent.db");
  EXPECT_THROW(run(opts_for(d / "innocent.db")), smsup::InputError);  // by marker table
}

TEST(SqliteDbtest, KeptCopyIsMigratedAndNotCleanedByTheNextRun) {
  TempDir d;
  generate_sqlite(d / "s.db", 100, 5);
  Options o = opts_for(d / "s.db");
  o.keep_copy = true;
  Report r = run(o);
  {
    SqliteDb kept(r.copy, SQLITE_OPEN_READONLY);
    EXPECT_EQ(kept.text("SELECT Value FROM SiteSettings WHERE Name='SchemaVersion'"), "2.50.4160.2000");
  }
  Report again = run(opts_for(d / "s.db"));
  EXPECT_TRUE(again.cleaned.empty());
  EXPECT_TRUE(fs::exists(r.copy));
}

TEST(SqliteDbtest, CopyLeftByADeadRunIsCleanedAndOthersAreNot) {
  TempDir d;
  generate_sqlite(d / "s.db", 50, 5);
  std::string sum = sha256_file(d / "s.db");
  pid_t dead = fork();
  if (dead == 0) _exit(0);
  waitpid(dead, nullptr, 0);
  std::string left = sqlite_copy_path(d / "s.db", dead, 1700000000);
  fs::copy_file(d / "s.db", left);
  std::ofstream(left + "-wal") << "junk";
  std::string live = sqlite_copy_path(d / "s.db", getpid(), 1700000001);  // a run still going
  fs::copy_file(d / "s.db", live);
  fs::copy_file(d / "s.db", d / "other.db.smsup-dbtest-1-1.db");  // another database's copy
  Report r = run(opts_for(d / "s.db"));
  ASSERT_EQ(r.cleaned.size(), 1u);
  EXPECT_EQ(r.cleaned[0], left);
  EXPECT_FALSE(fs::exists(left));
  EXPECT_FALSE(fs::exists(left + "-wal"));
  EXPECT_TRUE(fs::exists(live));
  EXPECT_TRUE(fs::exists(d / "other.db.smsup-dbtest-1-1.db"));
  EXPECT_EQ(sha256_file(d / "s.db"), sum);
}

TEST(SqliteDbtest, RunKilledMidMigrationLeavesTheOriginalAndItsCopyIsCleanedNextTime) {
  TempDir d;
  generate_sqlite(d / "s.db", 300, 5);
  std::string sum = sha256_file(d / "s.db");
  std::ofstream(d / "slow.sql") << "CREATE TABLE burn (x INTEGER);\n"
                                   "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                                   "WHERE x < 2000000000) INSERT INTO burn SELECT x FROM c;\n";
  int pid = dbtest_test::start_smsup({"dbtest", "--db", "sqlite:" + (d / "s.db"), "--migration", d / "slow.sql"});
  std::string copy_wal;
  smsup::test::eventually([&] {  // the copy's journal = migrating
    for (const auto& f : dbtest_test::files_in(d.path)) {
      if (f.size() > 4 && f.ends_with(".db-journal") && looks_like_copy(f)) copy_wal = f;
    }
    return !copy_wal.empty();
  });
  ASSERT_FALSE(copy_wal.empty()) << "the run never reached its migration";
  kill(pid, SIGKILL);
  int st = 0;
  waitpid(pid, &st, 0);
  ASSERT_TRUE(WIFSIGNALED(st));
  EXPECT_EQ(sha256_file(d / "s.db"), sum);
  std::string copy = (d.path / copy_wal.substr(0, copy_wal.size() - 8)).string();
  EXPECT_TRUE(fs::exists(copy));
  Report r = run(opts_for(d / "s.db"));
  ASSERT_EQ(r.cleaned.size(), 1u);
  EXPECT_EQ(r.cleaned[0], copy);
  EXPECT_TRUE(r.passed());
  EXPECT_EQ(dbtest_test::files_in(d.path), (std::vector<std::string>{"s.db", "slow.sql"}));
  EXPECT_EQ(sha256_file(d / "s.db"), sum);
}

TEST(SqliteDbtest, UserMigrationRunsAndItsKeepRowsAreChecked) {
  TempDir d;
  generate_sqlite(d / "s.db", 100, 5);
  Options o = opts_for(d / "s.db");
  o.migration =
      migration_from_text("user.sql",
                          "-- smsup:keep-rows System_DISC\nALTER TABLE System_DISC ADD COLUMN Note VARCHAR(20);\n"
                          "UPDATE System_DISC SET Note = 'x';");
  Report ok = run(o);
  EXPECT_TRUE(ok.passed());
  EXPECT_TRUE(find_check(ok, "rows System_DISC")->ok);
  o.migration =
      migration_from_text("lossy.sql", "-- smsup:keep-rows System_DISC\nDELETE FROM System_DISC WHERE ItemKey > 50;");
  Report lossy = run(o);
  EXPECT_TRUE(lossy.migration_ok);
  EXPECT_FALSE(find_check(lossy, "rows System_DISC")->ok);
  EXPECT_EQ(lossy.exit_code(), 1);
  // without keep-rows lines every surviving table must keep its rows
  o.migration =
      migration_from_text("undeclared.sql", "DELETE FROM StatusMessages WHERE RecordID > 3; DROP TABLE SiteControl;");
  Report undeclared = run(o);
  EXPECT_FALSE(find_check(undeclared, "rows StatusMessages")->ok);
  EXPECT_EQ(find_check(undeclared, "rows SiteControl"), nullptr);
}

TEST(SqliteDbtest, GrowthAboveFreeDiskDoesNotFit) {
  TempDir d;
  generate_sqlite(d / "s.db", 3000, 5);
  Options o = opts_for(d / "s.db");
  o.free_disk_mb = 1;
  Report tight = run(o);
  EXPECT_EQ(tight.fits(), false);
  EXPECT_EQ(tight.exit_code(), 1);
  o.free_disk_mb = 100000;
  Report roomy = run(o);
  EXPECT_EQ(roomy.fits(), true);
  EXPECT_EQ(roomy.exit_code(), 0);
  EXPECT_EQ(roomy.data_mb_after(), (roomy.after.data_bytes + 1048575) / 1048576);
}

TEST(SqliteDbtest, NotADatabaseOrMissingIsBadInput) {
  TempDir d;
  std::ofstream(d / "junk.db") << "this is not sqlite at all, just text padding padding padding";
  EXPECT_THROW(run(opts_for(d / "junk.db")), smsup::InputError);
  EXPECT_THROW(run(opts_for(d / "missing.db")), smsup::InputError);
  Options o;
  o.db = "mysql://x";
  EXPECT_THROW(run(o), smsup::InputError);
}

TEST(SqliteDbtest, FullCheckRunsTheCompleteIntegrityCheck) {
  TempDir d;
  generate_sqlite(d / "s.db", 100, 5);
  Options o = opts_for(d / "s.db");
  EXPECT_NE(find_check(run(o), "integrity")->detail.find("quick_check: ok"), std::string::npos);
  o.full_check = true;
  EXPECT_NE(find_check(run(o), "integrity")->detail.find("integrity_check: ok"), std::string::npos);
}

TEST(SqliteDbtest, AMigrationCannotReachTheOriginalThroughAttach) {
  // Ends dbtest's transaction, attaches the original by its path and deletes
  // from it: SQLite refuses the ATTACH on the copy's connection, so the run
  // fails and the original keeps every byte.
  TempDir d;
  generate_sqlite(d / "s.db", 200, 5);
  std::string sum = sha256_file(d / "s.db");
  Options o = opts_for(d / "s.db");
  o.migration = migration_from_text("evil.sql", "COMMIT; ATTACH DATABASE '" + std::string(d / "s.db") +
                                                    "' AS orig; DELETE FROM orig.System_DISC; BEGIN;");
  Report r = run(o);
  EXPECT_FALSE(r.migration_ok);
  EXPECT_NE(r.migration_error.find("not authorized"), std::string::npos) << r.migration_error;
  EXPECT_FALSE(r.passed());
  EXPECT_EQ(sha256_file(d / "s.db"), sum);
  const Check* same = find_check(r, "original unchanged");
  ASSERT_TRUE(same);
  EXPECT_TRUE(same->ok) << same->detail;
}

TEST(SqliteDbtest, EveryRunProvesTheOriginalByteIdentical) {
  TempDir d;
  generate_sqlite(d / "s.db", 200, 5);
  Report r = run(opts_for(d / "s.db"));
  const Check* same = find_check(r, "original unchanged");
  ASSERT_TRUE(same) << "no check of the original";
  EXPECT_TRUE(same->ok);
  EXPECT_NE(same->detail.find(sha256_file(d / "s.db")), std::string::npos) << same->detail;
}

// What is wrong with the original is said in words (it was "no such database
// file" for all of them): a directory, a FIFO, a file a crashed writer left
// with a hot journal (left as it was: the test only reads), a file another
// process holds locked.
TEST(SqliteDbtest, ADirectoryAFifoAHotJournalAndALockAreSaidInWords) {
  TempDir d;
  auto refusal = [](const Options& o) {
    try {
      run(o);
    } catch (const smsup::InputError& e) {
      return std::string(e.what());
    }
    return std::string("(no refusal)");
  };
  std::filesystem::create_directory(d / "dir.db");
  EXPECT_NE(refusal(opts_for(d / "dir.db")).find("dir.db: --db: is a directory"), std::string::npos)
      << refusal(opts_for(d / "dir.db"));
  ASSERT_EQ(mkfifo((d / "fifo.db").c_str(), 0600), 0);
  EXPECT_NE(refusal(opts_for(d / "fifo.db")).find("is a FIFO"), std::string::npos) << refusal(opts_for(d / "fifo.db"));
  EXPECT_NE(refusal(opts_for(d / "missing.db")).find("no such database file"), std::string::npos);

  const std::string hot = d / "hot.db";
  {
    SqliteDb db(hot, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    db.exec("PRAGMA journal_mode=DELETE; CREATE TABLE t(x); INSERT INTO t VALUES (1)");
  }
  pid_t pid = fork();
  if (pid == 0) {  // a writer that dies inside its transaction
    sqlite3* db = nullptr;
    sqlite3_open(hot.c_str(), &db);
    // A small cache: the changed pages spill into the file, so the journal
    // is synced and hot, as after a crash mid-commit.
    sqlite3_exec(db,
                 "PRAGMA cache_size=2; BEGIN; UPDATE t SET x = 2; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                 "SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO t SELECT randomblob(600) FROM n",
                 nullptr, nullptr, nullptr);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_GT(std::filesystem::file_size(hot + "-journal"), 0u);
  const std::string before = sha256_file(hot);
  std::string m = refusal(opts_for(hot));
  EXPECT_NE(m.find("has a hot journal (" + hot + "-journal): a writer is inside a transaction, or crashed in one"),
            std::string::npos)
      << m;
  EXPECT_EQ(sha256_file(hot), before);
  EXPECT_TRUE(std::filesystem::exists(hot + "-journal")) << "the journal was rolled back by a test that only reads";

  const std::string locked = d / "locked.db";
  SqliteDb writer(locked, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  writer.exec("PRAGMA journal_mode=DELETE; CREATE TABLE t(x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1)");
  m = refusal(opts_for(locked));
  EXPECT_NE(m.find("is locked by another process"), std::string::npos) << m;
  writer.exec("COMMIT");
}
