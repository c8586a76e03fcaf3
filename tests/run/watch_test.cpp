// Watching a run (run/watch.h): the incremental view equals a full read after
// any sequence of changes, on SQLite and PostgreSQL (a cluster the tests
// start on loopback; they fail, not skip, without it); `smsup status --watch`
// as a person or a program uses it (non-tty blocks, JSON lines, the end of a
// campaign, SIGINT and SIGTERM, the SQLite file left untouched); a dropped
// PostgreSQL connection made again, and given up on with a bound.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "fake_driver.h"
#include "pg_cluster.h"
#include "plan/plan.h"
#include "plan_steps.h"
#include "run/eta.h"
#include "run/journal.h"
#include "run/sqlite.h"
#include "run/status.h"
#include "run/watch.h"
#include "support.h"

using namespace smsup;
using namespace smsup::run;

namespace {

using test::has;

// A random graph of `n` steps over four sites, each after up to two earlier
// steps, one in five waiting for a person, each with an estimate.
plan::Plan random_plan(std::mt19937_64& rng, int n) {
  std::vector<plan::Step> steps;
  const char* kinds[] = {"backup", "upgrade", "verify", "drw"};
  for (int i = 0; i < n; ++i) {
    std::vector<std::string> after;
    for (int k = 0; k < 2 && i > 0; ++k) {
      if (rng() % 2) {
        std::string a = steps[rng() % static_cast<size_t>(i)].id;
        if (std::find(after.begin(), after.end(), a) == after.end()) after.push_back(a);
      }
    }
    std::string site = "S" + std::to_string(rng() % 4);
    auto s = test::step(site + "/" + kinds[rng() % 4], after, site + "-H", site, rng() % 5 == 0);
    s.id += "/" + std::to_string(i);
    s.estimate_min = static_cast<double>(1 + rng() % 30);
    steps.push_back(std::move(s));
  }
  return test::plan_of(std::move(steps));
}

std::vector<std::string> in_state(Journal& j, State st) {
  std::vector<std::string> ids;
  for (const auto& s : j.steps()) {
    if (s.state == st) ids.push_back(s.id);
  }
  return ids;
}

template <typename T>
std::vector<T> some(std::mt19937_64& rng, std::vector<T> v, size_t most) {
  std::shuffle(v.begin(), v.end(), rng);
  v.resize(std::min(v.size(), static_cast<size_t>(rng() % (most + 1))));
  return v;
}

// One batch of what the executor, people (confirm, retry) and applies
// (lease) do to a journal; false when it wrote nothing.
bool random_batch(Journal& w, std::mt19937_64& rng, bool& locked) {
  bool wrote = false;
  const bool was_locked = locked;
  int lease_ops = 0;
  int ops = static_cast<int>(rng() % 4);  // 0: a look at a journal nobody changed
  for (int op = 0; op < ops; ++op) {
    switch (rng() % 7) {
      case 0:
      case 1: {  // starts, arming other pending steps in the same synced commit
        auto pending = in_state(w, State::pending);
        auto start = some(rng, pending, rng() % 8 == 0 ? pending.size() : 3);
        if (start.empty()) break;
        std::vector<Change> changes;
        for (const auto& id : start) changes.emplace_back(id, State::running, "executor", "on host");
        std::vector<std::string> arm;
        for (const auto& id : some(rng, pending, 3)) {
          if (std::find(start.begin(), start.end(), id) == start.end()) arm.push_back(id);
        }
        w.record(changes, arm, true);
        wrote = true;
        break;
      }
      case 2:
      case 3: {  // ends, some failing (the cascade skips what they stop)
        std::vector<Change> changes;
        for (const auto& id : some(rng, in_state(w, State::running), 4)) {
          bool ok = rng() % 4 != 0;
          drivers::Outcome o{ok, ok ? 0 : 3, "line one\nline " + std::to_string(rng() % 100), ok ? "" : "exit 3", 1};
          changes.emplace_back(id, ok ? State::succeeded : State::failed, "driver", "", o);
        }
        if (changes.empty()) break;
        w.record(changes);
        wrote = true;
        break;
      }
      case 4: {  // waits for a person, then confirmed (or reported failed)
        auto waiting = in_state(w, State::waiting);
        if (!waiting.empty() && rng() % 2) {
          w.confirm(waiting[rng() % waiting.size()], "done by hand", rng() % 3 == 0);
        } else {
          auto p = some(rng, in_state(w, State::pending), 1);
          if (p.empty()) break;
          w.record(Change(p[0], State::waiting, "executor", "waits for a person"));
        }
        wrote = true;
        break;
      }
      case 5: {  // retry: the step and what only it skipped back to pending
        auto failed = in_state(w, State::failed);
        if (failed.empty()) break;
        w.retry(failed[rng() % failed.size()], "from a test");
        wrote = true;
        break;
      }
      case 6:  // an apply takes the lease or ends
        if (locked) {
          w.unlock();
        } else {
          w.lock(60);
        }
        locked = !locked;
        ++lease_ops;
        break;
    }
  }
  // Taken and given back in one batch: no apply held it before or after.
  return wrote || (lease_ops > 0 && (locked || was_locked));
}

void expect_same_step(const JournalStep& a, const JournalStep& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.kind, b.kind) << a.id;
  EXPECT_EQ(a.site, b.site) << a.id;
  EXPECT_EQ(a.host, b.host) << a.id;
  EXPECT_EQ(a.title, b.title) << a.id;
  EXPECT_EQ(a.manual, b.manual) << a.id;
  EXPECT_EQ(a.state, b.state) << a.id;
  EXPECT_EQ(a.attempts, b.attempts) << a.id;
  EXPECT_EQ(a.started, b.started) << a.id;
  EXPECT_EQ(a.finished, b.finished) << a.id;
  EXPECT_EQ(a.exit_code, b.exit_code) << a.id;
  EXPECT_EQ(a.output_tail, b.output_tail) << a.id;
  EXPECT_EQ(a.message, b.message) << a.id;
  EXPECT_EQ(a.note, b.note) << a.id;
  EXPECT_EQ(a.how, b.how) << a.id;
  EXPECT_EQ(a.armed, b.armed) << a.id;
  EXPECT_EQ(a.after, b.after) << a.id;
}

