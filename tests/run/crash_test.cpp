// Crash safety, proven: apply is killed with SIGKILL at random instants while
// it runs a large plan of real processes, resumed with --resume each time, and
// the end must equal an uninterrupted run's with no completed step run twice.
// Each step's command appends the step id to a file; its probe looks there.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>

#include "plan/plan.h"
#include "run/journal.h"
#include "kills.h"
#include "pg_cluster.h"
#include "support.h"

using namespace smsup;

namespace {

int env_int(const char* name, int def) {
  const char* v = std::getenv(name);
  return v ? std::atoi(v) : def;
}

// `sites` chains of `per_site` steps; each site's third step also waits for
// the previous site's last step, as children wait for their parent's verify.
plan::Plan big_plan(int sites, int per_site) {
  plan::Plan p;
  p.hierarchy = "Crash";
  p.inventory_sha256 = "none";
  p.created = "2026-11-25T00:00:00Z";
  for (int s = 0; s < sites; ++s) {
    // Plans hold real kinds and site codes (the loader refuses others).
    auto code = [](int n) {  // S00..SZZ: 1,296 sites
      const char* d = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
      return fmt::format("S{}{}", d[(n / 36) % 36], d[n % 36]);
    };
    std::string site = code(s);
    for (int k = 0; k < per_site; ++k) {
      plan::Step st;
      st.site = site;
      st.kind = "backup";
      st.id = site + "/backup/" + std::to_string(k);
      st.host = site + "-H" + std::to_string(k % 2);
      if (k > 0) st.after.push_back(site + "/backup/" + std::to_string(k - 1));
      if (k == 2 && s > 0) {
        st.after.push_back(code(s - 1) + "/backup/" + std::to_string(per_site - 1));
      }
      st.title = st.id;
      p.steps.push_back(st);
    }
  }
  return p;
}

void write_hosts(const std::string& path, const std::string& record_file) {
  std::ofstream(path) << "format: smsup-hosts/1\ntimeout: 30s\nkinds:\n  backup:\n    command: ["
                      << SMSUP_TEST_HELPER << ", record, " << record_file << ", '{step}']\n"
                      << "    probe: [" << SMSUP_TEST_HELPER << ", probe, " << record_file
                      << ", '{step}']\n";
}

std::map<std::string, int> counts(const std::string& record_file) {
  std::map<std::string, int> c;
  std::ifstream in(record_file);
  std::string line;
  while (std::getline(in, line)) ++c[line];
  return c;
}

std::map<std::string, std::string> states(const std::string& journal) {
  run::Journal j(journal, false);
  std::map<std::string, std::string> m;
  for (const auto& r : j.steps()) m[r.id] = std::string(run::to_string(r.state));
  return m;
}

// Whether a killed run left a step `running` in the journal: the kill landed
// inside a step (no journal yet, or one without steps: it did not).
bool left_a_step_running(const std::string& journal) {
  try {
    run::Journal j(journal, false);
    if (std::getenv("SMSUP_CRASH_DEBUG")) {
      std::map<std::string, int> n;
      for (const auto& r : j.steps()) ++n[std::string(run::to_string(r.state))];
      for (const auto& [st, c] : n) std::fprintf(stderr, "%s=%d ", st.c_str(), c);
      std::fprintf(stderr, "\n");
    }
    for (const auto& r : j.steps())
      if (r.state == run::State::running) return true;
  } catch (const std::exception& e) {
    if (std::getenv("SMSUP_CRASH_DEBUG")) std::fprintf(stderr, "journal after a kill: %s\n", e.what());
  }
  return false;
}

// How many step starts the helper has recorded in all.
size_t counts_total(const std::string& record_file) {
  size_t n = 0;
  for (const auto& [id, c] : counts(record_file)) n += static_cast<size_t>(c);
  return n;
}

std::vector<std::string> apply_args(const test::TempDir& t, const std::string& tag) {
  return {"apply",     t / "plan.json", "--target", "shell",        "--hosts",
          t / ("hosts-" + tag + ".yaml"), "--journal", t / (tag + ".db"), "--resume",
          "--plain",   "--max-parallel", "6",       "--per-site",   "2"};
}

// The same on a PostgreSQL journal: the campaign `tag` in database `url`.
std::vector<std::string> pg_apply_args(const test::TempDir& t, const std::string& url, const std::string& tag) {
  auto a = apply_args(t, tag);
  auto j = std::find(a.begin(), a.end(), "--journal");
  *(j + 1) = url + "?campaign=" + tag;
  a.insert(a.end(), {"--work-dir", t / ("work-" + tag)});
  return a;
}

}  // namespace

