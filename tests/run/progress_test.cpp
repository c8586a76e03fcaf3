#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "fake_driver.h"
#include "run/executor.h"
#include "run/progress.h"
#include "support.h"

using namespace smsup;
using namespace smsup::run;

namespace {

std::string run_with(std::unique_ptr<Observer> (*make)(std::ostream&, const std::string&), bool manual) {
  test::TempDir t;
  Journal j(t / "j.db");
  auto p = test::plan_of({test::step("A/backup"), test::step("A/drw", {"A/backup"}, "", "A", manual),
                          test::step("B/backup", {}, "", "B")});
  j.bind(p, "d", "p", "fake");
  test::FakeDriver d;
  d.fail = {"B/backup"};
  std::ostringstream out;
  {
    auto obs = make(out, t / "j.db");
    Options o;
    o.tick = std::chrono::milliseconds(1);
    Executor ex(p, j, d, o, obs.get());
    ex.run();
  }
  return out.str();
}

std::unique_ptr<Observer> plain(std::ostream& f, const std::string&) { return make_plain_progress(f); }
std::unique_ptr<Observer> term(std::ostream& f, const std::string& j) { return make_terminal_progress(f, j); }

int count(const std::string& s, const std::string& part) {
  int n = 0;
  for (size_t p = s.find(part); p != std::string::npos; p = s.find(part, p + 1)) ++n;
  return n;
}

}  // namespace

TEST(Progress, PlainPrintsOneLinePerStateChange) {
  auto s = run_with(plain, true);
  // A/backup running+succeeded, B/backup running+failed, A/drw waiting.
  EXPECT_EQ(count(s, "\n"), 5) << s;
  EXPECT_EQ(count(s, "running   A/backup"), 1) << s;
  EXPECT_EQ(count(s, "failed    B/backup  scripted failure"), 1) << s;
  EXPECT_EQ(count(s, "waiting   A/drw"), 1) << s;
  EXPECT_EQ(s.find("\x1b["), std::string::npos) << "escape codes in plain output";
}

TEST(Progress, TerminalShowsDoneOfTotalAndWhatWaits) {
  auto s = run_with(term, true);
  EXPECT_NE(s.find("1/3 done"), std::string::npos) << s;
  EXPECT_NE(s.find("smsup confirm A/drw --journal"), std::string::npos) << s;
  EXPECT_NE(s.find("B/backup failed: scripted failure"), std::string::npos) << s;
}

TEST(Progress, ElapsedTimeReadsAsClockTime) {
  EXPECT_EQ(elapsed_text(0), "0:00");
  EXPECT_EQ(elapsed_text(75), "1:15");
  EXPECT_EQ(elapsed_text(3725), "1:02:05");
}
