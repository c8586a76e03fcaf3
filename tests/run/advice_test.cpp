// Every command smsup prints as advice ("confirm with", "retry with", "then
// go on with", "confirm all at once with", the go-on line of confirm and
// retry) is taken from real output and run with `bash -c`, from another
// folder, in a path with a space and a quote, with a step id that would be
// code if it were not quoted: each must do what it says.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "plan/plan.h"
#include "plan_steps.h"
#include "support.h"

using namespace smsup;
namespace fs = std::filesystem;

namespace {

using test::has;

// The command on the line of `out` holding `marker`: from the first "smsup "
// after the marker to the end of the line (or to "   (" where a remark
// follows). Fails the test when there is none.
std::string advice(const std::string& out, const std::string& marker) {
  auto at = out.find(marker);
  if (at == std::string::npos) {
    ADD_FAILURE() << "no '" << marker << "' in:\n" << out;
    return "false";
  }
  auto cmd = out.find("smsup ", at + marker.size());
  auto end = out.find('\n', cmd);
  std::string line = out.substr(cmd, end - cmd);
  if (auto remark = line.find("   ("); remark != std::string::npos) line.resize(remark);
  return line;
}

// Runs a printed command as a person pasting it would: bash, the smsup under
// test first on PATH, from `cwd`.
test::Ran paste(const std::string& command, const fs::path& cwd) {
  std::string path = fs::path(SMSUP_BINARY).parent_path().string() + ":" + (getenv("PATH") ? getenv("PATH") : "");
  return test::run({"/bin/bash", "-c", "cd \"$0\" && " + command, cwd.string()}, {"PATH=" + path});
}

using test::site_step;

// A step id that runs `touch pwned` if it reaches a shell unquoted.
const std::string kHostile = "CEN/drw';touch pwned;'$(touch pwned)";

// Inside a YAML single-quoted scalar a quote is written twice.
std::string yaml_quoted(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out;
}

bool pwned_anywhere(const fs::path& root) {
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.path().filename() == "pwned") return true;
  }
  return false;
}

}  // namespace

TEST(Advice, ShellTargetConfirmRetryAndGoOnWorkPastedFromAnotherFolder) {
  test::TempDir t;
  fs::path dir = t.path / "dir with space and 'quote'";
  fs::path elsewhere = t.path / "elsewhere";
  fs::create_directories(dir);
  fs::create_directories(elsewhere);
  plan::Plan p;
  p.hierarchy = "Contoso";
  p.inventory_sha256 = "none";
  p.created = "2026-11-25T00:00:00Z";
  p.steps = {site_step("CEN/backup", "backup", {}), site_step(kHostile, "drw", {"CEN/backup"}, true),
             site_step("CEN/upgrade", "upgrade", {kHostile}), site_step("PR1/backup", "backup", {}),
             site_step("PR1/upgrade", "upgrade", {"PR1/backup"})};
  plan::save(p, (dir / "plan.json").string());
  std::ofstream(dir / "hosts.yaml") << "format: smsup-hosts/1\ntimeout: 20s\nkinds:\n"
                                    << "  backup:\n    command: [/bin/sh, -c, 'if test -e \"$0\"; then exit 4; fi', '"
                                    << yaml_quoted((dir / "broken-").string()) << "{site}']\n"
                                    << "  upgrade:\n    command: [/bin/true]\n";
  test::write_file(dir / "broken-PR1", "");
  // Relative paths, as a person types them in the plan's folder.
  auto ran =
      paste("smsup apply plan.json --target shell --hosts hosts.yaml --journal j.db --plain --max-failures 5", dir);
  ASSERT_EQ(ran.status, 1) << ran.out << ran.err;

  // Retry, confirm and go on, each pasted from another folder.
  fs::remove(dir / "broken-PR1");
  auto retry = paste(advice(ran.out, "failed:  PR1/backup"), elsewhere);
  EXPECT_EQ(retry.status, 0) << retry.err;
  EXPECT_TRUE(has(retry.out, "PR1/backup: set back to pending")) << retry.out;
  auto confirm = paste(advice(ran.out, "waiting: " + kHostile), elsewhere);
  EXPECT_EQ(confirm.status, 0) << confirm.err;
  EXPECT_TRUE(has(confirm.out, kHostile + ": confirmed as done")) << confirm.out;
  // confirm's own go-on line carries every option the run was started with.
  std::string go_on = advice(confirm.out, "go on with:");
  EXPECT_TRUE(has(go_on, "--hosts")) << go_on;
  EXPECT_TRUE(has(go_on, "--max-failures 5")) << go_on;
  EXPECT_EQ(go_on, advice(ran.out, "Then go on with:"));
  auto resumed = paste(go_on, elsewhere);
  EXPECT_EQ(resumed.status, 0) << resumed.out << resumed.err;
  EXPECT_TRUE(has(resumed.out, "All steps succeeded")) << resumed.out;
  // The waiting step's own progress line says how to confirm it: read by
  // bash, that command is exactly those words, the id one of them.
  auto waits = ran.out.find("waits for a person: smsup confirm ");
  ASSERT_NE(waits, std::string::npos) << ran.out;
  auto cmd = waits + std::string("waits for a person: smsup ").size();
  auto words = paste("printf '%s\\n' " + ran.out.substr(cmd, ran.out.find("  [", cmd) - cmd), elsewhere);
  EXPECT_EQ(words.out, "confirm\n" + kHostile + "\n") << words.err;
  EXPECT_FALSE(pwned_anywhere(t.path)) << "a step id in the advice ran as a command";
}

