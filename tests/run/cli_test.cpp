// The apply verbs end to end, through the real binary, as a user runs them.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "plan/plan.h"
#include "run/journal.h"
#include "run/sqlite.h"
#include "plan_steps.h"
#include "support.h"

using namespace smsup;

namespace {

using test::site_step;

// CEN: backup -> drw (manual) -> upgrade; PR1: backup (fails until fixed) -> upgrade.
// With `hold`, each upgrade runs until the file "release" exists (for a test
// that must look while apply runs: no time window, however slow the machine).
void write_apply_case(const test::TempDir& t, bool hold = false) {
  plan::Plan p;
  p.hierarchy = "Contoso";
  p.inventory_sha256 = "none";
  p.created = "2026-11-25T00:00:00Z";
  p.steps = {site_step("CEN/backup", "backup", {}), site_step("CEN/drw", "drw", {"CEN/backup"}, true),
             site_step("CEN/upgrade", "upgrade", {"CEN/drw"}), site_step("PR1/backup", "backup", {}),
             site_step("PR1/upgrade", "upgrade", {"PR1/backup"})};
  plan::save(p, t / "plan.json");
  // backup fails while the file "broken-<site>" exists.
  std::ofstream(t / "hosts.yaml")
      << "format: smsup-hosts/1\ntimeout: 20s\nkinds:\n"
      << "  backup:\n    command: [/bin/sh, -c, 'if test -e \"$0\"; then echo \"backup device offline\"; exit 4; fi', '"
      << (t / "broken-") << "{site}']\n"
      << "  upgrade:\n    command: "
      << (hold ? "[/bin/sh, -c, 'while ! test -e \"$0\"; do sleep 0.02; done', '" + (t / "release") + "']\n"
               : "[" + std::string(SMSUP_TEST_HELPER) + ", sleep, '10']\n");
}

std::vector<std::string> apply_argv(const test::TempDir& t, std::vector<std::string> extra = {}) {
  std::vector<std::string> a = {"apply",          t / "plan.json", "--target", "shell",  "--hosts",
                                t / "hosts.yaml", "--journal",     t / "j.db", "--plain"};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

using test::has;

}  // namespace

TEST(ApplyCli, ManualStepWaitsFailureStopsItsSiteConfirmAndRetryFinishTheRun) {
  test::TempDir t;
  write_apply_case(t);
  std::ofstream(t / "broken-PR1") << "";
  auto first = test::run_smsup(apply_argv(t));
  EXPECT_EQ(first.status, 1) << first.out;
  EXPECT_TRUE(has(first.out, "smsup confirm CEN/drw")) << first.out;
  EXPECT_TRUE(has(first.out, "smsup retry PR1/backup")) << first.out;

  auto status = test::run_smsup({"status", "--journal", t / "j.db", "--format", "json"});
  EXPECT_EQ(status.status, 1);
  auto js = nlohmann::json::parse(status.out);
  EXPECT_EQ(js["counts"]["waiting"], 1);
  EXPECT_EQ(js["counts"]["failed"], 1);
  EXPECT_EQ(js["counts"]["skipped"], 1);
  for (const auto& s : js["steps"]) {
    if (s["id"] == "PR1/backup") {
      EXPECT_EQ(s["exit_code"], 4);
      EXPECT_TRUE(has(s["output_tail"].get<std::string>(), "backup device offline"));
    }
  }

  auto again = test::run_smsup(apply_argv(t));
  EXPECT_EQ(again.status, 2) << "a journal with a run needs --resume";
  EXPECT_TRUE(has(again.err, "--resume")) << again.err;

  EXPECT_EQ(test::run_smsup({"confirm", "CEN/drw", "--journal", t / "j.db", "--note", "DRW clean"}).status, 0);
  std::filesystem::remove(t / "broken-PR1");
  EXPECT_EQ(test::run_smsup({"retry", "PR1/backup", "--journal", t / "j.db"}).status, 0);
  auto bad_retry = test::run_smsup({"retry", "CEN/drw", "--journal", t / "j.db"});
  EXPECT_EQ(bad_retry.status, 2);
  EXPECT_TRUE(has(bad_retry.err, "only a failed step can be retried")) << bad_retry.err;

  auto resumed = test::run_smsup(apply_argv(t, {"--resume"}));
  EXPECT_EQ(resumed.status, 0) << resumed.out;
  auto text = test::run_smsup({"status", "--journal", t / "j.db", "--all"});
  EXPECT_EQ(text.status, 0);
  EXPECT_TRUE(has(text.out, "note: DRW clean")) << text.out;
  EXPECT_TRUE(has(text.out, "5 steps: 5 succeeded")) << text.out;
}

TEST(ApplyCli, ConfirmAndRetryOfAStepIdNotInTheJournalNameTheNearestOne) {
  test::TempDir t;
  write_apply_case(t);
  test::write_file(t / "broken-PR1", "");
  ASSERT_EQ(test::run_smsup(apply_argv(t)).status, 1);
  auto confirm = test::run_smsup({"confirm", "CEN/dwr", "--journal", t / "j.db"});
  EXPECT_EQ(confirm.status, 2);
  EXPECT_TRUE(has(confirm.err, "no step 'CEN/dwr' in this journal; did you mean 'CEN/drw'?")) << confirm.err;
  auto retry = test::run_smsup({"retry", "pr1/bakup", "--journal", t / "j.db"});
  EXPECT_EQ(retry.status, 2);
  EXPECT_TRUE(has(retry.err, "did you mean 'PR1/backup'?")) << retry.err;
  auto far = test::run_smsup({"retry", "XYZ/nothing-like-it", "--journal", t / "j.db"});
  EXPECT_EQ(far.status, 2);
  EXPECT_FALSE(has(far.err, "did you mean")) << far.err;
  // Nothing changed: the step still waits, the failed one is still failed.
  auto status = nlohmann::json::parse(test::run_smsup({"status", "--journal", t / "j.db", "--format", "json"}).out);
  EXPECT_EQ(status["counts"]["waiting"], 1);
  EXPECT_EQ(status["counts"]["failed"], 1);
}

TEST(ApplyCli, SecondApplyOnTheSameJournalIsRefusedNamingTheHolder) {
  test::TempDir t;
  write_apply_case(t, /*hold=*/true);
  pid_t first = test::start_smsup(apply_argv(t), t / "first.out");
  bool locked = test::eventually([&] {
    if (!std::filesystem::exists(t / "j.db")) return false;
    try {
      return run::Journal(t / "j.db", false).holder().has_value();
    } catch (const std::exception&) {
      return false;  // not made yet
    }
  });
  ASSERT_TRUE(locked);
  auto second = test::run_smsup(apply_argv(t, {"--resume"}));
  EXPECT_EQ(second.status, 2);
  EXPECT_TRUE(has(second.err, "pid " + std::to_string(first))) << second.err;
  auto status = test::run_smsup({"status", "--journal", t / "j.db"});
  EXPECT_TRUE(has(status.out, "apply is running: pid " + std::to_string(first))) << status.out;
  test::write_file(t / "release", "");
  test::wait_status(first);
}

TEST(ApplyCli, DryRunPrintsTheArgumentVectorsAndRunsNothing) {
  test::TempDir t;
  write_apply_case(t);
  auto r = test::run_smsup(apply_argv(t, {"--dry-run"}));
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(has(r.out, "wave 1")) << r.out;
  EXPECT_TRUE(has(r.out, std::string(SMSUP_TEST_HELPER) + " sleep 10")) << r.out;
  EXPECT_TRUE(has(r.out, "[manual: waits for smsup confirm CEN/drw]")) << r.out;
  EXPECT_LT(r.out.find("CEN/backup"), r.out.find("CEN/upgrade"));
  EXPECT_FALSE(std::filesystem::exists(t / "j.db")) << "a dry run touched the journal";
}

TEST(ApplyCli, BadInputExitsTwoWithOneMessage) {
  test::TempDir t;
  write_apply_case(t);
  std::ofstream(t / "bad-hosts.yaml") << "format: smsup-hosts/1\nkinds:\n  backup:\n    command: [x, '{sight}']\n";
  auto bad = test::run_smsup({"apply", t / "plan.json", "--target", "shell", "--hosts", t / "bad-hosts.yaml"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_TRUE(has(bad.err, "bad-hosts.yaml:4")) << bad.err;
  auto confirm = test::run_smsup({"confirm", "CEN/drw", "--journal", t / "none.db"});
  EXPECT_EQ(confirm.status, 2);
  EXPECT_FALSE(std::filesystem::exists(t / "none.db")) << "confirm created a journal";
}

TEST(ApplyCli, EveryVerbHasHelp) {
  test::TempDir t;
  for (std::string verb : {"apply", "status", "confirm", "retry"}) {
    auto r = test::run_smsup({verb, "--help"});
    EXPECT_EQ(r.status, 0) << verb;
    EXPECT_TRUE(has(r.out, "--journal")) << verb << ": " << r.out;
  }
}

TEST(ApplyCli, TwinTargetGivesEachPrimarySiteItsDatabaseUnlessAskedNot) {
  test::TempDir t;
  std::string example = std::string(SMSUP_SOURCE_DIR) + "/examples/contoso/contoso.yaml";
  auto planned =
      test::run_smsup({"plan", example, "-o", t / "plan.json", "--as-of", "2006-06-12", "--waive", "drw-required"});
  ASSERT_EQ(planned.status, 0) << planned.out;
  // Manual steps wait for a person (exit 1); the databases exist from the start.
  auto r = test::run_smsup({"apply", t / "plan.json", "--journal", t / "j.db", "--plain"});
  EXPECT_EQ(r.status, 1) << r.out;
  for (const char* code : {"CEN", "NAM", "EUR", "APA", "LAT"}) {
    EXPECT_TRUE(std::filesystem::exists(t / (std::string("j.db.twin/site-databases/") + code + ".db"))) << code;
  }
  EXPECT_FALSE(std::filesystem::exists(t / "j.db.twin/site-databases/NY1.db"));  // a secondary site
  auto n = test::run_smsup({"apply", t / "plan.json", "--journal", t / "n.db", "--plain", "--no-databases"});
  EXPECT_EQ(n.status, 1) << n.out;
  EXPECT_TRUE(std::filesystem::exists(t / "n.db.twin/twin-state.json"));
  EXPECT_FALSE(std::filesystem::exists(t / "n.db.twin/site-databases"));
}

// issue 17: the twin's step log is rebuilt on resume; a whole line that is
// not "<count>\t<step id>" was changed after it was written, and is refused
// at its line (it ended in "smsup: stoull"). A torn last line is dropped.
TEST(ApplyCli, ADamagedTwinStepLogIsRefusedAtItsLine) {
  test::TempDir t;
  std::string example = std::string(SMSUP_SOURCE_DIR) + "/examples/fabrikam/fabrikam.yaml";
  auto planned =
      test::run_smsup({"plan", example, "-o", t / "plan.json", "--as-of", "2006-06-12", "--waive", "drw-required"});
  ASSERT_EQ(planned.status, 0) << planned.out;
  auto first = test::run_smsup({"apply", t / "plan.json", "--journal", t / "j.db", "--plain", "--no-databases"});
  ASSERT_EQ(first.status, 1) << first.out;  // manual steps wait for a person
  const std::string log = t / "j.db.twin/steps.log";
  ASSERT_TRUE(std::filesystem::exists(log));
  const std::string kept = test::read_file(log);
  auto resume = [&] {
    return test::run_smsup(
        {"apply", t / "plan.json", "--journal", t / "j.db", "--plain", "--no-databases", "--resume"});
  };
  int line = 1 + static_cast<int>(std::count(kept.begin(), kept.end(), '\n'));
  struct Case {
    std::string text, says;
  };
  for (const Case& c :
       {Case{"abc\tFAB-backup\n", "the step count is not a number"},
        Case{"99999999999999999999999\tFAB-backup\n", "the step count is not a number"},
        Case{"999 FAB-backup\n", "no tab"}, Case{"999\tno-such-step\n", "no step 'no-such-step' in the plan"}}) {
    test::write_file(log, kept + c.text);
    auto r = resume();
    EXPECT_EQ(r.status, 2) << c.text << r.out;
    EXPECT_TRUE(has(r.err, log + ":" + std::to_string(line) + ": damaged twin step log: " + c.says)) << r.err;
  }
  // A torn last line (no line end) is what a crash leaves: dropped, the run goes on.
  test::write_file(log, kept + "999\tFAB-ba");
  auto torn = resume();
  EXPECT_EQ(torn.status, 1) << torn.out << torn.err;
}

// issue 17 item 6: a database that is not a journal is refused untouched by
// every verb; only apply creates a journal, and only where nothing is yet.
TEST(ApplyCli, AnSqliteDatabaseThatIsNotAJournalIsRefusedUntouched) {
  test::TempDir t;
  write_apply_case(t);
  {
    run::sql::Db db(t / "other.db");
    db.exec("CREATE TABLE customers(id INTEGER, name TEXT); INSERT INTO customers VALUES(1, 'x');");
  }
  std::string before = test::read_file(t / "other.db");
  ASSERT_FALSE(before.empty());
  std::vector<std::vector<std::string>> verbs = {
      {"status", "--journal", t / "other.db"},
      {"status", "--journal", t / "other.db", "--format", "json"},
      {"confirm", "CEN/drw", "--journal", t / "other.db"},
      {"retry", "CEN/drw", "--journal", t / "other.db"},
      {"apply", t / "plan.json", "--target", "shell", "--hosts", t / "hosts.yaml", "--journal", t / "other.db",
       "--plain"},
      {"apply", t / "plan.json", "--target", "shell", "--hosts", t / "hosts.yaml", "--journal", t / "other.db",
       "--plain", "--resume"}};
  for (const auto& v : verbs) {
    auto r = test::run_smsup(v);
    EXPECT_EQ(r.status, 2) << v[0] << ": " << r.out << r.err;
    EXPECT_TRUE(has(r.err, "not an smsup journal")) << v[0] << ": " << r.err;
    EXPECT_TRUE(has(r.err, "other.db")) << r.err;
    EXPECT_EQ(test::read_file(t / "other.db"), before) << v[0] << " changed the database";
    EXPECT_FALSE(std::filesystem::exists(t / "other.db-wal")) << v[0] << " switched it to WAL";
  }
  {
    run::sql::Db db(t / "other.db");
    run::sql::Stmt q(db, "SELECT group_concat(name) FROM sqlite_master");
    ASSERT_TRUE(q.step());
    EXPECT_EQ(q.text(0), "customers");
  }

  // An empty file: status refuses it; apply makes the journal there.
  test::write_file(t / "empty.db", "");
  auto st = test::run_smsup({"status", "--journal", t / "empty.db"});
  EXPECT_EQ(st.status, 2);
  EXPECT_TRUE(has(st.err, "empty file")) << st.err;
  EXPECT_EQ(test::read_file(t / "empty.db"), "");
  auto made = test::run_smsup({"apply", t / "plan.json", "--target", "shell", "--hosts", t / "hosts.yaml", "--journal",
                               t / "empty.db", "--plain"});
  EXPECT_EQ(made.status, 1) << made.out << made.err;  // CEN/drw waits for a person
  EXPECT_EQ(test::run_smsup({"status", "--journal", t / "empty.db"}).status, 1);
}

// issue 15: every state change names who made it and from where; status
// --events lists them; a manual upgrade is confirmed only with a note.
TEST(ApplyCli, EventsNameTheOperatorAndAManualUpgradeNeedsANote) {
  test::TempDir t;
  plan::Plan p;
  p.hierarchy = "Contoso";
  p.inventory_sha256 = "none";
  p.created = "2026-11-25T00:00:00Z";
  p.steps = {site_step("SEC/backup", "backup", {}), site_step("SEC/upgrade", "upgrade", {"SEC/backup"}, true)};
  plan::save(p, t / "plan.json");
  std::ofstream(t / "hosts.yaml")
      << "format: smsup-hosts/1\ntimeout: 20s\nkinds:\n  backup:\n    command: [/bin/true]\n";
  auto first = test::run_smsup({"apply", t / "plan.json", "--target", "shell", "--hosts", t / "hosts.yaml", "--journal",
                                t / "j.db", "--plain", "--operator", "ann"});
  EXPECT_EQ(first.status, 1) << first.out << first.err;
  auto bare = test::run_smsup({"confirm", "SEC/upgrade", "--journal", t / "j.db", "--operator", "bob"});
  EXPECT_EQ(bare.status, 2);
  EXPECT_TRUE(has(bare.err, "--note")) << bare.err;
  EXPECT_EQ(run::Journal(t / "j.db", false).step("SEC/upgrade")->state, run::State::waiting);
  EXPECT_EQ(test::run_smsup(
                {"confirm", "SEC/upgrade", "--journal", t / "j.db", "--operator", "bob", "--note", "setup log clean"})
                .status,
            0);
  auto js =
      nlohmann::json::parse(test::run_smsup({"status", "--journal", t / "j.db", "--events", "--format", "json"}).out);
  EXPECT_EQ(js["format"], "smsup-events/1");
  std::vector<std::string> seen;
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  for (const auto& e : js["events"]) {
    seen.push_back(e["step"].get<std::string>() + " " + e["state"].get<std::string>() + " " +
                   e["how"].get<std::string>() + " " + e["who"].get<std::string>());
    EXPECT_EQ(e["from"], host);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"SEC/backup running executor ann", "SEC/backup succeeded driver ann",
                                            "SEC/upgrade waiting executor ann", "SEC/upgrade succeeded confirm bob"}));
  auto text = test::run_smsup({"status", "--journal", t / "j.db", "--events"});
  EXPECT_EQ(text.status, 0);
  EXPECT_TRUE(has(text.out, "SEC/upgrade")) << text.out;
  EXPECT_TRUE(has(text.out, std::string("bob (") + host + ")")) << text.out;
  EXPECT_TRUE(has(text.out, "setup log clean")) << text.out;
}

// issue 18: the same plan and seed get one verdict from `rehearse` and from
// `apply` on the twin: setup deleting files the inventory lists inside the
// SMS folder fails both (exit 1, the files named), and without them both
// pass or fail alike.
TEST(ApplyCli, RehearseAndApplyOnTheTwinGiveOneVerdict) {
  test::TempDir t;
  std::string small = std::string(SMSUP_SOURCE_DIR) + "/tests/plan/data/small.yaml";
  std::string text = test::read_file(small);
  auto at = text.find("    foreign_files:");
  ASSERT_NE(at, std::string::npos) << "small.yaml lost its foreign_files line";
  test::write_file(t / "clean.yaml", text.substr(0, at) + text.substr(text.find('\n', at) + 1));
  std::filesystem::copy_file(std::string(SMSUP_SOURCE_DIR) + "/tests/plan/data/small-clients.csv",
                             t / "small-clients.csv");
  for (const auto& [inventory, loses] : {std::pair<std::string, bool>{small, true}, {t / "clean.yaml", false}}) {
    SCOPED_TRACE(inventory);
    std::string tag = loses ? "lost" : "clean";
    auto planned = test::run_smsup({"plan", inventory, "-o", t / (tag + ".json"), "--as-of", "2006-06-12"});
    ASSERT_EQ(planned.status, 0) << planned.out << planned.err;
    {
      // Nobody confirms here: the twin plays the person, as rehearse does.
      auto p = nlohmann::json::parse(test::read_file(t / (tag + ".json")));
      for (auto& s : p["steps"]) s["manual"] = false;
      test::write_file(t / (tag + ".json"), p.dump());
    }
    auto rh = test::run_smsup({"rehearse", t / (tag + ".json"), "--format", "json", "--seed", "3", "--no-databases",
                               "--twin-dir", t / (tag + "-twin")});
    ASSERT_NE(rh.status, 2) << rh.err;
    auto verdict = nlohmann::json::parse(rh.out);
    auto ap = test::run_smsup(
        {"apply", t / (tag + ".json"), "--journal", t / (tag + ".db"), "--seed", "3", "--no-databases", "--plain"});
    ASSERT_NE(ap.status, 2) << ap.err;
    EXPECT_EQ(ap.status, rh.status) << "rehearse: " << rh.out.substr(0, 400) << "\napply: " << ap.out;
    EXPECT_EQ(verdict["nothing_lost"], !loses);
    EXPECT_EQ(has(ap.out, "file deleted by setup: PR1: C:\\SMS\\custom\\report.vbs"), loses) << ap.out;
    EXPECT_EQ(has(ap.out, "All steps succeeded"), true) << ap.out;
  }
}
