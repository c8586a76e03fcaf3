// The journal on PostgreSQL (a cluster the tests start on loopback; they
// fail, not skip, without it): the same semantics as SQLite, a campaign per
// schema, the schema version, the lease (expiry, takeover, a paused holder,
// a clock that jumps) and a connection killed mid-run.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "fake_driver.h"
#include "kills.h"
#include "pg_cluster.h"
#include "plan/plan.h"
#include "run/executor.h"
#include "run/journal.h"
#include "run/store.h"
#include "support.h"
#include "util/error.h"

using namespace smsup;
using namespace smsup::run;

namespace {

using test::has;

std::string fresh_db(test::PgCluster* pg, const std::string& name) {
  pg->create_db(name);
  return pg->url(name);
}

// A plan whose run on the fake driver fails a step, skips what depends on
// it, waits for a person, and is then confirmed and retried.
plan::Plan mixed_plan() {
  return test::plan_of({test::step("A/backup"), test::step("A/upgrade", {"A/backup"}),
                        test::step("A/verify", {"A/upgrade"}), test::step("B/backup"),
                        test::step("B/drw", {"B/backup"}, "", "*", true), test::step("B/upgrade", {"B/drw"})});
}

struct Seen {
  std::vector<std::tuple<std::string, std::string, int, std::string, std::string>> steps;
  std::vector<std::tuple<std::string, std::string, std::string, std::string>> events;
};

// Everything but times: the steps' states, attempts, messages, notes, and
// each event's step, state, how and detail.
Seen run_mixed(const std::string& journal) {
  auto p = mixed_plan();
  Journal j(journal);
  j.set_operator("ann@desk1");
  j.bind(p, "digest", "plan.json", "fake");
  test::FakeDriver d;
  d.fail = {"A/backup"};
  Options o;
  o.tick = std::chrono::milliseconds(2);
  Executor(p, j, d, o, nullptr).run();
  Journal other(journal, false);
  other.set_operator("bob@desk2");
  other.confirm("B/drw", "wizard clean", false);
  other.retry("A/backup");
  Seen s;
  for (const auto& r : j.steps()) {
    s.steps.emplace_back(r.id, std::string(to_string(r.state)), r.attempts, r.message, r.note);
  }
  for (const auto& e : j.events()) s.events.emplace_back(e.step, e.state, e.how, e.who);
  return s;
}

}  // namespace

TEST(PgJournal, TheSameRunLeavesTheSameJournalOnPostgreSQLAsOnSQLite) {
  REQUIRE_POSTGRES();
  test::TempDir t;
  Seen lite = run_mixed(t / "j.db");
  Seen pgs = run_mixed(fresh_db(pg, "same_run"));
  EXPECT_EQ(pgs.steps, lite.steps);
  EXPECT_EQ(pgs.events, lite.events);
  ASSERT_FALSE(pgs.events.empty());
  EXPECT_EQ(std::get<3>(pgs.events.back()), "bob@desk2") << "the retry is bob's";
  EXPECT_EQ(pg->psql("same_run", "SELECT value FROM smsup_main.meta WHERE key='schema'"), "2\n");
}

