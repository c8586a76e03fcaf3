// The twin refuses or breaks the way the real system would, and says so in
// the logs where an operator would look.
#include <gtest/gtest.h>

#include "fixture.h"

namespace smsup::twin::test {
namespace {

struct UpgradeTest : ::testing::Test {
  Hierarchy h = small_hierarchy();
  MemoryLogSink logs;
  Twin make(const Faults& f = {}) {
    Twin t = Twin::from(h, 1, f);
    t.set_log_sink(&logs);
    return t;
  }
  const TwinSite& s(const Twin& t, std::string_view code) { return t.sites()[static_cast<size_t>(t.find_site(code))]; }
  // Backup, test on a copy, disk check, upgrade, settle, verify of one site.
  std::vector<StepResult> upgrade_site(Twin& t, const std::string& c) {
    return run_all(t, {step(c, "backup"), step(c, "upgrade"), step(c, "settle"), step(c, "verify")});
  }
};

TEST_F(UpgradeTest, CentralSiteUpgradeCompletesWithAllMilestonesInOrder) {
  Twin t = make();
  auto r = upgrade_site(t, "CEN");
  for (const auto& x : r) EXPECT_TRUE(x.ok) << x.id << ": " << x.message;
  const auto& cen = s(t, "CEN");
  EXPECT_EQ(cen.version, SmsLevel::sp2);
  EXPECT_EQ(cen.state, SiteState::upgraded);
  for (size_t i = 1; i < cen.milestones.size(); ++i) EXPECT_LT(cen.milestones[i - 1], cen.milestones[i]);
  EXPECT_GE(cen.milestones[5], cen.setup_start + 30 * kMinute);
  EXPECT_TRUE(any_line(logs, setup_path("CEN01"), "SMS Setup completed successfully"));
  EXPECT_TRUE(any_line(logs, log_path(h, "CEN", "hman.log"), "Wait for site control changes for maximum 3600 seconds"));
  EXPECT_TRUE(any_line(logs, log_path(h, "CEN", "inboxmgr.log"), "max wait = 3600 seconds"));
  EXPECT_TRUE(t.step_done("CEN/verify"));
}

TEST_F(UpgradeTest, LogLinesAreInSmsTraceFormat) {
  Twin t = make();
  upgrade_site(t, "CEN");
  const auto& lines = logs.files.at(log_path(h, "CEN", "sitecomp.log"));
  ASSERT_FALSE(lines.empty());
  for (const auto& l : lines) EXPECT_NE(l.find("  $$<SMS_SITE_COMPONENT_MANAGER><"), std::string::npos) << l;
  EXPECT_NE(lines.front().find("+000><thread="), std::string::npos);
  const auto& setup = logs.files.at(setup_path("CEN01"));
  EXPECT_EQ(setup.front().rfind("<06-12-2006 ", 0), 0u) << setup.front();
}

TEST_F(UpgradeTest, ChildBeforeParentIsRefused) {
  Twin t = make();
  auto r = t.run_step(step("PR1", "upgrade"));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("parent site CEN"), std::string::npos) << r.message;
  EXPECT_EQ(s(t, "PR1").version, SmsLevel::sp1);
  EXPECT_TRUE(any_line(logs, setup_path("PR101"), "ERROR: the parent site CEN"));
  EXPECT_FALSE(any_line(logs, setup_path("PR101"), "SMS Setup completed successfully"));
}

TEST_F(UpgradeTest, SecondaryBeforeItsParentIsRefused) {
  Twin t = make();
  upgrade_site(t, "CEN");
  auto r = t.run_step(step("SEC", "upgrade"));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("PR1"), std::string::npos);
  EXPECT_TRUE(any_line(logs, setup_path("SEC01"), "ERROR"));
  upgrade_site(t, "PR1");
  EXPECT_TRUE(t.run_step(step("SEC", "upgrade")).ok) << "after PR1 is SP2";
}

TEST_F(UpgradeTest, QuietSetupOnRtmWithoutDrwFails) {
  site(h, "CEN").version = *parse_sms_version("rtm");
  Twin t = make();
  auto r = t.run_step(step("CEN", "upgrade"));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("DRW"), std::string::npos);
  EXPECT_TRUE(any_line(logs, setup_path("CEN01"), "Deployment Readiness Wizard has not been run"));
  EXPECT_TRUE(t.run_step(step("CEN", "drw")).ok);
  EXPECT_TRUE(t.run_step(step("CEN", "upgrade")).ok);
}

