// End-to-end: the real smsup binary, as a user runs it.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "logs/sample.h"
#include "logs/writer.h"
#include "support.h"

using namespace smsup::logs;
using smsup::test::eventually;
using smsup::test::fresh_dir;
using smsup::test::start_smsup;
using smsup::test::write_file;

namespace {

struct Result {
  int code = -1;
  std::string out, err;
};

Result run_smsup(const std::vector<std::string>& args) {
  auto r = smsup::test::run_smsup(args);
  return {r.status, r.out, r.err};
}

std::filesystem::path finished_site(const std::string& name, int omit = 0) {
  auto root = fresh_dir(name);
  SampleSite s;
  s.setup_start = make_local_time(2006, 6, 5, 9, 40, 0);
  s.omit = omit;
  write_sample_site(root, s);
  return root;
}

}  // namespace

TEST(VerifyCli, FinishedSitePrintsMilestonesInOrderAndExitsZero) {
  auto root = finished_site("site");
  Result r = run_smsup({"verify", "LAB", "--logs", root.string()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Site LAB: upgrade complete (verified)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ok      1. setup completed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2006-06-05 09:52:03.000+420  sitecomp.log:3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Milestones: the last came 41 min after setup began"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Do not open a console, reset the site or change its configuration before "), std::string::npos)
      << r.out;
  EXPECT_LT(r.out.find("site shutdown began"), r.out.find("site shutdown complete"));
}

TEST(VerifyCli, MissingMilestoneExitsOneAndJsonSaysWhich) {
  auto root = finished_site("site", 5);
  Result r = run_smsup({"verify", "LAB", "--logs", root.string(), "--format", "json"});
  EXPECT_EQ(r.code, 1);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_FALSE(j["verified"].get<bool>());
  EXPECT_EQ(j["milestones"][4]["state"], "missing");
  EXPECT_EQ(j["milestones"][5]["state"], "found");
  EXPECT_EQ(j["milestones"][1]["line"], 3);
  EXPECT_EQ(j["setup_began"], "2006-06-05T16:40:00.000Z");
}

