// Copy names cannot be taken for originals, and only working copies of the
// right original are recognised as leftovers.
#include "dbtest/copy_name.h"

#include <gtest/gtest.h>
#include <unistd.h>

using namespace smsup::dbtest;

TEST(CopyName, SqliteCopyCarriesTheMarkerAndPid) {
  std::string c = sqlite_copy_path("/srv/SMS_CEN.db", 4242, 1700000000);
  EXPECT_EQ(c, "/srv/SMS_CEN.db.smsup-dbtest-4242-1700000000.db");
  EXPECT_TRUE(looks_like_copy(c));
  EXPECT_EQ(sqlite_copy_pid("/srv/SMS_CEN.db", "SMS_CEN.db.smsup-dbtest-4242-1700000000.db"), 4242);
  EXPECT_EQ(sqlite_copy_pid("/srv/SMS_CEN.db", "SMS_CEN.db.smsup-dbtest-4242-1700000000.db-wal"), 4242);
}

TEST(CopyName, LeftoverScanNeverMatchesTheOriginalOrOtherDatabases) {
  EXPECT_FALSE(sqlite_copy_pid("/srv/SMS_CEN.db", "SMS_CEN.db"));
  EXPECT_FALSE(sqlite_copy_pid("/srv/SMS_CEN.db", "SMS_CEN.db-wal"));
  EXPECT_FALSE(sqlite_copy_pid("/srv/SMS_CEN.db", "SMS_PR1.db.smsup-dbtest-1-2.db"));
  EXPECT_FALSE(sqlite_copy_pid("/srv/SMS_CEN.db", "SMS_CEN.db.smsup-dbtest-kept-2.db"));
  EXPECT_FALSE(sqlite_copy_pid("/srv/SMS_CEN.db", "SMS_CEN.db.smsup-dbtest-1-2.db.bak"));
  EXPECT_FALSE(sqlite_copy_pid("/srv/SMS_CEN.db", "XSMS_CEN.db.smsup-dbtest-1-2.db"));
}

TEST(CopyName, PostgresCopyNamesFitAndAreRecognised) {
  std::string c = pg_copy_name("SMS_CEN", 77, 1700000000);
  EXPECT_EQ(c, "SMS_CEN_smsup_dbtest_77_1700000000");
  EXPECT_TRUE(is_pg_working_copy_of("SMS_CEN", c));
  EXPECT_FALSE(is_pg_working_copy_of("SMS_CEN", "SMS_CEN"));
  EXPECT_FALSE(is_pg_working_copy_of("SMS_CE", c));
  EXPECT_FALSE(is_pg_working_copy_of("SMS_CEN", pg_kept_name("SMS_CEN", 1700000000)));
  std::string longname(70, 'x');
  std::string lc = pg_copy_name(longname, 123456, 1700000000);
  EXPECT_LE(lc.size(), 63u);
  EXPECT_TRUE(is_pg_working_copy_of(longname, lc));
}

TEST(CopyName, OwnPidIsAliveAndPidZeroIsNot) {
  EXPECT_TRUE(pid_alive(getpid()));
  EXPECT_FALSE(pid_alive(0));
}
