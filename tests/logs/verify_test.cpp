#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "logs/sample.h"
#include "logs/time.h"
#include "logs/verify.h"
#include "logs/writer.h"
#include "support.h"
#include "util/error.h"

using namespace smsup::logs;
using namespace std::chrono;
using smsup::test::fresh_dir;

namespace {

SampleSite finished_site() {
  SampleSite s;
  s.setup_start = make_local_time(2006, 6, 5, 9, 40, 0);
  return s;
}

int found(const VerifyResult& r) {
  int n = 0;
  for (const auto& m : r.milestones) n += m.state == MilestoneState::Found;
  return n;
}

}  // namespace

TEST(Verify, FinishedSiteIsVerifiedWithTimeAndLineOfEachMilestone) {
  auto root = fresh_dir("site");
  write_sample_site(root, finished_site());
  VerifyResult r = verify_site(root, "C:\\SMS", std::nullopt);
  EXPECT_TRUE(r.verified);
  EXPECT_EQ(found(r), 6);
  // Setup began at the first line of SMSSetup.log, local 09:40 with the bias
  // of the site's components (+420) since the setup log writes none.
  ASSERT_TRUE(r.setup_began);
  EXPECT_EQ(format_utc(*r.setup_began), "2006-06-05T16:40:00.000Z");
  EXPECT_EQ(r.setup_began_from, "SMSSetup.log:1");
  const auto& m1 = r.milestones[0];
  EXPECT_EQ(m1.file.filename(), "SMSSetup.log");
  EXPECT_EQ(m1.line, 5u);
  EXPECT_EQ(format_utc(*m1.utc), "2006-06-05T16:52:00.000Z");
  const auto& m2 = r.milestones[1];
  EXPECT_EQ(m2.file.filename(), "sitecomp.log");
  EXPECT_EQ(m2.line, 3u);
  EXPECT_EQ(m2.message, "Processing site shutdown transaction...");
  EXPECT_EQ(format_local(*m2.local), "2006-06-05 09:52:03.000");
  EXPECT_EQ(*m2.bias_minutes, 420);
  // The sitecomp "Waiting for changes" from before the upgrade (line 1) is not it.
  EXPECT_EQ(r.milestones[3].line, 8u);
  EXPECT_EQ(r.milestones[4].file.filename(), "hman.log");
  EXPECT_EQ(r.milestones[5].file.filename(), "inboxmgr.log");
  ASSERT_TRUE(r.settle);
  EXPECT_EQ(duration_cast<minutes>(*r.settle).count(), 41);
  // The milestones came after the 30 minutes: the site may be touched from the last.
  ASSERT_TRUE(r.touch_after && r.setup_began);
  EXPECT_EQ(*r.touch_after, *r.setup_began + *r.settle);
}

TEST(Verify, MissingMilestoneIsNamedAndSiteNotVerified) {
  auto root = fresh_dir("site");
  SampleSite s = finished_site();
  s.omit = 5;
  write_sample_site(root, s);
  VerifyResult r = verify_site(root, "C:\\SMS", std::nullopt);
  EXPECT_FALSE(r.verified);
  EXPECT_EQ(r.milestones[4].state, MilestoneState::Missing);
  EXPECT_EQ(found(r), 5);
  bool named = false;
  for (const auto& n : r.notes) named |= n.find("milestone 5 missing") != std::string::npos;
  EXPECT_TRUE(named);
}

TEST(Verify, MilestoneBeforeThePreviousOneIsOutOfOrder) {
  auto root = fresh_dir("site");
  SampleSite s = finished_site();
  s.hman_before_setup = true;
  write_sample_site(root, s);
  VerifyResult r = verify_site(root, "C:\\SMS", std::nullopt);
  EXPECT_FALSE(r.verified);
  EXPECT_EQ(r.milestones[4].state, MilestoneState::OutOfOrder);
  EXPECT_EQ(format_local(*r.milestones[4].local), "2006-06-04 09:40:00.000");
  EXPECT_EQ(r.milestones[5].state, MilestoneState::Found);
}

