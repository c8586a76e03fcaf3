#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fake_driver.h"
#include "run/eta.h"
#include "run/executor.h"
#include "run/journal.h"
#include "run/sqlite.h"
#include "run/store.h"
#include "support.h"
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
    sql::Stmt(raw, "INSERT INTO lock(id, pid, pid_start, host, since) VALUES(1, ?1, 0, ?2, 0)")
        .bind(1, int64_t{child})
        .bind(2, std::string(host))
        .run();
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

TEST(Journal, AfterAPowerLossArmedStepsAreAskedAboutNotRunBlindly) {
  test::TempDir t;
  auto p = test::plan_of({test::step("A/x"), test::step("A/y", {"A/x"}), test::step("A/z", {"A/y"})});
  {
    Journal j(t / "j.db");
    j.bind(p, "d", "p", "fake");
    // As the executor leaves it: A/x started with a synced commit that armed
    // A/y; A/y's own start was a NORMAL commit, lost with the power.
    j.record({Change("A/x", State::running)}, {"A/y"}, true);
    j.record(Change("A/x", State::succeeded, "driver", "", drivers::Outcome{true, 0, "", "", 0}));
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    sql::Db raw(t / "j.db");
    sql::Stmt(raw,
              "INSERT INTO lock(id, pid, pid_start, host, since, boot) VALUES(1, 999999, 0, ?1, 0, 'another-boot')")
        .bind(1, std::string(host))
        .run();
  }
  Journal j(t / "j.db", false);
  ASSERT_TRUE(j.lock().has_value()) << "a lock from before the reboot is stale";
  EXPECT_TRUE(j.rebooted());
  test::FakeDriver d;
  d.probes = {{"A/y", drivers::Probe::done}};
  Options o;
  o.tick = std::chrono::milliseconds(5);
  Executor ex(p, j, d, o, nullptr);
  EXPECT_TRUE(ex.run().all_succeeded());
  EXPECT_EQ(d.probed, std::vector<std::string>{"A/y"});
  EXPECT_EQ(d.started, std::vector<std::string>{"A/z"}) << "A/y ran again blindly";
}

TEST(Journal, WithoutARebootArmedStepsRunNormally) {
  test::TempDir t;
  auto p = test::plan_of({test::step("A/x"), test::step("A/y", {"A/x"})});
  Journal j(t / "j.db");
  j.bind(p, "d", "p", "fake");
  j.record({Change("A/x", State::running)}, {"A/y"}, true);
  j.lock();
  EXPECT_FALSE(j.rebooted());
  test::FakeDriver d;
  d.probes = {{"A/x", drivers::Probe::not_done}};
  Options o;
  o.tick = std::chrono::milliseconds(5);
  Executor ex(p, j, d, o, nullptr);
  EXPECT_TRUE(ex.run().all_succeeded());
  EXPECT_EQ(d.probed, std::vector<std::string>{"A/x"});
  EXPECT_EQ(d.started, (std::vector<std::string>{"A/x", "A/y"}));
}

// An apply killed while it made the journal leaves an SQLite database with
// no table: the next apply makes the journal there; status still refuses it.
TEST(Journal, ADatabaseWithoutAnyTableLeftByAKilledApplyBecomesTheJournal) {
  test::TempDir t;
  {
    sql::Db raw(t / "j.db");
    raw.exec("PRAGMA journal_mode=WAL");
  }
  EXPECT_THROW(Journal(t / "j.db", false), InputError);
  Journal j(t / "j.db");
  j.bind(test::plan_of({test::step("A/x")}), "d", "p", "fake");
  EXPECT_EQ(Journal(t / "j.db", false).steps().size(), 1u);
}

// What --journal names is shown in messages and typed again in advice
// without its password, wherever libpq's grammar puts it (found by
// fuzz/journal_spec.cpp: a second "pw@" after the port went into the port).
TEST(JournalSpec, APasswordNeverShowsNorIsTypedAgain) {
  for (std::string spec : {"postgresql://ops:Secret-Pw-2@db:5432/SMS?campaign=spring",
                           "postgresql://ops:Secret-Pw-2@db:5432:Secret-Pw-2@db:543gn=spring",
                           "host=db user=ops password=Secret-Pw-2 dbname=Secret-Pw-2 campaign=spring"}) {
    auto s = store::parse_spec(spec);
    EXPECT_EQ(s.shown.find("Secret-Pw-2"), std::string::npos) << s.shown;
    EXPECT_EQ(s.retype.find("Secret-Pw-2"), std::string::npos) << s.retype;
    EXPECT_NE(s.shown.find("db"), std::string::npos) << s.shown;
  }
}