TEST_F(UpgradeTest, PassiveSetupOnRtmStopsOnDrwPageUntilItRuns) {
  site(h, "CEN").version = *parse_sms_version("rtm");
  site(h, "CEN").method = Method::update_passive;
  Twin t = make();
  auto r = t.run_step(step("CEN", "upgrade"));
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_TRUE(any_line(logs, setup_path("CEN01"), "Deployment Readiness Wizard page shown"));
  // The wait on the DRW page makes setup longer than on an SP1 site.
  Hierarchy h2 = small_hierarchy();
  Twin t2 = Twin::from(h2, 1, {});
  auto r2 = t2.run_step(step("CEN", "upgrade"));
  EXPECT_GT(r.end - r.start, r2.end - r2.start);
}

TEST_F(UpgradeTest, UnsupportedSiteSystemOsFails) {
  system(h, "CEN01").os = {WinFamily::w2000, 3};
  Twin t = make();
  auto r = t.run_step(step("CEN", "upgrade"));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("Windows 2000 SP3"), std::string::npos) << r.message;
  EXPECT_TRUE(any_line(logs, setup_path("CEN01"), "Windows 2000 SP4 or later"));
}

TEST_F(UpgradeTest, UnsupportedSqlFails) {
  site(h, "CEN").database->sql = *parse_sql_version("2000-sp3");
  Twin t = make();
  auto r = t.run_step(step("CEN", "upgrade"));
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(any_line(logs, setup_path("CEN01"), "SQL Server 2000 SP3"));
}

TEST_F(UpgradeTest, ReplicationOnFailsInTheDatabaseStep) {
  site(h, "CEN").database->replication = true;
  Twin t = make();
  auto r = t.run_step(step("CEN", "upgrade"));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("replication"), std::string::npos);
  EXPECT_TRUE(any_line(logs, setup_path("CEN01"), "published for replication"));
  EXPECT_EQ(s(t, "CEN").version, SmsLevel::sp1);
  EXPECT_TRUE(t.run_step(step("CEN", "replication-disable")).ok);
  EXPECT_TRUE(t.run_step(step("CEN", "upgrade")).ok);
}

TEST_F(UpgradeTest, AutogrowOffFailsTheDiskCheckUnlessTheStepTurnsItOn) {
  site(h, "CEN").database->autogrow = false;
  Twin t = make();
  EXPECT_FALSE(t.run_step(step("CEN", "disk-check")).ok);
  plan::Step fix = step("CEN", "disk-check");
  fix.params["enable_autogrow"] = true;
  EXPECT_TRUE(t.run_step(fix).ok);
  EXPECT_TRUE(t.run_step(step("CEN", "upgrade")).ok);
}

TEST_F(UpgradeTest, DiskTooSmallLeavesSiteFailedUntilRestoredFromBackup) {
  site(h, "CEN").database->free_disk_mb = 100;
  Twin t = make();
  EXPECT_FALSE(t.run_step(step("CEN", "disk-check")).ok);
  auto r = t.run_step(step("CEN", "upgrade"));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(s(t, "CEN").state, SiteState::failed);
  EXPECT_TRUE(any_line(logs, setup_path("CEN01"), "disk full"));
  EXPECT_FALSE(any_line(logs, setup_path("CEN01"), "SMS Setup completed successfully"));
  std::string what;
  EXPECT_TRUE(t.restore_backup("CEN", what)) << what;
  EXPECT_EQ(s(t, "CEN").state, SiteState::running);
  EXPECT_EQ(s(t, "CEN").version, SmsLevel::sp1);
}

TEST_F(UpgradeTest, DiskTooSmallWithoutBackupLeavesSiteDown) {
  site(h, "CEN").database->free_disk_mb = 100;
  site(h, "CEN").last_backup.reset();
  Twin t = make();
  EXPECT_FALSE(t.run_step(step("CEN", "upgrade")).ok);
  EXPECT_EQ(s(t, "CEN").state, SiteState::down);
  std::string what;
  EXPECT_FALSE(t.restore_backup("CEN", what));
  EXPECT_NE(what.find("no backup"), std::string::npos);
}

TEST_F(UpgradeTest, TestDbUpgradeOnOriginalTakesSiteDown) {
  Twin t = make();
  auto st = step("CEN", "dbtest");
  st.params = {{"database", "SMS_CEN"}, {"server", "CEN01"}};
  auto r = t.run_step(st);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(s(t, "CEN").state, SiteState::down);
  EXPECT_TRUE(any_line(logs, setup_path("CEN01"), "no longer compatible with SMS 2003 sp1"));
  EXPECT_FALSE(t.run_step(step("CEN", "upgrade")).ok);
}