// Random batches of changes; after each, one look of the view, compared
// with a fresh full read by another connection: every field of every step,
// the plan's facts, the holder, the ETA, and whether the look said changed.
void incremental_equals_full(const std::string& journal, uint64_t seed, int rounds) {
  std::mt19937_64 rng(seed);
  auto p = random_plan(rng, 40);
  Journal w(journal);
  w.set_operator("ann@desk1");
  w.bind(p, "digest-" + std::to_string(seed), "plan.json", "fake");
  Journal watcher(journal, false);
  StatusView v(watcher);
  Journal fresh(journal, false);  // the full reads: another connection
  bool locked = false;
  for (int round = 0; round < rounds; ++round) {
    SCOPED_TRACE("seed " + std::to_string(seed) + ", round " + std::to_string(round));
    bool wrote = random_batch(w, rng, locked);
    EXPECT_EQ(v.refresh(watcher), wrote);
    auto full = fresh.steps();
    ASSERT_EQ(v.steps().size(), full.size());
    for (size_t i = 0; i < full.size(); ++i) expect_same_step(v.steps()[i], full[i]);
    auto head = read_head(fresh);
    EXPECT_EQ(v.head().plan_digest, head.plan_digest);
    EXPECT_EQ(v.head().plan_path, head.plan_path);
    EXPECT_EQ(v.head().created, head.created);
    ASSERT_EQ(v.head().holder.has_value(), head.holder.has_value());
    if (head.holder) {
      EXPECT_EQ(v.head().holder->pid, head.holder->pid);
      EXPECT_EQ(v.head().holder->since, head.holder->since);
      EXPECT_EQ(v.head().holder->who, head.holder->who);
      EXPECT_EQ(v.head().holder->renewed, head.holder->renewed);
    }
    auto events = fresh.events();
    EXPECT_EQ(v.last_seq(), events.empty() ? 0 : events.back().seq);
    double now = now_seconds();
    auto mine = v.eta(now);
    auto theirs = journal_eta(fresh, full, now);
    ASSERT_EQ(mine.has_value(), theirs.has_value());
    if (mine) {
      EXPECT_EQ(to_json(*mine).dump(), to_json(*theirs).dump());
    }
    EXPECT_EQ(v.finished(), std::all_of(full.begin(), full.end(), [](const JournalStep& s) {
                return s.state == State::succeeded || s.state == State::failed || s.state == State::skipped;
              }));
  }
  if (locked) w.unlock();
  // The looks mostly read only what changed (else this is a full read each
  // time with extra steps).
  const auto& c = v.counters();
  EXPECT_EQ(c.looks, rounds);
  EXPECT_GT(c.partial_reads, c.full_reads) << "full " << c.full_reads << ", partial " << c.partial_reads;
  EXPECT_LT(c.steps_read, static_cast<int64_t>(c.partial_reads) * 40 / 4 + 1);
}