TEST(Advice, ConfirmAndRetryAdviceWhileAStepFailedAgainGoesOnWithTheSameOptions) {
  test::TempDir t;
  plan::Plan p;
  p.hierarchy = "Contoso";
  p.inventory_sha256 = "none";
  p.created = "2026-11-25T00:00:00Z";
  p.steps = {site_step("CEN/backup", "backup", {}), site_step("CEN/upgrade", "upgrade", {"CEN/backup"})};
  plan::save(p, t / "plan.json");
  std::ofstream(t / "hosts.yaml") << "format: smsup-hosts/1\ntimeout: 20s\nkinds:\n"
                                  << "  backup:\n    command: [/bin/sh, -c, 'test ! -e \"$0\"', '" << (t / "broken")
                                  << "']\n  upgrade:\n    command: [/bin/true]\n";
  test::write_file(t / "broken", "");
  auto ran = test::run_smsup({"apply", t / "plan.json", "--target", "shell", "--hosts", t / "hosts.yaml", "--journal",
                              t / "j.db", "--plain", "--per-site", "2"});
  ASSERT_EQ(ran.status, 1) << ran.out;
  // Pasted while the cause is still there: the run goes on, fails the same
  // step again (exit 1, not a usage error), and says so.
  auto retry = paste(advice(ran.out, "failed:  CEN/backup"), t.path);
  ASSERT_EQ(retry.status, 0) << retry.err;
  auto again = paste(advice(retry.out, "go on with:"), t.path);
  EXPECT_EQ(again.status, 1) << again.err;
  EXPECT_TRUE(has(again.out, "failed:  CEN/backup")) << again.out;
  EXPECT_TRUE(has(advice(again.out, "Then go on with:"), "--per-site 2"));
}

// A plan keeps its inventory relative to its own folder: the folder moved
// (to a name with a space and a quote) and run from another folder, the
// twin apply finds it; then the run is finished by pasting only the advice
// smsup prints (confirm, confirm all at once, go on), which carries
// --no-databases and --seed.
TEST(Advice, MovedPlanRunsOnTheTwinAndItsAdviceFinishesTheRun) {
  test::TempDir t;
  fs::path made = t.path / "made";
  fs::path moved = t.path / "moved here, 'quoted'";
  fs::path elsewhere = t.path / "elsewhere";
  fs::create_directories(made);
  fs::create_directories(elsewhere);
  for (const char* f : {"small.yaml", "small-clients.csv"}) {
    fs::copy_file(fs::path(SMSUP_SOURCE_DIR) / "tests/plan/data" / f, made / f);
  }
  auto plan = paste("smsup plan small.yaml -o plan.json --as-of 2006-06-12", made);
  ASSERT_EQ(plan.status, 0) << plan.err;
  auto stored = nlohmann::json::parse(test::read_file(made / "plan.json"));
  EXPECT_EQ(stored["inventory"], "small.yaml");
  fs::rename(made, moved);

  auto dry = test::run({SMSUP_BINARY, "apply", (moved / "plan.json").string(), "--dry-run"});
  EXPECT_EQ(dry.status, 0) << dry.err;

  auto ran = paste("smsup apply '" + (t.path / "moved here, '\\''quoted'\\''/plan.json").string() +
                       "' --journal j.db --no-databases --seed 7 --plain",
                   elsewhere);
  int rounds = 0;
  while (ran.status == 1 && !has(ran.out, "All steps succeeded") && ++rounds <= 40) {
    ASSERT_FALSE(has(ran.out, "failed:")) << ran.out;
    std::string go_on = advice(ran.out, "Then go on with:");
    EXPECT_TRUE(has(go_on, "--no-databases") && has(go_on, "--seed 7")) << go_on;
    if (has(ran.out, "Confirm all")) {
      auto all = paste(advice(ran.out, "Confirm all"), t.path);
      ASSERT_EQ(all.status, 0) << all.out << all.err;
    } else {
      // One by one; a manual upgrade's line asks for a note.
      std::istringstream lines(ran.out);
      for (std::string line; std::getline(lines, line);) {
        if (!line.starts_with("  waiting: ")) continue;
        std::string cmd = advice(line, "waiting: ");
        if (has(line, "add --note TEXT")) cmd += " --note 'done by the test'";
        auto one = paste(cmd, t.path);
        ASSERT_EQ(one.status, 0) << cmd << "\n" << one.err;
      }
    }
    ran = paste(go_on, t.path);
  }
  EXPECT_TRUE(has(ran.out, "All steps succeeded")) << ran.out;
  // small.yaml keeps a file inside PR1's SMS folder: the twin's verdict (and
  // rehearse's) is that setup deleted it, exit 1.
  EXPECT_EQ(ran.status, 1) << ran.out << ran.err;
  EXPECT_TRUE(has(ran.out, "file deleted by setup: PR1")) << ran.out;
}