// Each milestone follows the one before it, not only the setup start: hman's
// line 20 minutes after setup began, but before the component manager's
// milestone (30 minutes in), is out of order.
TEST(Verify, AMilestoneAfterSetupBeganButBeforeThePreviousOneIsOutOfOrder) {
  auto root = fresh_dir("site");
  SampleSite s = finished_site();
  s.hman_after = minutes(20);
  write_sample_site(root, s);
  VerifyResult r = verify_site(root, "C:\\SMS", std::nullopt);
  ASSERT_TRUE(r.setup_began);
  ASSERT_TRUE(r.milestones[4].local);
  EXPECT_FALSE(r.verified);
  EXPECT_EQ(r.milestones[3].state, MilestoneState::Found);
  EXPECT_EQ(r.milestones[4].state, MilestoneState::OutOfOrder);
}

// The checklist's 30 minutes are a wait before anyone touches the site, not a
// span the milestones must cover: six lines within 25 minutes verify, and the
// site may be touched 30 minutes after setup began.
TEST(Verify, SixMilestonesWithinTwentyFiveMinutesVerifyAndSayWhenToTouch) {
  auto root = fresh_dir("site");
  SampleSite s = finished_site();
  s.finish_after = minutes(25);
  write_sample_site(root, s);
  VerifyResult r = verify_site(root, "C:\\SMS", std::nullopt);
  EXPECT_EQ(found(r), 6);
  EXPECT_TRUE(r.verified);
  ASSERT_TRUE(r.settle);
  EXPECT_EQ(duration_cast<minutes>(*r.settle).count(), 25);
  ASSERT_TRUE(r.touch_after && r.setup_began);
  EXPECT_EQ(*r.touch_after, *r.setup_began + minutes(30));
}

TEST(Verify, MilestonesCountFromSetupStart) {
  auto root = fresh_dir("site");
  SampleSite s = finished_site();
  write_sample_site(root, s);
  // The same logs, with a start given 15 minutes later: 26 minutes only.
  auto since = parse_user_time("2006-06-05T16:55:00Z");
  VerifyResult r = verify_site(root, "C:\\SMS", since);
  EXPECT_EQ(r.setup_began_from, "--since");
  // Milestones 1 and 2 happened before --since: they do not count as this upgrade's.
  EXPECT_EQ(r.milestones[0].state, MilestoneState::OutOfOrder);
  EXPECT_FALSE(r.verified);
  VerifyResult earlier = verify_site(root, "C:\\SMS", parse_user_time("2006-06-05T16:39:00Z"));
  EXPECT_TRUE(earlier.verified);
  EXPECT_EQ(duration_cast<minutes>(*earlier.settle).count(), 42);
}

TEST(Verify, SetupLogWithoutTimesNeedsSince) {
  auto root = fresh_dir("site");
  SampleSite s = finished_site();
  s.setup_without_times = true;
  write_sample_site(root, s);
  VerifyResult without = verify_site(root, "C:\\SMS", std::nullopt);
  EXPECT_EQ(found(without), 6);
  EXPECT_FALSE(without.setup_began);
  EXPECT_FALSE(without.verified);
  VerifyResult with = verify_site(root, "C:\\SMS", parse_user_time("2006-06-05T16:40:00Z"));
  EXPECT_TRUE(with.verified);
  EXPECT_FALSE(with.milestones[0].utc);  // plain line: found, no time of its own
}

TEST(Verify, CmTraceLogsVerifyToo) {
  auto root = fresh_dir("site");
  SampleSite s = finished_site();
  s.cmtrace = true;
  write_sample_site(root, s);
  EXPECT_TRUE(verify_site(root, "C:\\SMS", std::nullopt).verified);
}

TEST(Verify, MissingLogFilesAreReportedNotThrown) {
  auto root = fresh_dir("empty");
  VerifyResult r = verify_site(root, "C:\\SMS", std::nullopt);
  EXPECT_FALSE(r.verified);
  EXPECT_EQ(r.files_missing.size(), 4u);
  EXPECT_EQ(found(r), 0);
}

TEST(Verify, RootThatIsNotAFolderIsBadInput) {
  EXPECT_THROW(verify_site("/nonexistent/smsup/root", "C:\\SMS", std::nullopt), smsup::InputError);
}