// The checklist's same-server test: "detach the db if testing on the same
// server and then create the db and restore". A plan step with mode
// same-server, its sub-steps in params.sequence.
plan::Step same_server(std::vector<std::string> seq = plan::same_server_sequence()) {
  auto st = step("CEN", "dbtest", {"CEN/backup"});
  st.host = "CEN01";  // the site's own database server
  st.params = {{"mode", "same-server"}, {"database", "SMS_CEN"}, {"server", "CEN01"}, {"sequence", seq}};
  return st;
}

// The sequence with `tok` moved to just before `before` (or dropped when
// `before` is empty).
std::vector<std::string> moved(const std::string& tok, const std::string& before) {
  auto seq = plan::same_server_sequence();
  seq.erase(std::find(seq.begin(), seq.end(), tok));
  if (!before.empty()) seq.insert(std::find(seq.begin(), seq.end(), before), tok);
  return seq;
}

TEST_F(UpgradeTest, SameServerTestInTheDocumentedOrderLeavesTheOriginalUntouched) {
  Twin t = make();
  ASSERT_TRUE(t.run_step(step("CEN", "backup")).ok);
  auto r = t.run_step(same_server());
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_NE(r.message.find("original reattached untouched"), std::string::npos) << r.message;
  const auto& cen = s(t, "CEN");
  EXPECT_EQ(cen.state, SiteState::running);
  EXPECT_TRUE(cen.db->sp1_compatible);
  EXPECT_TRUE(cen.db->growth_measured);
  EXPECT_TRUE(any_line(logs, setup_path("CEN01"), "The database upgrade test of SMS_CEN completed successfully"));
  // The site goes on to its upgrade.
  for (const auto& x :
       run_all(t, {step("CEN", "disk-check"), step("CEN", "upgrade"), step("CEN", "settle"), step("CEN", "verify")})) {
    EXPECT_TRUE(x.ok) << x.id << ": " << x.message;
  }
  EXPECT_EQ(s(t, "CEN").version, SmsLevel::sp2);
}

// Out of order, the original is what the test, the restore or the drop acts
// on, or it stays detached: the site goes down and its upgrade is refused, as
// for /testdbupgrade on the original.
TEST_F(UpgradeTest, SameServerTestOutOfOrderTouchesTheOriginalAndTheUpgradeIsRefused) {
  struct Case {
    const char* name;
    std::vector<std::string> seq;
    const char* says;
  };
  const std::vector<Case> cases = {
      {"test while the original is attached", moved("test", "detach"),
       "/testdbupgrade ran on the site's own database SMS_CEN"},
      {"restore before detach", moved("restore", "detach"), "restored over the attached original SMS_CEN"},
      {"drop after reattach", moved("drop", "start-services"), "is detached"},
      {"never reattached", moved("reattach", ""), "its database SMS_CEN is detached"},
      {"services left stopped", moved("start-services", ""), "SMS services were left stopped"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    logs.files.clear();
    Twin t = make();
    ASSERT_TRUE(t.run_step(step("CEN", "backup")).ok);
    auto r = t.run_step(same_server(c.seq));
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.message.find(c.says), std::string::npos) << r.message;
    EXPECT_EQ(s(t, "CEN").state, SiteState::down);
    auto up = t.run_step(step("CEN", "upgrade"));
    EXPECT_FALSE(up.ok);
    EXPECT_NE(up.message.find("CEN is down"), std::string::npos) << up.message;
    EXPECT_EQ(s(t, "CEN").version, SmsLevel::sp1);
    // The way back: restore the site from its backup.
    std::string what;
    EXPECT_TRUE(t.restore_backup("CEN", what)) << what;
    EXPECT_EQ(s(t, "CEN").state, SiteState::running);
    EXPECT_TRUE(s(t, "CEN").db->sp1_compatible);
  }
}

TEST_F(UpgradeTest, SameServerTestRestoredOntoTheOriginalFilesDamagesIt) {
  Twin t = make();
  auto st = same_server();
  st.params["with_move"] = false;  // RESTORE without WITH MOVE: the backup's own file names
  auto r = t.run_step(st);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("without WITH MOVE"), std::string::npos) << r.message;
  EXPECT_FALSE(s(t, "CEN").db->sp1_compatible);
  EXPECT_TRUE(any_line(logs, setup_path("CEN01"), "ERROR: the original site database was touched"));
}

