#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fake_driver.h"
#include "run/journal.h"
#include "run/sqlite.h"
#include "temp_dir.h"
#include "util/error.h"

using namespace smsup;
using namespace smsup::run;

TEST(Journal, RefusesAPlanWithAnotherDigest) {
  test::TempDir t;
  Journal j(t / "j.db");
  auto p = test::plan_of({test::step("A/x")});
  j.bind(p, "aaaa1111", "plan.json", "fake");
  EXPECT_NO_THROW(j.bind(p, "aaaa1111", "plan.json", "fake"));
  try {
    j.bind(p, "bbbb2222", "other.json", "fake");
    FAIL() << "a second plan was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("another plan"), std::string::npos) << e.what();
  }
}

TEST(Journal, SecondLockIsRefusedNamingPidAndHost) {
  test::TempDir t;
  Journal a(t / "j.db");
  EXPECT_FALSE(a.lock().has_value());
  Journal b(t / "j.db", false);
  try {
    b.lock();
    FAIL() << "second lock granted";
  } catch (const InputError& e) {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    std::string msg = e.what();
    EXPECT_NE(msg.find("pid " + std::to_string(getpid())), std::string::npos) << msg;
    EXPECT_NE(msg.find(host), std::string::npos) << msg;
  }
  a.unlock();
  EXPECT_NO_THROW(b.lock());
}

TEST(Journal, StaleLockOfADeadProcessIsTakenOver) {
  test::TempDir t;
  Journal a(t / "j.db");
  pid_t child = fork();
  if (child == 0) _exit(0);
  int st = 0;
  waitpid(child, &st, 0);  // a pid that no longer runs
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  {
    sql::Db raw(t / "j.db");
    sql::Stmt(raw, "INSERT INTO lock VALUES(1, ?1, 0, ?2, 0)").bind(1, int64_t{child}).bind(2, std::string(host)).run();
  }
  auto old = a.lock();
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(old->pid, child);
  EXPECT_EQ(a.holder()->pid, getpid());
}

TEST(Journal, NotAJournalIsBadInput) {
  test::TempDir t;
  {
    FILE* f = fopen((t / "x.db").c_str(), "w");
    fputs("this is not sqlite, just some text that is long enough to be a header.....", f);
    fclose(f);
  }
  EXPECT_THROW(Journal j(t / "x.db"), InputError);
  EXPECT_THROW(Journal j(t / "missing.db", false), InputError);
}

TEST(Journal, EveryStateChangeLeavesAnEvent) {
  test::TempDir t;
  Journal j(t / "j.db");
  j.bind(test::plan_of({test::step("A/x")}), "d", "p", "fake");
  drivers::Outcome o;
  o.succeeded = true;
  o.output_tail = "done\n";
  j.record({"A/x", State::running});
  j.record({"A/x", State::succeeded, "driver", "", o});
  sql::Db raw(t / "j.db");
  sql::Stmt q(raw, "SELECT count(*) FROM events WHERE step='A/x'");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.integer(0), 2);
  EXPECT_EQ(j.step("A/x")->output_tail, "done\n");
}