// A keyword string with a value longer than a file name may be is still read
// as keywords (it was an uncaught ENAMETOOLONG that ended smsup; found by
// fuzz/journal_spec.cpp).
TEST(JournalSpec, AKeywordStringTooLongForAFileNameIsKeywordsNotACrash) {
  std::string spec = "host=db campaign=spring application_name=" + std::string(400, 'x');
  auto s = store::parse_spec(spec);
  EXPECT_EQ(s.engine, store::Engine::postgresql);
  EXPECT_EQ(s.campaign, "spring");
}

// `status` and `serve` make the ETA from the plan the journal holds (steps,
// edges, the estimates written at bind) instead of parsing the plan file
// again: the same ETA as from the plan itself, also once the file is gone.
// A journal bound before the estimates were kept still reads its plan file.
TEST(Journal, TheEtaComesFromThePlanTheJournalHoldsTheSameAsFromThePlan) {
  test::TempDir t;
  auto a = test::step("AAA/backup", {}, "HA", "AAA");
  a.estimate_min = 12.5;
  auto b = test::step("AAA/upgrade", {"AAA/backup"}, "HA", "AAA");
  b.estimate_min = 40;
  auto c = test::step("BBB/backup", {}, "HB", "BBB");
  c.estimate_min = 7.25;
  auto d = test::step("*/readiness", {"AAA/upgrade", "BBB/backup"});
  d.estimate_min = 3;
  auto p = test::plan_of({a, b, c, d});
  std::string plan_path = t / "plan.json";
  plan::save(p, plan_path);
  Journal j(t / "j.db");
  j.bind(p, "digest", plan_path, "fake");
  j.record(Change("AAA/backup", State::running));
  j.record(Change("AAA/backup", State::succeeded));
  j.record(Change("BBB/backup", State::running));
  auto steps = j.steps();
  double now = run::now_seconds();
  auto want = estimate(plan::load(plan_path), steps, now);
  auto check = [&](const std::optional<Eta>& got) {
    ASSERT_TRUE(got.has_value());
    EXPECT_DOUBLE_EQ(got->remaining_min, want.remaining_min);
    EXPECT_DOUBLE_EQ(got->finish, want.finish);
    EXPECT_EQ(got->complete, want.complete);
    ASSERT_EQ(got->sites.size(), want.sites.size());
    for (size_t i = 0; i < want.sites.size(); ++i) {
      EXPECT_EQ(got->sites[i].name, want.sites[i].name);
      EXPECT_DOUBLE_EQ(got->sites[i].remaining_min, want.sites[i].remaining_min);
    }
    ASSERT_EQ(got->waves.size(), want.waves.size());
    ASSERT_EQ(got->kinds.size(), want.kinds.size());
  };
  EXPECT_GT(want.remaining_min, 40);  // the upgrade's 40 minutes are still ahead
  auto held = journal_plan(j, steps);
  ASSERT_TRUE(held.has_value());
  EXPECT_DOUBLE_EQ(held->steps[2].estimate_min, 7.25);
  check(journal_eta(j, steps, now));
  std::filesystem::remove(plan_path);
  check(journal_eta(j, steps, now));  // the plan file is not read

  // An older journal: no estimates kept; its plan file while it is there.
  {
    sql::Db raw(t / "j.db");
    sql::Stmt(raw, "DELETE FROM meta WHERE key='step_estimates'").run();
  }
  Journal old(t / "j.db", false);
  EXPECT_FALSE(old.step_estimates().has_value());
  EXPECT_FALSE(journal_eta(old, steps, now).has_value());
  plan::save(p, plan_path);
  check(journal_eta(old, steps, now));
  // Its run going on (the same plan bound again) gives it the estimates.
  old.bind(p, "digest", plan_path, "fake");
  std::filesystem::remove(plan_path);
  check(journal_eta(old, steps, now));
}