std::string fresh_pg(test::PgCluster* pg, const std::string& name) {
  pg->create_db(name);
  return pg->url(name);
}

// backup -> drw (a person's) -> upgrade, on the shell target; /bin/true each.
void write_watch_case(const test::TempDir& t) {
  plan::Plan p;
  p.hierarchy = "Contoso";
  p.inventory_sha256 = "none";
  p.created = "2026-11-25T00:00:00Z";
  p.steps = {test::site_step("CEN/backup", "backup", {}), test::site_step("CEN/drw", "drw", {"CEN/backup"}, true),
             test::site_step("CEN/upgrade", "upgrade", {"CEN/drw"})};
  plan::save(p, t / "plan.json");
  std::ofstream(t / "hosts.yaml") << "format: smsup-hosts/1\ntimeout: 20s\nkinds:\n"
                                  << "  backup:\n    command: [/bin/true]\n  upgrade:\n    command: [/bin/true]\n";
}

std::vector<std::string> watch_apply(const test::TempDir& t, bool wait) {
  std::vector<std::string> a = {"apply",          t / "plan.json", "--target", "shell",  "--hosts",
                                t / "hosts.yaml", "--journal",     t / "j.db", "--plain"};
  if (wait) a.push_back("--wait");
  return a;
}

// Until a one-shot status shows the drw waiting for a person.
bool drw_waits(const test::TempDir& t) {
  return test::eventually([&] {
    auto s = test::run_smsup({"status", "--journal", t / "j.db", "--format", "json"});
    if (s.status == 2) return false;
    return nlohmann::json::parse(s.out)["counts"]["waiting"] == 1;
  });
}

size_t occurrences(const std::string& s, const std::string& part) {
  size_t n = 0;
  for (size_t p = s.find(part); p != std::string::npos; p = s.find(part, p + 1)) ++n;
  return n;
}

}  // namespace

TEST(StatusView, AfterAnyChangesTheIncrementalViewIsTheFullReadOnSQLite) {
  test::TempDir t;
  for (uint64_t seed : {1, 2, 3}) incremental_equals_full(t / ("j" + std::to_string(seed) + ".db"), seed, 60);
}

TEST(StatusView, AfterAnyChangesTheIncrementalViewIsTheFullReadOnPostgreSQL) {
  REQUIRE_POSTGRES();
  std::string url = fresh_pg(pg, "watchview");
  for (uint64_t seed : {4, 5}) incremental_equals_full(url + "?campaign=c" + std::to_string(seed), seed, 60);
}

TEST(StatusView, ALookAtAnUnchangedJournalIsOneSmallQueryAndSaysNothingChanged) {
  test::TempDir t;
  Journal w(t / "j.db");
  w.bind(test::plan_of({test::step("A/x"), test::step("A/y", {"A/x"})}), "d", "plan.json", "fake");
  Journal watcher(t / "j.db", false);
  StatusView v(watcher);
  // A lease renewed is no change; a start is.
  w.lock(60);
  EXPECT_TRUE(v.refresh(watcher));
  w.start_heartbeat(std::chrono::milliseconds(5));
  double renewed = v.head().holder->renewed;
  ASSERT_TRUE(test::eventually([&] {
    EXPECT_FALSE(v.refresh(watcher));
    return v.head().holder->renewed > renewed;
  }));
  w.stop_heartbeat();
  EXPECT_EQ(v.counters().partial_reads, 0);
  EXPECT_EQ(v.counters().full_reads, 1);
  w.record(Change("A/x", State::running));
  EXPECT_TRUE(v.refresh(watcher));
  EXPECT_EQ(v.steps()[0].state, State::running);
  EXPECT_EQ(v.counters().partial_reads, 1);
  EXPECT_EQ(v.counters().steps_read, 1);
  w.unlock();
}