TEST(PgJournal, EachCampaignHasItsOwnSchemaAndAMissingOneIsNoJournal) {
  REQUIRE_POSTGRES();
  std::string url = fresh_db(pg, "campaigns");
  {
    Journal a(url + "?campaign=spring");
    a.bind(test::plan_of({test::step("A/x")}), "d1", "p1", "fake");
    Journal b(url + "?campaign=autumn");
    b.bind(test::plan_of({test::step("B/y"), test::step("B/z")}), "d2", "p2", "fake");
  }
  EXPECT_EQ(Journal(url + "?campaign=spring", false).steps().size(), 1u);
  EXPECT_EQ(Journal(url + "?campaign=autumn", false).steps().size(), 2u);
  EXPECT_EQ(pg->psql("campaigns",
                     "SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace "
                     "WHERE nspname LIKE 'smsup%'"),
            "smsup_autumn,smsup_spring\n");
  auto st = test::run_smsup({"status", "--journal", url + "?campaign=winter"});
  EXPECT_EQ(st.status, 2);
  EXPECT_TRUE(has(st.err, "no journal for campaign 'winter'")) << st.err;
  EXPECT_EQ(pg->psql("campaigns", "SELECT count(*) FROM pg_namespace WHERE nspname='smsup_winter'"), "0\n")
      << "status created a campaign";
  // The environment names the journal when --journal is not given; a libpq
  // keyword string works as well as a URI.
  auto env = test::run_smsup({"status", "--format", "json"}, {"SMSUP_JOURNAL=" + url + "?campaign=autumn"});
  EXPECT_EQ(env.status, 1) << env.err;
  EXPECT_EQ(nlohmann::json::parse(env.out)["steps"].size(), 2u);
  auto bad = test::run_smsup({"status", "--journal", url + "?campaign=no-dashes"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_TRUE(has(bad.err, "campaign 'no-dashes'")) << bad.err;
}

TEST(PgJournal, AJournalOfANewerSchemaIsRefusedNamingBothVersions) {
  REQUIRE_POSTGRES();
  std::string url = fresh_db(pg, "newer");
  Journal(url).bind(test::plan_of({test::step("A/x")}), "d", "p", "fake");
  pg->psql("newer", "UPDATE smsup_main.meta SET value='7' WHERE key='schema'");
  try {
    Journal j(url, false);
    FAIL() << "a newer schema was opened";
  } catch (const InputError& e) {
    EXPECT_TRUE(has(e.what(), "newer smsup (journal schema 7; this smsup reads schemas up to 2)")) << e.what();
  }
  auto st = test::run_smsup({"status", "--journal", url});
  EXPECT_EQ(st.status, 2);
  EXPECT_TRUE(has(st.err, "newer smsup")) << st.err;
}

TEST(PgJournal, AnUnreachableServerIsAClearErrorNotAHang) {
  auto st = test::run_smsup({"status", "--journal", "postgresql://127.0.0.1:1/nothing?connect_timeout=2"});
  EXPECT_EQ(st.status, 2);
  EXPECT_TRUE(has(st.err, "cannot connect to the journal's PostgreSQL")) << st.err;
}

TEST(PgJournal, AServerThatNeverAnswersEndsAtTheConnectTimeoutTheUrlGives) {
  // A listener nobody reads: the kernel completes the TCP handshake, the
  // PostgreSQL startup message is never answered. The URL's connect_timeout
  // (2 s) wins over smsup's own 10 s.
  test::LoopbackSocket server(test::LoopbackSocket::silent);
  auto t0 = std::chrono::steady_clock::now();
  auto st = test::run_smsup(
      {"status", "--journal", fmt::format("postgresql://127.0.0.1:{}/nothing?connect_timeout=2", server.port())});
  auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(st.status, 2);
  EXPECT_TRUE(has(st.err, "timeout expired")) << st.err;
  EXPECT_LT(took, std::chrono::seconds(8)) << "the URL's connect_timeout=2 was not used";
}

// ---- the lease ----

TEST(PgLease, ALiveLeaseIsRefusedAnExpiredOneTakenOverAndTheOldHolderStops) {
  REQUIRE_POSTGRES();
  std::string url = fresh_db(pg, "lease");
  auto p = test::plan_of({test::step("A/x"), test::step("A/y", {"A/x"})});
  Journal a(url);
  a.set_operator("ann@desk1");
  a.bind(p, "d", "p", "fake");
  ASSERT_FALSE(a.lock(1.5).has_value());  // no heartbeat: it runs out
  Journal b(url, false);
  b.set_operator("bob@desk2");
  try {
    b.lock(1.5);
    FAIL() << "a live lease was taken";
  } catch (const InputError& e) {
    EXPECT_TRUE(has(e.what(), "pid " + std::to_string(getpid()))) << e.what();
    EXPECT_TRUE(has(e.what(), "operator ann@desk1")) << e.what();
  }
  std::optional<LockHolder> old;
  EXPECT_TRUE(test::eventually(
      [&] {
        try {
          old = b.lock(1.5);
          return true;
        } catch (const InputError&) {
          return false;
        }
      },
      std::chrono::seconds(20), std::chrono::milliseconds(100)));
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(old->who, "ann@desk1");
  auto ev = b.events();
  ASSERT_FALSE(ev.empty());
  EXPECT_EQ(ev.back().state, "takeover");
  EXPECT_EQ(ev.back().who, "bob@desk2");
  EXPECT_TRUE(has(ev.back().detail, "pid " + std::to_string(getpid()))) << ev.back().detail;
  EXPECT_TRUE(has(ev.back().detail, "ann@desk1")) << ev.back().detail;
  // The old holder writes nothing more and starts nothing.
  EXPECT_THROW(a.record({Change("A/x", State::running)}, {}, true), LeaseLost);
  EXPECT_EQ(b.step("A/x")->state, State::pending);
  EXPECT_THROW(a.check_lease(), LeaseLost);
}

// The server ends a session left inside a transaction for longer than a
// lease, so a holder paused there and taken over wakes to a lost connection:
// it says who holds the journal now, as when its heartbeat sees it.
TEST(PgLease, AHolderWhoseConnectionWasEndedLearnsWhetherItWasTakenOver) {
  REQUIRE_POSTGRES();
  std::string url = fresh_db(pg, "ended");
  Journal a(url);
  a.bind(test::plan_of({test::step("A/x")}), "d", "p", "fake");
  a.lock(60);
  auto end_others = [&] {
    pg->psql("ended",
             "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
             "WHERE datname='ended' AND pid <> pg_backend_pid()");
  };
  // Still its lease: the lost connection is the whole story.
  end_others();
  EXPECT_THROW(a.record({Change("A/x", State::running)}, {}, true), store::Unavailable);
  EXPECT_NO_THROW(a.check_lease_after_disconnect());
  // Its lease runs out (renewed long ago by the store's clock) and bob takes over.
  pg->psql("ended", "UPDATE smsup_main.lock SET renewed = renewed - 3600");
  Journal b(url, false);
  b.set_operator("bob@desk2");
  ASSERT_TRUE(b.lock(60).has_value());
  try {
    a.check_lease_after_disconnect();
    FAIL() << "a lease taken over was not noticed";
  } catch (const LeaseLost& e) {
    EXPECT_TRUE(has(e.what(), "taken over by pid " + std::to_string(getpid()))) << e.what();
    EXPECT_TRUE(has(e.what(), "(operator bob@desk2)")) << e.what();
    EXPECT_TRUE(has(e.what(), "starts nothing more")) << e.what();
  }
}

TEST(PgLease, AHeartbeatKeepsTheLeaseWellPastItsLength) {
  REQUIRE_POSTGRES();
  std::string url = fresh_db(pg, "heartbeat");
  Journal a(url);
  a.bind(test::plan_of({test::step("A/x")}), "d", "p", "fake");
  a.lock(2);
  a.start_heartbeat(std::chrono::milliseconds(200));
  Journal b(url, false);
  auto began = std::chrono::steady_clock::now();
  int refused = 0;
  // Two and a half lease lengths, tried every 100 ms: never taken.
  while (std::chrono::steady_clock::now() - began < std::chrono::seconds(5)) {
    EXPECT_THROW(b.lock(2), InputError);
    ++refused;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_GT(refused, 10);
  EXPECT_NO_THROW(a.check_lease());
}

namespace {
// A clock shifted by a fixed amount: wall time and the steady clock.
struct ShiftedClock : Clock {
  std::chrono::seconds by;
  explicit ShiftedClock(std::chrono::seconds s) : by(s) {}
  double wall() override { return Clock::wall() + static_cast<double>(by.count()); }
  std::chrono::steady_clock::time_point steady() override { return Clock::steady() + by; }
};
}  // namespace

TEST(PgLease, AClockThatJumpsNeitherExpiresALiveLeaseNorStopsItsHolder) {
  REQUIRE_POSTGRES();
  std::string url = fresh_db(pg, "clockjump");
  Journal a(url);
  a.bind(test::plan_of({test::step("A/x")}), "d", "p", "fake");
  a.lock(5);
  // Another host whose clock is a day ahead, or a day behind: the lease's
  // age is judged by the server's clock, so the live lease stays.
  for (auto shift : {std::chrono::hours(24), -std::chrono::hours(24)}) {
    Journal b(url, false);
    b.set_clock(std::make_shared<ShiftedClock>(std::chrono::duration_cast<std::chrono::seconds>(shift)));
    EXPECT_THROW(b.lock(5), InputError);
  }
  // The holder's own clock jumps a day ahead: it confirms its lease with
  // the server instead of taking itself for expired, and goes on.
  auto jump = std::make_shared<ShiftedClock>(std::chrono::seconds(0));
  a.set_clock(jump);
  jump->by = std::chrono::hours(24);
  EXPECT_NO_THROW(a.check_lease());
  EXPECT_NO_THROW(a.record({Change("A/x", State::running)}, {}, true));
  EXPECT_EQ(Journal(url, false).step("A/x")->state, State::running);
}

// ---- two appliers, one paused past its lease ----

namespace {

// `n` steps in a chain of pairs; each records its id in `record` (and its
// probe looks there), sleeping a little so that the run lasts.
plan::Plan chain_plan(int n) {
  plan::Plan p;
  p.hierarchy = "Lease";
  p.inventory_sha256 = "none";
  p.created = "2026-11-29T00:00:00Z";
  for (int i = 0; i < n; ++i) {
    plan::Step s;
    s.site = "S0" + std::to_string(i % 2);  // plans hold real kinds and site codes
    s.kind = "backup";
    s.id = s.site + "/backup/" + std::to_string(i);
    s.host = s.site + "-H";
    if (i >= 2) s.after.push_back(s.site + "/backup/" + std::to_string(i - 2));
    s.title = s.id;
    p.steps.push_back(s);
  }
  return p;
}

void write_slow_hosts(const std::string& path, const std::string& record, int sleep_ms) {
  std::ofstream(path) << "format: smsup-hosts/1\ntimeout: 30s\nkinds:\n  backup:\n    command: [/bin/sh, -c, '"
                      << SMSUP_TEST_HELPER << " sleep " << sleep_ms << " && " << SMSUP_TEST_HELPER
                      << " record \"$0\" \"$1\"', '" << record << "', '{step}']\n"
                      << "    probe: [" << SMSUP_TEST_HELPER << ", probe, " << record << ", '{step}']\n";
}

}  // namespace

TEST(PgLease, APausedApplierIsTakenOverAndWhenItWakesEveryStepHasRunExactlyOnce) {
  REQUIRE_POSTGRES();
  test::TempDir t;
  std::string url = fresh_db(pg, "paused");
  auto p = chain_plan(40);
  plan::save(p, t / "plan.json");
  write_slow_hosts(t / "hosts.yaml", t / "ran.txt", 40);
  auto args = [&](const std::string& who) {
    return std::vector<std::string>{
        "apply",      t / "plan.json",    "--target", "shell",   "--hosts", t / "hosts.yaml", "--journal",
        url,          "--resume",         "--plain",  "--lease", "2",       "--operator",     who,
        "--work-dir", t / ("work-" + who)};
  };
  test::Child a = test::start_smsup(args("ann"));
  ASSERT_TRUE(test::eventually([&] { return test::record_counts(t / "ran.txt").size() >= 4; })) << a.err();
  kill(a.pid(), SIGSTOP);
  // Its lease runs out (status says so), then the second applier takes over.
  ASSERT_TRUE(test::eventually(
      [&] {
        auto st = test::run_smsup({"status", "--journal", url, "--format", "json"});
        auto j = nlohmann::json::parse(st.out, nullptr, false);
        return !j.is_discarded() && j["lock"].is_object() && j["lock"]["expired"] == true;
      },
      std::chrono::seconds(30), std::chrono::milliseconds(200)));
  test::Child b = test::start_smsup(args("bob"));
  ASSERT_TRUE(test::eventually([&] { return has(b.err(), "taking the journal over"); })) << b.err();
  kill(a.pid(), SIGCONT);
  auto ra = a.wait();
  auto rb = b.wait();
  EXPECT_EQ(ra.status, 1) << ra.err;
  EXPECT_TRUE(has(ra.err, "taken over by pid " + std::to_string(b.pid()))) << ra.err;
  EXPECT_TRUE(has(ra.err, "starts nothing more")) << ra.err;
  EXPECT_EQ(rb.status, 0) << rb.out << rb.err;
  auto ran = test::record_counts(t / "ran.txt");
  EXPECT_EQ(ran.size(), p.steps.size()) << "some step never ran";
  for (const auto& [id, n] : ran) EXPECT_EQ(n, 1) << id << " ran " << n << " times";
  auto events =
      nlohmann::json::parse(test::run_smsup({"status", "--journal", url, "--events", "--format", "json"}).out);
  int takeovers = 0;
  for (const auto& e : events["events"]) {
    if (e["state"] == "takeover") {
      ++takeovers;
      EXPECT_EQ(e["who"], "bob");
      EXPECT_TRUE(has(e["detail"].get<std::string>(), "pid " + std::to_string(a.pid()))) << e["detail"];
      EXPECT_TRUE(has(e["detail"].get<std::string>(), "(operator ann)")) << e["detail"];
    }
  }
  EXPECT_EQ(takeovers, 1);
}

// ---- a connection killed mid-run ----

TEST(PgJournal, ABackendTerminatedMidRunEndsApplyCleanlyAndResumeFinishesTheRun) {
  REQUIRE_POSTGRES();
  test::TempDir t;
  std::string url = fresh_db(pg, "terminated");
  auto p = chain_plan(30);
  plan::save(p, t / "plan.json");
  write_slow_hosts(t / "hosts.yaml", t / "ran.txt", 30);
  std::vector<std::string> args{"apply",    t / "plan.json",  "--target",   "shell",
                                "--hosts",  t / "hosts.yaml", "--journal",  url,
                                "--resume", "--plain",        "--work-dir", t / "work"};
  test::Child a = test::start_smsup(args);
  ASSERT_TRUE(test::eventually([&] { return test::record_counts(t / "ran.txt").size() >= 4; })) << a.err();
  pg->psql("postgres",
           "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname='terminated' "
           "AND application_name='smsup'");
  auto ra = a.wait();
  EXPECT_EQ(ra.status, 1) << ra.out << ra.err;
  EXPECT_TRUE(has(ra.err, "lost the connection to the journal's PostgreSQL")) << ra.err;
  EXPECT_TRUE(has(ra.err, "--resume")) << ra.err;
  auto again = test::run_smsup(args);
  EXPECT_EQ(again.status, 0) << again.out << again.err;
  auto ran = test::record_counts(t / "ran.txt");
  EXPECT_EQ(ran.size(), p.steps.size());
  for (const auto& [id, n] : ran) EXPECT_EQ(n, 1) << id << " ran " << n << " times";
  Journal j(url, false);
  for (const auto& r : j.steps()) EXPECT_EQ(r.state, State::succeeded) << r.id;
}

// ---- journal copy ----

TEST(JournalCopy, ARunCopiedToPostgreSQLAndBackIsTheSameRunAndANonEmptyTargetIsRefused) {
  REQUIRE_POSTGRES();
  test::TempDir t;
  std::string url = fresh_db(pg, "copies") + "?campaign=published";
  Seen lite = run_mixed(t / "rehearsal.db");
  auto up = test::run_smsup({"journal", "copy", t / "rehearsal.db", url});
  ASSERT_EQ(up.status, 0) << up.err;
  EXPECT_TRUE(has(up.out, "copied 6 steps")) << up.out;
  auto back = test::run_smsup({"journal", "copy", url, t / "back.db"});
  ASSERT_EQ(back.status, 0) << back.err;
  auto seen = [](const std::string& journal) {
    Journal j(journal, false);
    Seen s;
    for (const auto& r : j.steps()) {
      s.steps.emplace_back(r.id, std::string(to_string(r.state)), r.attempts, r.message, r.note);
    }
    for (const auto& e : j.events()) s.events.emplace_back(e.step, e.state, e.how, e.who);
    return s;
  };
  for (const auto& where : {url, t / "back.db"}) {
    Seen s = seen(where);
    EXPECT_EQ(s.steps, lite.steps) << where;
    EXPECT_EQ(s.events, lite.events) << where;
    Journal j(where, false);
    EXPECT_EQ(j.meta("plan_digest"), "digest");
    EXPECT_EQ(j.steps().at(1).after, std::vector<std::string>{"A/backup"});
    auto sj = test::run_smsup({"status", "--journal", where, "--format", "json"});
    EXPECT_EQ(nlohmann::json::parse(sj.out)["counts"]["succeeded"], 2) << sj.out;
  }
  // A target that already holds a journal, or a file that is not one, is refused untouched.
  auto again = test::run_smsup({"journal", "copy", t / "rehearsal.db", url});
  EXPECT_EQ(again.status, 2);
  EXPECT_TRUE(has(again.err, "already holds a journal")) << again.err;
  test::write_file(t / "notes.txt", "not a database at all, some text long enough for a header......");
  auto other = test::run_smsup({"journal", "copy", t / "rehearsal.db", t / "notes.txt"});
  EXPECT_EQ(other.status, 2);
  EXPECT_EQ(test::read_file(t / "notes.txt"), "not a database at all, some text long enough for a header......");
}