TEST(Verify, InstallDirMapsToFolderUnderRootAndOtherDrives) {
  EXPECT_EQ(logs_folder("/t/LAB/C", "C:\\SMS"), std::filesystem::path("/t/LAB/C/SMS/Logs"));
  EXPECT_EQ(logs_folder("/t/LAB/C", "D:\\Program Files\\SMS"),
            std::filesystem::path("/t/LAB/D/Program Files/SMS/Logs"));
  EXPECT_EQ(logs_folder("/mnt/lab", "SMS"), std::filesystem::path("/mnt/lab/SMS/Logs"));
  EXPECT_EQ(logs_folder("/t/LAB/C/", "C:\\SMS"), std::filesystem::path("/t/LAB/C/SMS/Logs"));
  EXPECT_EQ(logs_folder("/t/LAB/C/.", "C:\\SMS"), std::filesystem::path("/t/LAB/C/SMS/Logs"));
  EXPECT_EQ(logs_folder("/mnt/lab", "D:\\SMS"), std::filesystem::path("/mnt/lab/SMS/Logs"));
}

TEST(Verify, LogNamesMatchWithoutRegardToCaseAndRotatedFilesAreRead) {
  auto root = fresh_dir("site");
  write_sample_site(root, finished_site());
  auto logs = root / "SMS" / "Logs";
  std::filesystem::rename(logs / "hman.log", logs / "HMAN.LOG");
  // inboxmgr rotated: the milestone is in the .lo_, the new .log has later lines.
  std::filesystem::rename(logs / "inboxmgr.log", logs / "inboxmgr.lo_");
  append_to_file(logs / "inboxmgr.log", sms_line("Inbox source is local.", "SMS_INBOX_MANAGER",
                                                 make_local_time(2006, 6, 5, 10, 30, 0), 420, 1844));
  VerifyResult r = verify_site(root, "C:\\SMS", std::nullopt);
  EXPECT_TRUE(r.verified);
  EXPECT_EQ(r.milestones[4].file.filename(), "HMAN.LOG");
  EXPECT_EQ(r.milestones[5].file.filename(), "inboxmgr.lo_");
}

namespace {
std::string last_milestone_line() {
  return sms_line(
      "Waiting for changes inbox definition, inbox rules and inbox replication files, max wait = 3600 seconds.",
      "SMS_INBOX_MANAGER", make_local_time(2006, 6, 5, 10, 21, 0), 420, 1844);
}
}  // namespace

TEST(SiteFollower, VerifiesAgainOnlyWhenTheLogsChangeAndNotOnAHalfLine) {
  auto root = fresh_dir("site");
  SampleSite s = finished_site();
  s.omit = 6;
  write_sample_site(root, s);
  SiteFollower site(root, "C:\\SMS", std::nullopt);
  ASSERT_TRUE(site.poll());
  EXPECT_EQ(found(site.result()), 5);
  EXPECT_FALSE(site.poll());  // nothing written since
  auto inbox = root / "SMS" / "Logs" / "inboxmgr.log";
  // Written in two pieces, as a busy writer would: the half line must not count.
  std::string line = last_milestone_line();
  append_to_file(inbox, line.substr(0, 40));
  site.poll();
  EXPECT_FALSE(site.result().verified);
  append_to_file(inbox, line.substr(40));
  EXPECT_TRUE(site.poll());
  EXPECT_TRUE(site.result().verified);
  EXPECT_FALSE(site.poll());
}

TEST(SiteFollower, SeesALogThatAppearsLaterInAnyCase) {
  auto root = fresh_dir("site");
  SampleSite s = finished_site();
  write_sample_site(root, s);
  auto logs = root / "SMS" / "Logs";
  std::filesystem::rename(logs / "inboxmgr.log", root / "held-back.log");
  SiteFollower site(root, "C:\\SMS", std::nullopt);
  site.poll();
  EXPECT_FALSE(site.result().verified);
  std::filesystem::rename(root / "held-back.log", logs / "INBOXMGR.LOG");
  EXPECT_TRUE(site.poll());
  EXPECT_TRUE(site.result().verified);
}

