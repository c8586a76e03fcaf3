// Crash safety on the twin: apply --target twin killed with SIGKILL at random
// instants during the run of a planned hierarchy, resumed each time; the
// journal and the twin's saved state must end as an uninterrupted run's, and
// the twin must have run every step exactly once (its step records count
// attempts).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <random>

#include "run/journal.h"
#include "kills.h"
#include "support.h"

using namespace smsup;
using nlohmann::json;

namespace {

// The twin's state, with its sites' database files named without the
// folder (each run keeps them beside its own journal).
json twin_state(const std::string& journal) {
  std::ifstream in(journal + ".twin/twin-state.json");
  json j = json::parse(in);
  for (auto& s : j["sites"]) {
    for (const char* k : {"db", "db_before"}) {
      if (s[k].is_object()) s[k]["file"] = std::filesystem::path(s[k]["file"].get<std::string>()).filename().string();
    }
  }
  return j;
}

// How many events the journal holds (0 before it exists), read without
// writing: a run is polled with it while it runs.
long events(const std::string& journal) {
  sqlite3* db = nullptr;
  long n = 0;
  if (sqlite3_open_v2(journal.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 1000);
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM events", -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
      n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return n;
}

std::vector<std::string> twin_apply_args(const test::TempDir& t, const std::string& tag) {
  return {"apply", t / "plan.json", "--journal", t / (tag + ".db"), "--resume", "--plain"};
}

}  // namespace

TEST(CrashSafety, TwinRunKilledAtRandomInstantsEndsAsAnUninterruptedRun) {
  test::TempDir t;
  int sites = test::env_int("SMSUP_CRASH_SITES", 60);
  int rounds = test::env_int("SMSUP_CRASH_ROUNDS", 20);
  ASSERT_EQ(test::run_smsup({"twin", "inventory", "--sites", std::to_string(sites), "--clients", "2000", "--seed", "7",
                             "-o", t / "inv"})
                .status,
            0);
  auto planned = test::run_smsup(
      {"plan", t / "inv/inventory.yaml", "-o", t / "plan.json", "--method", "update-quiet", "--as-of", "2006-06-12"});
  ASSERT_EQ(planned.status, 0) << planned.out;
  {
    // The twin plays the person for manual steps here, so that a run goes
    // through without confirmations.
    std::ifstream in(t / "plan.json");
    json p = json::parse(in);
    for (auto& s : p["steps"]) s["manual"] = false;
    std::ofstream(t / "plan.json") << p.dump();
  }
  // Each run first loads the twin and opens its sites' databases: the random
  // instant counts from this run's first event in the journal, so that kills
  // land in steps, not all in the start-up.
  long seen = 0;
  auto k = test::kill_at_random_instants(
      twin_apply_args(t, "ref"), twin_apply_args(t, "crash"), t / "crash.out", rounds,
      static_cast<unsigned>(test::env_int("SMSUP_CRASH_SEED", 1125)),
      [&] {
        seen = events(t / "crash.db");
        return test::left_a_step_running(t / "crash.db");
      },
      [&] { return events(t / "crash.db") > seen; });
  const auto& ref = k.reference;
  ASSERT_NE(ref.status, 2) << ref.out;
  int killed = k.killed;
  auto last = test::run_smsup(twin_apply_args(t, "crash"));
  ASSERT_EQ(last.status, ref.status) << last.out;
  EXPECT_GE(killed, std::min(rounds, 3)) << "the kills came too late to test anything";
  EXPECT_GE(k.mid_step * 3, killed) << "fewer than a third of the kills landed while a step ran (" << k.mid_step
                                    << " of " << killed << ")";

  EXPECT_EQ(test::journal_states(t / "crash.db"), test::journal_states(t / "ref.db"));
  json a = twin_state(t / "ref.db"), b = twin_state(t / "crash.db");
  std::map<std::string, int> runs;
  for (const auto& r : b["steps"]) ++runs[r["step"]["id"].get<std::string>()];
  for (const auto& [id, n] : runs) EXPECT_EQ(n, 1) << id << " ran " << n << " times on the twin";
  EXPECT_EQ(a["steps"], b["steps"]);
  EXPECT_EQ(a["sites"], b["sites"]);
  EXPECT_EQ(a["hosts"], b["hosts"]);
  EXPECT_EQ(a["now"], b["now"]);
  // Every primary site got its database, and it ended as the twin says.
  int dbs = 0;
  for (const auto& s : b["sites"]) {
    if (!s["db"].is_object()) continue;
    ++dbs;
    EXPECT_TRUE(std::filesystem::exists(t / ("crash.db.twin/site-databases/" + s["code"].get<std::string>() + ".db")));
  }
  EXPECT_GT(dbs, 0);
  std::printf(
      "[crash/twin] %zu steps, kills within %d ms of a run's first event, killed %d times (%d inside a "
      "step), each ran once on the twin; %d site databases\n",
      runs.size(), k.span_ms, killed, k.mid_step, dbs);
}