// A sub-step SQL Server refuses stops the test; the operator cleans up (the
// runbook's last instruction) and the original is untouched.
TEST_F(UpgradeTest, SameServerTestThatCannotDetachLeavesTheSiteRunning) {
  Twin t = make();
  auto r = t.run_step(same_server(moved("stop-services", "")));  // the services still run
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("sp_detach_db refused: SMS_CEN is in use"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("untouched"), std::string::npos) << r.message;
  EXPECT_EQ(s(t, "CEN").state, SiteState::running);
  EXPECT_TRUE(s(t, "CEN").db->sp1_compatible);
  EXPECT_FALSE(s(t, "CEN").db->growth_measured);
}

// The test database needs a second copy's room on the same server: without
// it the restore fails, and the original is attached again, untouched.
TEST_F(UpgradeTest, SameServerTestWithoutRoomForTheCopyFailsAndLeavesTheOriginal) {
  site(h, "CEN").database->free_disk_mb = 4000;  // data 4000 + log 800 do not fit
  Twin t = make();
  auto r = t.run_step(same_server());
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("failed at restore: 4000 MB free on CEN01"), std::string::npos) << r.message;
  EXPECT_EQ(s(t, "CEN").state, SiteState::running);
  EXPECT_TRUE(s(t, "CEN").db->sp1_compatible);
}

// The site is down for the whole same-server test: no other step of the site
// may start during it, and it does not start under another step of the site.
TEST_F(UpgradeTest, SameServerTestHoldsTheSiteDownWindow) {
  Twin t = make();
  auto test = t.begin_step(same_server());
  ASSERT_TRUE(test.ok) << test.message;
  auto backup = t.begin_step(step("CEN", "backup"), test.start + kMinute);
  EXPECT_FALSE(backup.ok);
  EXPECT_NE(backup.message.find("SMS services of CEN are stopped"), std::string::npos) << backup.message;
  auto other = t.begin_step(step("PR1", "backup"), test.start + kMinute);  // another site: fine
  EXPECT_TRUE(other.ok) << other.message;
  t.advance_to(test.end);
  EXPECT_TRUE(t.run_step(step("CEN", "disk-check")).ok);

  Twin u = make();
  auto drw = u.begin_step(step("CEN", "drw"));
  auto late = u.begin_step(same_server(), drw.start + 1);
  EXPECT_FALSE(late.ok);
  EXPECT_NE(late.message.find("CEN/drw is running on CEN"), std::string::npos) << late.message;
  EXPECT_EQ(s(u, "CEN").state, SiteState::running);
}

TEST_F(UpgradeTest, TestDbUpgradeOnCopyOfReplicatedBackupFails) {
  site(h, "CEN").last_backup.reset();
  site(h, "CEN").database->replication = true;
  Twin t = make();
  EXPECT_TRUE(t.run_step(step("CEN", "backup")).ok);
  auto st = step("CEN", "dbtest", {"CEN/backup"});
  st.params = {{"database", "SMS_CEN_TEST"}, {"server", "TEST01"}};
  auto r = t.run_step(st);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("replication"), std::string::npos);
  EXPECT_EQ(s(t, "CEN").state, SiteState::running);
  EXPECT_TRUE(any_line(logs, setup_path("TEST01"), "restored from a database with replication enabled"));
}

TEST_F(UpgradeTest, ForeignFilesAreDeletedAndReportedLost) {
  site(h, "CEN").foreign_files = {"C:\\SMS\\scripts\\cleanup.vbs", "C:\\SMS\\backup-notes.txt"};
  Twin t = make();
  upgrade_site(t, "CEN");
  EXPECT_EQ(s(t, "CEN").lost_files.size(), 2u);
  EXPECT_TRUE(any_line(logs, setup_path("CEN01"), "Deleting C:\\SMS\\scripts\\cleanup.vbs"));
}

TEST_F(UpgradeTest, ConsoleDuringSettleRestartsReinstallAndDelaysMilestones) {
  Twin quiet = make();
  upgrade_site(quiet, "CEN");
  VTime undisturbed = s(quiet, "CEN").milestones[5] - s(quiet, "CEN").setup_start;

  logs.files.clear();
  Twin t = make();
  t.run_step(step("CEN", "backup"));
  auto up = t.run_step(step("CEN", "upgrade"));
  t.advance_to(up.end + 10 * kMinute);
  std::string what;
  EXPECT_TRUE(t.connect_console("CEN01", "CEN", what)) << what;
  t.run_step(step("CEN", "settle"));
  auto v = t.run_step(step("CEN", "verify"));
  EXPECT_TRUE(v.ok) << v.message;
  EXPECT_EQ(s(t, "CEN").reinstall_restarts, 1);
  EXPECT_GT(s(t, "CEN").milestones[5] - s(t, "CEN").setup_start, undisturbed);
  EXPECT_TRUE(any_line(logs, log_path(h, "CEN", "sitecomp.log"), "less than 30 minutes after setup"));
}

