// `smsup demo`, stage apply: run the plan of the plan stage with `apply` on
// the twin (falling back to the shell driver with harmless commands when the
// twin is not in this build), play the operator for the manual steps
// (`confirm`, then `apply --resume`), and show `status`.
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/ostream.h>

#include "cli/demo.h"
#include "plan/step_kinds.h"
#include "run/journal.h"
#include "run/session.h"
#include "run/status.h"
#include "util/error.h"
#include "util/shell_quote.h"

namespace smsup::cli {

namespace fs = std::filesystem;

namespace {

// Every step kind of a plan as a command that only says what it would do
// (the shell driver runs real processes, nothing touches a host), but the
// settle, a short wait. The kinds the table calls safe to run again say so,
// as a real hosts file would.
std::string write_echo_hosts(const DemoContext& ctx) {
  auto path = (ctx.out / "hosts-demo.yaml").string();
  std::ofstream out(path);
  out << "format: smsup-hosts/1\ntimeout: 60s\nkinds:\n";
  for (const auto& k : plan::kind_table()) {
    if (!k.planned) continue;
    out << "  " << k.name << ":\n";
    if (k.kind == plan::Kind::settle) {
      out << "    wait: 0.2s\n";
      continue;
    }
    out << "    command: [/bin/echo, 'would run', '{kind}', 'for', '{step}']\n";
    if (k.rerun_safe) out << "    rerun_safe: true\n";
  }
  return path;
}

// Confirms every step waiting for a person, as the operator would after
// doing it; returns their ids.
std::vector<std::string> play_operator(const std::string& journal) {
  run::Journal j(journal, false);
  std::vector<std::string> ids;
  for (const auto& r : j.steps()) {
    if (r.state != run::State::waiting) continue;
    j.confirm(r.id, "done by the demo operator", false);
    ids.push_back(r.id);
  }
  return ids;
}

}  // namespace

int demo_apply(const DemoContext& ctx, Output& out) {
  run::ApplyRequest req;
  req.plan_path = (ctx.out / "plan.json").string();
  req.journal_path = (ctx.out / "apply-journal.db").string();
  if (!fs::exists(req.plan_path)) {
    fmt::print(out.out, "No plan at {} (the plan stage did not write one); nothing to apply.\n", req.plan_path.c_str());
    return 1;
  }
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(req.journal_path + suffix);
  fs::remove_all(req.journal_path + ".out");
  fs::remove_all(req.journal_path + ".twin");
  req.target = "twin";
  try {
    req.dry_run = true;  // only to learn whether the twin target runs here: its listing is not shown
    std::ostringstream unseen;
    req.out = &unseen;
    run::run_apply(req);
  } catch (const InputError& e) {
    fmt::print(out.out,
               "The twin target cannot run here ({}).\nRunning the plan with the shell driver "
               "instead, every command a harmless /bin/echo of what it would do.\n\n",
               e.message().c_str());
    req.target = "shell";
    req.hosts_path = write_echo_hosts(ctx);
  }
  req.dry_run = false;
  req.out = &out.out;
  req.err = &out.err;
  req.terminal = out.out_terminal;
  int rc = 1;
  for (int round = 1; round <= 30; ++round) {
    std::vector<std::string> argv{"smsup", "apply", req.plan_path, "--target", req.target};
    if (!req.hosts_path.empty()) argv.insert(argv.end(), {"--hosts", req.hosts_path});
    argv.insert(argv.end(), {"--journal", req.journal_path});
    if (req.resume) argv.push_back("--resume");
    fmt::print(out.out, "$ {}\n", shell_join(argv));
    out.out.flush();
    rc = run::run_apply(req);
    if (rc == 0) break;
    auto confirmed = play_operator(req.journal_path);
    if (confirmed.empty()) break;  // failed steps: a person must look
    std::vector<std::string> confirm{"smsup", "confirm"};
    confirm.insert(confirm.end(), confirmed.begin(), confirmed.end());
    confirm.insert(confirm.end(), {"--journal", req.journal_path, "--note", "done by the demo operator"});
    fmt::print(out.out, "\nThe demo operator does the {} manual step(s) waiting and confirms them:\n$ {}\n\n",
               confirmed.size(), shell_join(confirm));
    req.resume = true;
  }
  fmt::print(out.out, "\n$ {}\n", shell_join({"smsup", "status", "--journal", req.journal_path}));
  run::Journal j(req.journal_path, false);
  auto read = run::read_status(j);
  out.out << (run::status_text(j, read.steps, read.eta, false, out.color).c_str());
  if (rc == 0) return 0;
  // The example carries problems on purpose: a step the target fails (the
  // rehearsal predicts the same) is an expected end; steps still waiting or
  // never reached are not.
  int failed = 0, open = 0;
  std::vector<std::string> retry{"smsup", "retry"};
  for (const auto& r : j.steps()) {
    if (r.state == run::State::failed) ++failed, retry.push_back(r.id);
    if (r.state == run::State::pending || r.state == run::State::waiting || r.state == run::State::running) ++open;
  }
  if (open == 0 && failed > 0) {
    retry.insert(retry.end(), {"--journal", req.journal_path});
    fmt::print(out.out,
               "\nThe run reached its end: {} step(s) failed on the {} and stopped what depends on "
               "them, as a real run would. Fix the cause, then\n  {}\nand go on with\n  {}\n",
               failed, req.target, shell_join(retry), run::go_on_command(j));
    return 0;
  }
  if (open == 0 && failed == 0) {
    // Every step done, and the target's verdict (on the twin, the
    // rehearsal's) names what is still wrong: the example's planted
    // problems, an expected end.
    fmt::print(out.out,
               "\nEvery step is done; what the verdict above names is what the example plants on "
               "purpose, and what the rehearsal predicted.\n");
    return 0;
  }
  return rc;
}

}  // namespace smsup::cli
