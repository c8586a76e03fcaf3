// What the journal holds is written by other people (a note, an operator
// name) and by commands on other hosts (their output): on a colleague's
// terminal it is text, never terminal controls (a title change, a cleared
// screen, a fake line). Every text view of a run escapes them.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "plan/plan.h"
#include "fake_driver.h"
#include "plan_steps.h"
#include "support.h"

namespace smsup {
namespace {

bool has_control(const std::string& s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n') || u == 0x7f) return true;
  }
  return false;
}

TEST(TerminalText, NotesOperatorsAndCommandOutputInTheJournalAreShownAsText) {
  test::TempDir t;
  plan::Plan p =
      test::plan_of({test::site_step("CEN/backup", "backup", {}), test::site_step("PR1/drw", "drw", {}, true)});
  p.steps[1].site = "PR1";
  plan::save(p, t / "plan.json");
  // The backup's command prints a title change, a screen clear and a CRLF, then fails.
  std::ofstream(t / "hosts.yaml")
      << "format: smsup-hosts/1\ntimeout: 20s\nkinds:\n  backup:\n    command: [/bin/sh, -c, "
         "\"printf 'disk \\\\033]0;pwned\\\\007\\\\033[2Jfull\\\\r\\\\n'; exit 3\"]\n";
  auto ran = test::run_smsup(
      {"apply", t / "plan.json", "--target", "shell", "--hosts", t / "hosts.yaml", "--journal", t / "j.db", "--plain"});
  ASSERT_EQ(ran.status, 1) << ran.out << ran.err;
  EXPECT_FALSE(has_control(ran.out)) << ran.out;
  auto note = std::string("wizard clean\x1b]0;pwned\x07\x1b[2J\nsecond line");
  auto who = std::string("eve\x1b[31m");
  auto confirmed = test::run_smsup({"confirm", "PR1/drw", "--journal", t / "j.db", "--note", note, "--operator", who});
  ASSERT_EQ(confirmed.status, 0) << confirmed.err;
  EXPECT_FALSE(has_control(confirmed.out)) << confirmed.out;
  EXPECT_NE(confirmed.out.find("wizard clean\\x1b]0;pwned\\x07\\x1b[2J\\nsecond line"), std::string::npos)
      << confirmed.out;
  for (std::vector<std::string> view : {std::vector<std::string>{"status", "--all"}, {"status", "--events"}}) {
    view.insert(view.end(), {"--journal", t / "j.db"});
    auto shown = test::run_smsup(view);
    ASSERT_NE(shown.status, 2) << shown.err;
    EXPECT_FALSE(has_control(shown.out)) << view[1] << ":\n" << shown.out;
    EXPECT_NE(shown.out.find("\\x1b]0;pwned"), std::string::npos) << view[1] << ":\n" << shown.out;
  }
  auto status = test::run_smsup({"status", "--journal", t / "j.db"});
  EXPECT_NE(status.out.find("    | disk \\x1b]0;pwned\\x07\\x1b[2Jfull\n"), std::string::npos)
      << "the failed command's output, a line as a line, without its CR:\n"
      << status.out;
  auto events = test::run_smsup({"status", "--events", "--journal", t / "j.db"});
  EXPECT_NE(events.out.find("eve\\x1b[31m"), std::string::npos) << events.out;
  // JSON is for programs: the bytes as they are, in JSON's own escapes.
  auto json = test::run_smsup({"status", "--format", "json", "--journal", t / "j.db"});
  EXPECT_NE(json.out.find("\\u001b]0;pwned\\u0007"), std::string::npos) << json.out;
}

TEST(TerminalText, APlanWhoseIdOrHostHoldsAControlCharacterIsRefusedOnLoad) {
  test::TempDir t;
  for (const char* field : {"id", "host"}) {
    plan::Plan p = test::plan_of({test::site_step("CEN/backup", "backup", {})});
    (std::string(field) == "id" ? p.steps[0].id : p.steps[0].host) += "\x1b[2J";
    plan::save(p, t / "plan.json");
    auto shown = test::run_smsup({"show", t / "plan.json"});
    EXPECT_EQ(shown.status, 2) << field << ": " << shown.out;
    EXPECT_NE(shown.err.find(std::string("steps[0].") + field + ": "), std::string::npos) << shown.err;
    EXPECT_NE(shown.err.find(std::string(field) == "id" ? "holds a control character"
                                                        : "is not a name a Windows host can have"),
              std::string::npos)
        << shown.err;
    EXPECT_FALSE(has_control(shown.err.substr(0, shown.err.size() - 1))) << shown.err;
  }
}

// A log line written on a site server is shown by `logs` as text; tabs
// stay, JSON keeps the bytes.
TEST(TerminalText, LogMessagesAreShownAsText) {
  test::TempDir t;
  std::ofstream(t / "a.log") << "copied\x1b]0;pwned\x07\tdone~  $$<SMS_\x1b[2JMGR><06-05-2006 16:40:00.000+240>"
                                "<thread=1 (0x1)>\n";
  for (std::string verb : {"tail", "grep", "merge", "stats"}) {
    std::vector<std::string> args = {"logs", verb};
    if (verb == "grep") args.push_back("copied");
    args.push_back(t / "a.log");
    auto shown = test::run_smsup(args);
    ASSERT_EQ(shown.status, 0) << verb << ": " << shown.err;
    std::string without_tab = shown.out;
    std::erase(without_tab, '\t');
    EXPECT_FALSE(has_control(without_tab)) << verb << ": " << shown.out;
    if (verb != "stats") {
      EXPECT_NE(shown.out.find("copied\\x1b]0;pwned\\x07\tdone"), std::string::npos) << verb << ": " << shown.out;
    }
    EXPECT_NE(shown.out.find("SMS_\\x1b[2JMGR"), std::string::npos) << verb << ": " << shown.out;
  }
  auto json = test::run_smsup({"logs", "tail", "--format", "json", t / "a.log"});
  EXPECT_NE(json.out.find("copied\\u001b]0;pwned\\u0007\\tdone"), std::string::npos) << json.out;
}

}  // namespace
}  // namespace smsup