TEST(StatusWatch, WithoutATerminalABlockAtEachChangeAndItEndsWithTheCampaign) {
  test::TempDir t;
  write_watch_case(t);
  test::Child apply = test::start_smsup(watch_apply(t, true));
  ASSERT_TRUE(drw_waits(t)) << apply.err();
  test::Child watch = test::start_smsup({"status", "--watch", "--every", "100ms", "--journal", t / "j.db"});
  ASSERT_TRUE(test::eventually([&] { return has(watch.out(), "CEN/drw"); })) << watch.err();
  EXPECT_EQ(occurrences(watch.out(), "Journal "), 1u) << "nothing changed, nothing more printed:\n" << watch.out();
  EXPECT_EQ(test::run_smsup({"confirm", "CEN/drw", "--journal", t / "j.db"}).status, 0);
  auto w = watch.wait();
  EXPECT_EQ(w.status, 0) << w.out << w.err;
  EXPECT_GE(occurrences(w.out, "Journal "), 2u) << w.out;
  // The first block as status printed it then, the last as the campaign ended.
  EXPECT_TRUE(has(w.out.substr(0, w.out.find("\n\n")), "waiting")) << w.out;
  EXPECT_TRUE(has(w.out.substr(w.out.rfind("Journal ")), "3 steps: 3 succeeded")) << w.out;
  EXPECT_FALSE(has(w.out, "\x1b[")) << "no terminal codes without a terminal";
  EXPECT_EQ(apply.wait().status, 0);
}

TEST(StatusWatch, JsonIsOneDocumentPerLineAndAFailedCampaignEndsWithStatusOne) {
  test::TempDir t;
  write_watch_case(t);
  test::Child apply = test::start_smsup(watch_apply(t, true));
  ASSERT_TRUE(drw_waits(t)) << apply.err();
  test::Child watch =
      test::start_smsup({"status", "--watch", "--every", "100ms", "--format", "json", "--journal", t / "j.db"});
  ASSERT_TRUE(test::eventually([&] { return has(watch.out(), "\n"); })) << watch.err();
  EXPECT_EQ(test::run_smsup({"confirm", "CEN/drw", "--fail", "--journal", t / "j.db"}).status, 0);
  auto w = watch.wait();
  EXPECT_EQ(w.status, 1) << w.out << w.err;
  std::vector<nlohmann::json> docs;
  std::istringstream lines(w.out);
  for (std::string line; std::getline(lines, line);) docs.push_back(nlohmann::json::parse(line));
  ASSERT_GE(docs.size(), 2u) << w.out;
  for (const auto& d : docs) EXPECT_EQ(d["format"], "smsup-status/1");
  EXPECT_EQ(docs.front()["counts"]["waiting"], 1);
  EXPECT_EQ(docs.back()["counts"]["failed"], 1);
  EXPECT_EQ(docs.back()["counts"]["skipped"], 1);
  EXPECT_EQ(apply.wait().status, 1);
}

// A watch that cannot write (a full disk) would watch for nobody until the
// campaign ends, days later: it ends at its first block, in words.
TEST(StatusWatch, AnOutputThatCannotBeWrittenEndsItWithStatusTwoInWords) {
  ASSERT_TRUE(std::filesystem::is_character_file("/dev/full")) << "this test needs /dev/full";
  test::TempDir t;
  write_watch_case(t);
  auto first = test::run_smsup(watch_apply(t, false));  // leaves the drw waiting: the campaign goes on
  ASSERT_EQ(first.status, 1) << first.out << first.err;
  for (std::string format : {"text", "json"}) {
    auto w =
        test::run_smsup_out_to({"status", "--watch", "--every", "100ms", "--format", format, "--journal", t / "j.db"},
                               "/dev/full", std::chrono::seconds(60));
    EXPECT_EQ(w.status, 2) << format << ": killed after 60 s means it watched on: " << w.err;
    EXPECT_NE(w.err.find("could not write the output: No space left on device"), std::string::npos) << w.err;
  }
}