TEST_F(UpgradeTest, ConsoleAfterSettleChangesNothing) {
  Twin t = make();
  upgrade_site(t, "CEN");
  t.advance_to(t.now() + 2 * kHour);
  std::string what;
  EXPECT_TRUE(t.connect_console("CEN01", "CEN", what));
  EXPECT_EQ(s(t, "CEN").reinstall_restarts, 0);
}

TEST_F(UpgradeTest, OldConsoleCannotConnectToSp2Site) {
  Twin t = make();
  std::string what;
  EXPECT_TRUE(t.connect_console("ADM01", "CEN", what)) << "an SP1 console opens an SP1 site";
  upgrade_site(t, "CEN");
  EXPECT_FALSE(t.connect_console("ADM01", "CEN", what));
  EXPECT_NE(what.find("cannot connect"), std::string::npos);
  EXPECT_TRUE(any_line(logs, log_path(h, "CEN", "smsprov.log"), "ADM01"));
  EXPECT_TRUE(t.run_step(step("CEN", "console-upgrade", {}, "ADM01")).ok);
  EXPECT_TRUE(t.connect_console("ADM01", "CEN", what)) << what;
}

TEST_F(UpgradeTest, MilestonesNeverAppearWhenSetupFails) {
  Twin t = make(parse_faults("upgrade@CEN=fail"));
  t.run_step(step("CEN", "backup"));
  EXPECT_FALSE(t.run_step(step("CEN", "upgrade")).ok);
  t.advance_to(t.now() + 5 * kHour);
  EXPECT_FALSE(any_line(logs, setup_path("CEN01"), "SMS Setup completed successfully"));
  EXPECT_FALSE(t.run_step(step("CEN", "verify")).ok);
}

TEST_F(UpgradeTest, OldMilestoneLinesBeforeSetupDoNotVerifyASite) {
  Twin t = make();
  t.advance_to(kMinute);
  // History from an earlier site reset is there...
  EXPECT_TRUE(any_line(logs, log_path(h, "CEN", "inboxmgr.log"), "max wait = 3600 seconds"));
  // ...but no upgrade happened, so verify fails.
  EXPECT_FALSE(t.run_step(step("CEN", "verify")).ok);
}

}  // namespace
}  // namespace smsup::twin::test

namespace smsup::twin::test {
namespace {

// The planner names the database (the restored copy keeps its name) and the
// server it must never run on, and no server: that is a test on a copy.
TEST(DbTestTest, PlannerStyleDbTestRunsOnACopy) {
  Hierarchy h = small_hierarchy();
  Twin t = Twin::from(h, 1, {});
  auto st = step("CEN", "dbtest");
  st.params = {{"database", "SMS_CEN"}, {"never_on", "CEN01"}, {"command", "setup.exe /testdbupgrade SMS_CEN"}};
  auto r = t.run_step(st);
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_EQ(t.sites()[0].state, SiteState::running);
}

TEST(DbTestTest, HierarchyWideStepOfAnUnknownKindFailsWithoutCrashing) {
  Twin t = Twin::from(small_hierarchy(), 1, {});
  auto st = step("*", "backup");
  EXPECT_FALSE(t.run_step(st).ok);
  st = step("CEN", "frobnicate");
  auto r = t.run_step(st);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("frobnicate"), std::string::npos);
}

}  // namespace
}  // namespace smsup::twin::test

namespace smsup::twin::test {
namespace {

TEST(VersionPathTest, Sms20SiteCannotTakeSp2Setup) {
  Hierarchy h = small_hierarchy();
  site(h, "CEN").version = *parse_sms_version("sms20");
  MemoryLogSink logs;
  Twin t = Twin::from(h, 1, {});
  t.set_log_sink(&logs);
  auto r = t.run_step(step("CEN", "upgrade"));
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(any_line(logs, setup_path("CEN01"), "SMS 2.0"));
}

}  // namespace
}  // namespace smsup::twin::test