TEST(Verify, WaitFollowsLogsUntilVerified) {
  auto root = fresh_dir("site");
  SampleSite s = finished_site();
  s.omit = 6;
  write_sample_site(root, s);
  int changes = 0;
  // The writer is the first report of 5 of 6: the wait must see what it writes.
  VerifyResult r = verify_site_waiting(
      root, "C:\\SMS", std::nullopt, seconds(60),
      [&](const VerifyResult& now) {
        if (++changes == 1 && found(now) == 5)
          append_to_file(root / "SMS" / "Logs" / "inboxmgr.log", last_milestone_line());
      },
      WaitOptions{milliseconds(10)});
  EXPECT_TRUE(r.verified);
  EXPECT_EQ(changes, 2);
}

TEST(Verify, WaitGivesUpWhenTimeIsUpAndPollingWorksWithoutInotify) {
  auto root = fresh_dir("site");
  SampleSite s = finished_site();
  s.omit = 6;
  write_sample_site(root, s);
  auto t0 = steady_clock::now();
  VerifyResult r =
      verify_site_waiting(root, "C:\\SMS", std::nullopt, milliseconds(200), {}, WaitOptions{milliseconds(20), false});
  EXPECT_FALSE(r.verified);
  EXPECT_GE(steady_clock::now() - t0, milliseconds(200));
}

TEST(Verify, SitecompWaitingLineFromBeforeTheUpgradeDoesNotCount) {
  auto root = fresh_dir("site");
  SampleSite s = finished_site();
  s.omit = 4;  // only the "Waiting for changes" of an hour before setup remains
  write_sample_site(root, s);
  VerifyResult r = verify_site(root, "C:\\SMS", std::nullopt);
  EXPECT_FALSE(r.verified);
  EXPECT_EQ(r.milestones[3].state, MilestoneState::OutOfOrder);
  EXPECT_EQ(r.milestones[3].line, 1u);
}

TEST(Verify, MilestoneInALineStillBeingWrittenDoesNotCountYet) {
  auto root = fresh_dir("site");
  SampleSite s = finished_site();
  s.omit = 6;
  write_sample_site(root, s);
  auto inbox = root / "SMS" / "Logs" / "inboxmgr.log";
  std::string line = sms_line(
      "Waiting for changes inbox definition, inbox rules and inbox replication files, max wait = 3600 seconds.",
      "SMS_INBOX_MANAGER", make_local_time(2006, 6, 5, 10, 21, 0), 420, 1844);
  append_to_file(inbox, line.substr(0, line.find("$$<") + 10));  // message whole, trailer cut
  EXPECT_FALSE(verify_site(root, "C:\\SMS", std::nullopt).verified);
  append_to_file(inbox, line.substr(line.find("$$<") + 10));
  EXPECT_TRUE(verify_site(root, "C:\\SMS", std::nullopt).verified);
}

namespace {
std::string to_utf16le_with_bom(const std::string& ascii) {
  std::string out("\xFF\xFE", 2);
  for (char c : ascii) out += std::string{c, '\0'};
  return out;
}
}  // namespace

TEST(Verify, Utf16LogsAndMultiLineCmTraceEntriesGiveTheirTimes) {
  auto root = fresh_dir("site");
  write_sample_site(root, finished_site());
  auto logs = root / "SMS" / "Logs";
  // sitecomp.log as Windows tools may save it: UTF-16 LE with a byte order mark.
  std::ifstream in(logs / "sitecomp.log", std::ios::binary);
  std::string sitecomp((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  smsup::test::write_file(logs / "sitecomp.log", to_utf16le_with_bom(sitecomp));
  // inboxmgr.log in CMTrace with the milestone on the second line of a message.
  smsup::test::write_file(
      logs / "inboxmgr.log",
      "<![LOG[Inbox Manager cycle done.\r\nWaiting for changes inbox definition, inbox rules and inbox "
      "replication files, max wait = 3600 seconds.]LOG]!><time=\"10:21:00.000+420\" date=\"06-05-2006\" "
      "component=\"SMS_INBOX_MANAGER\" context=\"\" type=\"1\" thread=\"1844\" file=\"\">\r\n");
  VerifyResult r = verify_site(root, "C:\\SMS", std::nullopt);
  EXPECT_TRUE(r.verified);
  EXPECT_EQ(r.milestones[1].line, 3u);
  EXPECT_EQ(format_utc(*r.milestones[5].utc), "2006-06-05T17:21:00.000Z");
  EXPECT_EQ(r.milestones[5].line, 1u);
}