TEST(StatusWatch, SigintAndSigtermEndItWithTheStatusOfNowAndTheSqliteFileIsUntouched) {
  test::TempDir t;
  write_watch_case(t);
  auto first = test::run_smsup(watch_apply(t, false));  // leaves the drw waiting
  ASSERT_EQ(first.status, 1) << first.out << first.err;
  std::string before = test::read_file(t / "j.db");
  ASSERT_FALSE(before.empty());
  for (int sig : {SIGINT, SIGTERM}) {
    test::Child watch = test::start_smsup({"status", "--watch", "--every", "100ms", "--journal", t / "j.db"});
    ASSERT_TRUE(test::eventually([&] { return has(watch.out(), "waiting"); })) << watch.err();
    auto w = watch.kill(sig);
    EXPECT_EQ(w.status, 1) << "signal " << sig << ": " << w.err;
    EXPECT_EQ(w.err, "");
    EXPECT_EQ(test::read_file(t / "j.db"), before) << "signal " << sig;
  }
}

TEST(StatusWatch, ALostPostgreSQLConnectionIsMadeAgainAndSaidSo) {
  REQUIRE_POSTGRES();
  std::string url = fresh_pg(pg, "watchlost");
  {
    Journal w(url);
    w.bind(test::plan_of({test::step("A/x"), test::step("A/y", {"A/x"})}), "d", "plan.json", "fake");
    w.record(Change("A/x", State::waiting));
  }
  std::ostringstream out, err;
  int waits = 0;
  WatchRequest r{
      .journal = url, .every = std::chrono::milliseconds(10), .json = true, .out = &out, .err = &err, .wait = nullptr};
  r.wait = [&](std::chrono::milliseconds) {
    if (++waits == 1) {
      pg->psql("postgres",
               "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname='watchlost' "
               "AND application_name='smsup'");
      EXPECT_TRUE(test::eventually([&] {
        return pg->psql("postgres",
                        "SELECT count(*) FROM pg_stat_activity WHERE datname='watchlost' AND "
                        "application_name='smsup'") == "0\n";
      }));
    } else if (waits == 2) {
      Journal w(url, false);
      w.record({Change("A/x", State::succeeded), Change("A/y", State::succeeded)});
    }
    return true;
  };
  EXPECT_EQ(watch_status(r), 0) << err.str();
  EXPECT_TRUE(has(err.str(), "lost the connection")) << err.str();
  EXPECT_TRUE(has(err.str(), "connected again")) << err.str();
  EXPECT_EQ(occurrences(out.str(), "\n"), 2u)
      << out.str();  // the first look, then the end (the reconnect read no change)
}

TEST(StatusWatch, AConnectionThatCannotBeMadeAgainEndsItWithStatusOneWithinItsBound) {
  REQUIRE_POSTGRES();
  std::string url = fresh_pg(pg, "watchgone");
  {
    Journal w(url);
    w.bind(test::plan_of({test::step("A/x")}), "d", "plan.json", "fake");
  }
  std::ostringstream out, err;
  int waits = 0;
  WatchRequest r{.journal = url,
                 .every = std::chrono::milliseconds(10),
                 .reconnect_for = std::chrono::milliseconds(300),
                 .out = &out,
                 .err = &err,
                 .wait = nullptr};
  r.wait = [&](std::chrono::milliseconds d) {
    if (++waits == 1) pg->psql("postgres", "DROP DATABASE watchgone WITH (FORCE)");
    std::this_thread::sleep_for(d);  // the watch's own pause between tries
    return true;
  };
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(watch_status(r), 1) << err.str();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  EXPECT_TRUE(has(err.str(), "could not connect again within 300 ms")) << err.str();
}

TEST(StatusWatch, AJournalOfAnOlderSchemaIsRefusedUntouchedSinceWatchingOnlyReads) {
  test::TempDir t;
  {
    Journal w(t / "j.db");
    w.bind(test::plan_of({test::step("A/x")}), "d", "plan.json", "fake");
    sql::Db db(t / "j.db");
    db.exec("UPDATE meta SET value='1' WHERE key='schema'");
  }
  std::string before = test::read_file(t / "j.db");
  auto w = test::run_smsup({"status", "--watch", "--journal", t / "j.db"});
  EXPECT_EQ(w.status, 2) << w.out << w.err;
  EXPECT_TRUE(has(w.err, "--journal")) << w.err;
  EXPECT_TRUE(has(w.err, "an older smsup (schema 1)")) << w.err;
  EXPECT_EQ(test::read_file(t / "j.db"), before);
}