// The option checks are tests/cli's (in-process); here what only the binary
// shows: a missing folder and a missing option end in one line and exit 2.
TEST(VerifyCli, MissingFolderAndMissingOptionExitTwo) {
  Result missing = run_smsup({"verify", "LAB", "--logs", "/nonexistent/smsup"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_EQ(missing.err.rfind("smsup: ", 0), 0u) << missing.err;
  EXPECT_NE(missing.err.find("--logs"), std::string::npos) << missing.err;
  EXPECT_EQ(run_smsup({"verify", "LAB"}).code, 2);
}

TEST(VerifyCli, WaitReturnsOnceAnotherWriterCompletesTheLogs) {
  auto root = finished_site("site", 6);
  auto verify = start_smsup({"verify", "LAB", "--logs", root.string(), "--wait", "60s", "--poll-ms", "20"});
  // The last milestone is written once verify has read the logs without it.
  ASSERT_TRUE(eventually([&] { return verify.err().find("5 of 6 milestones so far") != std::string::npos; }))
      << verify.err();
  append_to_file(
      root / "SMS" / "Logs" / "inboxmgr.log",
      sms_line(
          "Waiting for changes inbox definition, inbox rules and inbox replication files, max wait = 3600 seconds.",
          "SMS_INBOX_MANAGER", make_local_time(2006, 6, 5, 10, 22, 0), 420, 1844));
  auto r = verify.wait();
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("Site LAB: upgrade complete (verified)"), std::string::npos) << r.out;
}

TEST(VerifyCli, WaitTimesOutWithExitOne) {
  auto root = finished_site("site", 6);
  Result r =
      run_smsup({"verify", "LAB", "--logs", root.string(), "--wait", "1s", "--poll-ms", "50", "--format", "json"});
  EXPECT_EQ(r.code, 1);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_FALSE(j["verified"].get<bool>());
  EXPECT_EQ(j["milestones"][5]["state"], "missing");
}

TEST(LogsCli, GrepFiltersByTextComponentSeverityAndTime) {
  auto root = finished_site("site");
  auto sitecomp = (root / "SMS" / "Logs" / "sitecomp.log").string();
  Result r = run_smsup({"logs", "grep", "shutdown", sitecomp, "-i"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("sitecomp.log:2  2006-06-05 09:52:00.000+420  SMS_SITE_COMPONENT_MANAGER  info  Received a site "
                       "shutdown transaction."),
            std::string::npos)
      << r.out;
  Result errors = run_smsup({"logs", "grep", "", sitecomp, "--severity", "error"});
  EXPECT_NE(errors.out.find("Failed to connect"), std::string::npos);
  EXPECT_EQ(std::count(errors.out.begin(), errors.out.end(), '\n'), 1);
  Result ranged =
      run_smsup({"logs", "grep", "", sitecomp, "--from", "2006-06-05T16:53:00Z", "--to", "2006-06-05T16:55:00Z"});
  EXPECT_EQ(std::count(ranged.out.begin(), ranged.out.end(), '\n'), 3) << ranged.out;
  Result re = run_smsup({"logs", "grep", "Site(ctrl|comp)\\.box", sitecomp, "--regex", "--format", "json"});
  EXPECT_EQ(std::count(re.out.begin(), re.out.end(), '\n'), 2);
  auto first = nlohmann::json::parse(re.out.substr(0, re.out.find('\n')));
  EXPECT_EQ(first["component"], "SMS_SITE_COMPONENT_MANAGER");
  EXPECT_EQ(first["thread"], 2216);
  EXPECT_EQ(first["utc"], "2006-06-05T15:40:00.000Z");
  EXPECT_EQ(run_smsup({"logs", "grep", "nothing like this", sitecomp}).code, 1);
}

TEST(LogsCli, BadInputExitsTwo) {
  auto root = finished_site("site");
  auto sitecomp = (root / "SMS" / "Logs" / "sitecomp.log").string();
  Result bad_re = run_smsup({"logs", "grep", "(unclosed", sitecomp, "--regex"});
  EXPECT_EQ(bad_re.code, 2);
  EXPECT_NE(bad_re.err.find("PATTERN"), std::string::npos);
  EXPECT_EQ(run_smsup({"logs", "stats"}).code, 2);
  EXPECT_EQ(run_smsup({"logs", "merge", sitecomp, "--nope"}).code, 2);
}

TEST(LogsCli, MergeOrdersEntriesOfAllFilesByUtc) {
  auto dir = fresh_dir("merge");
  // Two servers in different zones: B's 17:15 local (UTC) lies between A's
  // 10:00 and 10:30 local (UTC-7), though it is the latest local time.
  write_file(dir / "a.log", sms_line("A first", "SMS_A", make_local_time(2006, 6, 5, 10, 0, 0), 420, 1) +
                                sms_line("A third", "SMS_A", make_local_time(2006, 6, 5, 10, 30, 0), 420, 1));
  write_file(dir / "b.log",
             cmtrace_line("B second", "B", make_local_time(2006, 6, 5, 17, 15, 0), 0, 2, Severity::Info));
  Result r = run_smsup({"logs", "merge", (dir / "a.log").string(), (dir / "b.log").string()});
  EXPECT_EQ(r.code, 0);
  auto a1 = r.out.find("A first"), b2 = r.out.find("B second"), a3 = r.out.find("A third");
  ASSERT_NE(b2, std::string::npos) << r.out;
  EXPECT_LT(a1, b2);
  EXPECT_LT(b2, a3);
  EXPECT_NE(r.out.find("2006-06-05T17:15:00.000Z"), std::string::npos);
}

TEST(LogsCli, StatsCountsPerComponentErrorsFirst) {
  auto dir = fresh_dir("stats");
  auto t = make_local_time(2006, 6, 5, 10, 0, 0);
  write_file(dir / "x.log", sms_line("ok", "SMS_QUIET", t, 0, 1) + sms_line("ok", "SMS_QUIET", t, 0, 1) +
                                sms_line("failed badly", "SMS_LOUD", t, 0, 1) + "stray line\n");
  Result r = run_smsup({"logs", "stats", (dir / "x.log").string(), "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["entries"], 4);
  EXPECT_EQ(j["components"][0]["component"], "SMS_LOUD");
  EXPECT_EQ(j["components"][0]["errors"], 1);
  EXPECT_EQ(j["components"][1]["component"], "SMS_QUIET");
  EXPECT_EQ(j["components"][1]["info"], 2);
  EXPECT_EQ(j["formats"]["plain"], 1);
  Result text = run_smsup({"logs", "stats", (dir / "x.log").string()});
  EXPECT_LT(text.out.find("SMS_LOUD"), text.out.find("SMS_QUIET"));
}

// Boot32wn.exe and CLISVCL.EXE log their full path as the component: the
// text table widens its first column instead of pushing the counts out from
// under their headings.
TEST(LogsCli, StatsKeepsCountsUnderTheirHeadingsWhateverTheComponentsLength) {
  auto dir = fresh_dir("stats-wide");
  auto t = make_local_time(2006, 6, 5, 10, 0, 0);
  std::string path_component = "C:\\WINNT\\MS\\SMS\\CORE\\BIN\\CLISVCL.EXE";
  write_file(dir / "x.log", sms_line("failed", path_component, t, 0, 1) + sms_line("ok", "SMS_QUIET", t, 0, 1));
  Result r = run_smsup({"logs", "stats", (dir / "x.log").string()});
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string heading, first, second;
  std::getline(lines, heading);
  std::getline(lines, first);
  std::getline(lines, second);
  ASSERT_EQ(first.rfind(path_component, 0), 0u) << r.out;
  // Every count ends where its heading ends.
  for (const char* column : {"errors", "warnings", "info", "total"}) {
    auto end = heading.find(column) + std::string(column).size();
    for (const auto& row : {first, second}) {
      ASSERT_GE(row.size(), end) << r.out;
      EXPECT_NE(row[end - 1], ' ') << column << " is not under its heading:\n" << r.out;
      EXPECT_TRUE(end == row.size() || row[end] == ' ') << column << " is not under its heading:\n" << r.out;
    }
  }
  Result help = run_smsup({"logs", "stats", "--help"});
  EXPECT_NE(help.out.find("JSON: one document"), std::string::npos) << help.out;
}

// Following ends with the process (killed here once the event is seen); that
// --for ends it with exit 0 is LogsCli.TailFollowStopsAfterFor. Half lines
// and rotation in detail: tests/logs/follow_test.cpp.
TEST(LogsCli, TailFollowPrintsLinesWrittenWhileRunning) {
  auto dir = fresh_dir("tail");
  auto log = dir / "sitecomp.log";
  auto t = make_local_time(2006, 6, 5, 10, 0, 0);
  write_file(log, sms_line("old one", "SMS_X", t, 0, 1) + sms_line("old two", "SMS_X", t, 0, 1));
  auto tail = start_smsup({"logs", "tail", "-f", "-n", "1", "--for", "60s", "--poll-ms", "20", log.string()});
  ASSERT_TRUE(eventually([&] { return tail.out().find("old two") != std::string::npos; })) << tail.out();
  std::string line = sms_line("fresh line", "SMS_X", t, 0, 1);
  append_to_file(log, line.substr(0, 10));  // half a line: printed only once whole
  append_to_file(log, line.substr(10));
  std::string want = "sitecomp.log:3  2006-06-05 10:00:00.000+000  SMS_X  info  fresh line";
  EXPECT_TRUE(eventually([&] { return tail.out().find(want) != std::string::npos; })) << tail.out();
  auto r = tail.kill(SIGTERM);
  EXPECT_EQ(r.out.find("old one"), std::string::npos);
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2) << r.out;
}

TEST(LogsCli, TailFollowStopsAfterForWithExitZero) {
  auto dir = fresh_dir("tail");
  write_file(dir / "x.log", sms_line("only", "SMS_X", make_local_time(2006, 6, 5, 10, 0, 0), 0, 1));
  Result r = run_smsup({"logs", "tail", "-f", "--for", "1s", "--format", "json", (dir / "x.log").string()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["message"], "only");
  EXPECT_EQ(run_smsup({"logs", "tail", "-f", "--for", "soon", (dir / "x.log").string()}).code, 2);
  EXPECT_EQ(run_smsup({"logs", "tail", "-f", "--poll-ms", "0", (dir / "x.log").string()}).code, 2);
}

TEST(LogsCli, ScanFindsAllSixMilestonesInOnePass) {
  auto dir = fresh_dir("scan");
  auto file = dir / "gen.log";
  Result g = run_smsup({"logs", "generate", "-o", file.string(), "--size", "1M"});
  ASSERT_EQ(g.code, 0) << g.err;
  Result r = run_smsup({"logs", "scan", file.string(), "--format", "json"});
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 6u);
  for (const auto& m : j) EXPECT_GE(m["count"].get<int>(), 1) << m.dump();
}

TEST(LogsCli, HelpIsThere) {
  EXPECT_EQ(run_smsup({"verify", "--help"}).code, 0);
  EXPECT_EQ(run_smsup({"logs", "grep", "--help"}).code, 0);
}

TEST(LogsCli, TailFollowReadsTheNewFileAfterRotation) {
  auto dir = fresh_dir("rotate");
  auto log = dir / "hman.log";
  auto t = make_local_time(2006, 6, 5, 10, 0, 0);
  write_file(log, sms_line("before rotation", "SMS_HIERARCHY_MANAGER", t, 0, 1));
  auto tail = start_smsup({"logs", "tail", "-f", "--for", "60s", "--poll-ms", "20", "--format", "json", log.string()});
  ASSERT_TRUE(eventually([&] { return tail.out().find("before rotation") != std::string::npos; })) << tail.out();
  std::filesystem::rename(log, dir / "hman.lo_");
  append_to_file(log,
                 sms_line("after, in a new file longer than the one renamed away", "SMS_HIERARCHY_MANAGER", t, 0, 1));
  EXPECT_TRUE(eventually([&] { return tail.out().find("after, in a new file") != std::string::npos; })) << tail.out();
  auto r = tail.kill(SIGTERM);
  auto second = nlohmann::json::parse(r.out.substr(r.out.find('\n') + 1));
  EXPECT_EQ(second["file"], log.string());
  EXPECT_EQ(second["line"], 1);
  EXPECT_EQ(second["message"], "after, in a new file longer than the one renamed away");
}