// Fewer kills than on SQLite (each resume connects and reads the journal
// over the network): the suite stays fast; SMSUP_CRASH_PG_ROUNDS for more.
TEST(CrashSafety, OnPostgreSQLKilledAtRandomInstantsAndResumedEndsAsAnUninterruptedRun) {
  REQUIRE_POSTGRES();
  test::TempDir t;
  pg->create_db("crash");
  std::string url = pg->url("crash");
  int steps = env_int("SMSUP_CRASH_PG_STEPS", 240);
  int rounds = env_int("SMSUP_CRASH_PG_ROUNDS", 8);
  int per_site = 12;
  auto p = big_plan(std::max(1, steps / per_site), per_site);
  plan::save(p, t / "plan.json");
  write_hosts(t / "hosts-ref.yaml", t / "ref.txt");
  write_hosts(t / "hosts-crash.yaml", t / "crash.txt");
  size_t seen = 0;  // steps recorded when the last run was killed
  auto k = test::kill_at_random_instants(pg_apply_args(t, url, "ref"), pg_apply_args(t, url, "crash"),
                                         t / "crash.out", rounds,
                                         static_cast<unsigned>(env_int("SMSUP_CRASH_SEED", 20261129)),
                                         [&] {
                                           seen = counts_total(t / "crash.txt");
                                           return left_a_step_running(url + "?campaign=crash");
                                         },
                                         // Each run spends its first moments connecting, taking
                                         // the lease and asking about what the last one left: the
                                         // random instant counts from this run's first step.
                                         [&] { return counts_total(t / "crash.txt") > seen; });
  ASSERT_EQ(k.reference.status, 0) << k.reference.out << k.reference.err;
  if (k.ended_status) {
    ASSERT_EQ(*k.ended_status, 0) << "a run ended by itself: " << test::read_file(t / "crash.out");
  }
  auto last = test::run_smsup(pg_apply_args(t, url, "crash"));
  ASSERT_EQ(last.status, 0) << last.out << last.err;
  EXPECT_GE(k.killed, std::min(rounds, 3)) << "the kills came too late to test anything";
  EXPECT_GE(k.mid_step * 3, k.killed) << "fewer than a third of the kills landed while a step ran ("
                                      << k.mid_step << " of " << k.killed << ")";
  EXPECT_EQ(states(url + "?campaign=crash"), states(url + "?campaign=ref"));
  auto ran = counts(t / "crash.txt");
  EXPECT_EQ(ran.size(), p.steps.size()) << "some step never ran";
  for (const auto& [id, n] : ran) EXPECT_EQ(n, 1) << id << " ran " << n << " times";
  EXPECT_EQ(counts(t / "ref.txt"), ran);
  std::printf("[crash pg] kills within %d ms of a start, %zu steps, killed %d times (%d inside a step, %d after a "
              "pause), every step ran exactly once\n",
              k.span_ms, p.steps.size(), k.killed, k.mid_step, k.paused);
}

TEST(CrashSafety, KilledAtRandomInstantsAndResumedEndsAsAnUninterruptedRun) {
  test::TempDir t;
  int steps = env_int("SMSUP_CRASH_STEPS", 1200);
  int rounds = env_int("SMSUP_CRASH_ROUNDS", 30);
  int per_site = 12;
  auto p = big_plan(std::max(1, steps / per_site), per_site);
  plan::save(p, t / "plan.json");
  write_hosts(t / "hosts-ref.yaml", t / "ref.txt");
  write_hosts(t / "hosts-crash.yaml", t / "crash.txt");

  auto k = test::kill_at_random_instants(apply_args(t, "ref"), apply_args(t, "crash"),
                                         t / "crash.out", rounds,
                                         static_cast<unsigned>(env_int("SMSUP_CRASH_SEED", 20261125)),
                                         [&] { return left_a_step_running(t / "crash.db"); });
  ASSERT_EQ(k.reference.status, 0) << k.reference.out;
  if (k.ended_status) {
    ASSERT_EQ(*k.ended_status, 0) << "a run ended by itself: " << test::read_file(t / "crash.out");
  }
  int killed = k.killed;
  int span_ms = k.span_ms;
  auto last = test::run_smsup(apply_args(t, "crash"));
  ASSERT_EQ(last.status, 0) << last.out;
  EXPECT_GE(killed, std::min(rounds, 3)) << "the kills came too late to test anything";
  EXPECT_GE(k.mid_step * 3, killed) << "fewer than a third of the kills landed while a step ran ("
                                    << k.mid_step << " of " << killed << ")";

  auto ref_states = states(t / "ref.db");
  EXPECT_EQ(states(t / "crash.db"), ref_states);
  auto ran = counts(t / "crash.txt");
  EXPECT_EQ(ran.size(), p.steps.size()) << "some step never ran";
  for (const auto& [id, n] : ran) EXPECT_EQ(n, 1) << id << " ran " << n << " times";
  EXPECT_EQ(counts(t / "ref.txt"), ran);
  std::printf("[crash] kills within %d ms of a start, %zu steps, killed %d times (%d inside a step, %d after a pause), "
              "every step ran exactly once\n",
              span_ms, p.steps.size(), killed, k.mid_step, k.paused);
}
