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
  std::ofstream(path) << "format: smsup-hosts/1\ntimeout: 30s\nkinds:\n  backup:\n    command: [" << SMSUP_TEST_HELPER
                      << ", record, " << record_file << ", '{step}']\n"
                      << "    probe: [" << SMSUP_TEST_HELPER << ", probe, " << record_file << ", '{step}']\n";
}

// How many step starts the helper has recorded in all.
size_t counts_total(const std::string& record_file) {
  size_t n = 0;
  for (const auto& [id, c] : test::record_counts(record_file)) n += static_cast<size_t>(c);
  return n;
}

std::vector<std::string> shell_apply_args(const test::TempDir& t, const std::string& tag) {
  return {"apply",          t / "plan.json",
          "--target",       "shell",
          "--hosts",        t / ("hosts-" + tag + ".yaml"),
          "--journal",      t / (tag + ".db"),
          "--resume",       "--plain",
          "--max-parallel", "6",
          "--per-site",     "2"};
}

// The same on a PostgreSQL journal: the campaign `tag` in database `url`.
std::vector<std::string> pg_apply_args(const test::TempDir& t, const std::string& url, const std::string& tag) {
  auto a = shell_apply_args(t, tag);
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
  int steps = test::env_int("SMSUP_CRASH_PG_STEPS", 240);
  int rounds = test::env_int("SMSUP_CRASH_PG_ROUNDS", 8);
  int per_site = 12;
  auto p = big_plan(std::max(1, steps / per_site), per_site);
  plan::save(p, t / "plan.json");
  write_hosts(t / "hosts-ref.yaml", t / "ref.txt");
  write_hosts(t / "hosts-crash.yaml", t / "crash.txt");
  size_t seen = 0;  // steps recorded when the last run was killed
  auto k = test::kill_at_random_instants(
      pg_apply_args(t, url, "ref"), pg_apply_args(t, url, "crash"), t / "crash.out", rounds,
      static_cast<unsigned>(test::env_int("SMSUP_CRASH_SEED", 20261129)),
      [&] {
        seen = counts_total(t / "crash.txt");
        return test::left_a_step_running(url + "?campaign=crash");
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
  EXPECT_GE(k.mid_step * 3, k.killed) << "fewer than a third of the kills landed while a step ran (" << k.mid_step
                                      << " of " << k.killed << ")";
  EXPECT_EQ(test::journal_states(url + "?campaign=crash"), test::journal_states(url + "?campaign=ref"));
  auto ran = test::record_counts(t / "crash.txt");
  EXPECT_EQ(ran.size(), p.steps.size()) << "some step never ran";
  for (const auto& [id, n] : ran) EXPECT_EQ(n, 1) << id << " ran " << n << " times";
  EXPECT_EQ(test::record_counts(t / "ref.txt"), ran);
  std::printf(
      "[crash pg] kills within %d ms of a start, %zu steps, killed %d times (%d inside a step, %d after a "
      "pause), every step ran exactly once\n",
      k.span_ms, p.steps.size(), k.killed, k.mid_step, k.paused);
}

TEST(CrashSafety, KilledAtRandomInstantsAndResumedEndsAsAnUninterruptedRun) {
  test::TempDir t;
  int steps = test::env_int("SMSUP_CRASH_STEPS", 1200);
  int rounds = test::env_int("SMSUP_CRASH_ROUNDS", 30);
  int per_site = 12;
  auto p = big_plan(std::max(1, steps / per_site), per_site);
  plan::save(p, t / "plan.json");
  write_hosts(t / "hosts-ref.yaml", t / "ref.txt");
  write_hosts(t / "hosts-crash.yaml", t / "crash.txt");

  size_t seen = 0;  // steps recorded when the last run was killed
  auto k = test::kill_at_random_instants(
      shell_apply_args(t, "ref"), shell_apply_args(t, "crash"), t / "crash.out", rounds,
      static_cast<unsigned>(test::env_int("SMSUP_CRASH_SEED", 20261125)),
      [&] {
        seen = counts_total(t / "crash.txt");
        return test::left_a_step_running(t / "crash.db");
      },
      // The random instant counts from this run's first step, not from its
      // start: on a loaded machine (a sanitized build beside fuzzers) the
      // start alone took longer than the span, and all 12 kills of one
      // run landed before any step began.
      [&] { return counts_total(t / "crash.txt") > seen; });
  ASSERT_EQ(k.reference.status, 0) << k.reference.out;
  if (k.ended_status) {
    ASSERT_EQ(*k.ended_status, 0) << "a run ended by itself: " << test::read_file(t / "crash.out");
  }
  int killed = k.killed;
  int span_ms = k.span_ms;
  auto last = test::run_smsup(shell_apply_args(t, "crash"));
  ASSERT_EQ(last.status, 0) << last.out;
  EXPECT_GE(killed, std::min(rounds, 3)) << "the kills came too late to test anything";
  EXPECT_GE(k.mid_step * 3, killed) << "fewer than a third of the kills landed while a step ran (" << k.mid_step
                                    << " of " << killed << ")";

  auto ref_states = test::journal_states(t / "ref.db");
  EXPECT_EQ(test::journal_states(t / "crash.db"), ref_states);
  auto ran = test::record_counts(t / "crash.txt");
  EXPECT_EQ(ran.size(), p.steps.size()) << "some step never ran";
  for (const auto& [id, n] : ran) EXPECT_EQ(n, 1) << id << " ran " << n << " times";
  EXPECT_EQ(test::record_counts(t / "ref.txt"), ran);
  std::printf(
      "[crash] kills within %d ms of a start, %zu steps, killed %d times (%d inside a step, %d after a pause), "
      "every step ran exactly once\n",
      span_ms, p.steps.size(), killed, k.mid_step, k.paused);
}
