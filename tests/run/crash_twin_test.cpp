// Crash safety on the twin: apply --target twin killed with SIGKILL at random
// instants during the run of a planned hierarchy, resumed each time; the
// journal and the twin's saved state must end as an uninterrupted run's, and
// the twin must have run every step exactly once (its step records count
// attempts).
#include <gtest/gtest.h>

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

int env_int(const char* name, int def) {
  const char* v = std::getenv(name);
  return v ? std::atoi(v) : def;
}

std::map<std::string, std::string> states(const std::string& journal) {
  run::Journal j(journal, false);
  std::map<std::string, std::string> m;
  for (const auto& r : j.steps()) m[r.id] = std::string(run::to_string(r.state));
  return m;
}

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

std::vector<std::string> apply_args(const test::TempDir& t, const std::string& tag) {
  return {"apply", t / "plan.json", "--journal", t / (tag + ".db"), "--resume", "--plain"};
}

}  // namespace

TEST(CrashSafety, TwinRunKilledAtRandomInstantsEndsAsAnUninterruptedRun) {
  test::TempDir t;
  int sites = env_int("SMSUP_CRASH_SITES", 200);
  int rounds = env_int("SMSUP_CRASH_ROUNDS", 25);
  ASSERT_EQ(test::run_smsup({"twin", "inventory", "--sites", std::to_string(sites), "--clients", "2000",
                             "--seed", "7", "-o", t / "inv"}).status, 0);
  auto planned = test::run_smsup({"plan", t / "inv/inventory.yaml", "-o", t / "plan.json", "--method",
                                  "update-quiet", "--as-of", "2006-06-12"});
  ASSERT_EQ(planned.status, 0) << planned.out;
  {
    // The twin plays the person for manual steps here, so that a run goes
    // through without confirmations.
    std::ifstream in(t / "plan.json");
    json p = json::parse(in);
    for (auto& s : p["steps"]) s["manual"] = false;
    std::ofstream(t / "plan.json") << p.dump();
  }
  auto k = test::kill_at_random_instants(apply_args(t, "ref"), apply_args(t, "crash"),
                                         t / "crash.out", rounds,
                                         static_cast<unsigned>(env_int("SMSUP_CRASH_SEED", 1125)));
  const auto& ref = k.reference;
  ASSERT_NE(ref.status, 2) << ref.out;
  int killed = k.killed;
  auto last = test::run_smsup(apply_args(t, "crash"));
  ASSERT_EQ(last.status, ref.status) << last.out;
  EXPECT_GE(killed, std::min(rounds, 3)) << "the kills came too late to test anything";

  EXPECT_EQ(states(t / "crash.db"), states(t / "ref.db"));
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
  std::printf("[crash/twin] %zu steps, killed %d times, each ran once on the twin; %d site databases\n", runs.size(),
              killed, dbs);
}
