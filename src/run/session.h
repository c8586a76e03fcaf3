// `smsup apply` from options to exit status: load the plan (and inventory),
// check its digest, make the driver for the target, take the journal's lock,
// run the executor with a progress display, and say what is left to do.
// Shared by the apply verb and the demo.
#pragma once

#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "smb/remote_logs.h"

namespace smsup::run {

struct ApplyRequest {
  std::string plan_path;
  std::string target = "twin";  // twin | shell
  std::string hosts_path;       // shell: HOSTS.yaml
  bool preflight = true;        // shell: check every host first (drivers/preflight.h); refuse when it fails
  smb::Access smb;              // shell: reaching logs given as smb:// in HOSTS.yaml
  std::string journal_path;     // default: $SMSUP_JOURNAL, else smsup-journal.db beside the plan
  std::string operator_name;    // who runs it (default user@host), in every event
  double lease = 60;            // seconds the journal's lease lasts unrenewed
  std::string work_dir;         // PostgreSQL journal: where step output and twin state go
  std::string inventory_path;   // default: the plan's own inventory (twin)
  bool resume = false;
  bool dry_run = false;
  bool plain = false;               // plain lines even on a terminal
  bool force = false;               // run although the inventory changed since planning
  bool wait = false;                // keep running while manual steps wait for people
  std::optional<int> max_parallel;  // default: the plan's options.max_parallel
  int max_failures = 0;
  int per_site = 1;
  uint64_t seed = 1;                // twin
  std::string faults;               // twin: --faults spec
  bool databases = true;            // twin: make each primary site's database (--no-databases: the model's figures)
  std::vector<std::string> notify;  // --notify URLs (notify.h), checked
  std::string notify_header;        // file of header lines sent with each notice
  std::string notify_ca;            // PEM CAs trusted for https receivers besides the system's
  double notify_wait = 10;          // seconds apply waits at its end for notices queued
  size_t notify_queue = 1000;       // notices kept per URL
  std::ostream* out = &std::cout;   // the dry run, progress and the summary
  std::ostream* err = &std::cerr;   // notes
  bool terminal = false;            // out is a terminal: progress redraws in place (unless plain)
};

// 0 every step succeeded, 1 some failed or wait for a person (or the run was
// stopped). Bad input throws InputError (exit 2 in main).
int run_apply(const ApplyRequest& req);

// The journal a plan uses when none is named: $SMSUP_JOURNAL, else
// smsup-journal.db beside the plan.
std::string default_journal(const std::string& plan_path);
// The journal status, confirm and retry use when none is named:
// $SMSUP_JOURNAL, else smsup-journal.db here.
std::string default_journal();
// Where a run keeps its local files (step output, the twin's state): beside
// an SQLite journal (the file's own name), or for a PostgreSQL journal
// `work_dir` (default smsup-<campaign> here).
std::string local_base(const std::string& journal, const std::string& work_dir);

// Advice: commands smsup prints for a person to run next, complete and
// quoted for a POSIX shell (util/shell_quote.h).
//
// The command that goes on with this run: `smsup apply PLAN --journal J
// --resume` with every option of `req` that the run needs to go on the same
// way (target, hosts, inventory, work folder, seed, faults, databases,
// limits, --wait, --force), each path absolute so that it works from any
// folder, and the journal without a password. Each apply writes it to the
// journal's meta ("go_on") for confirm and retry to print.
std::vector<std::string> go_on_argv(const ApplyRequest& req, const std::string& journal_path);
class Journal;
// The go-on command a journal holds (quoted), or one made from its plan
// path and target for a journal written before smsup kept it.
std::string go_on_command(const Journal& j);
// `smsup confirm ID --journal J` and `smsup retry ID --journal J`, quoted.
std::string confirm_command(const Journal& j, const std::string& id);
std::string retry_command(const Journal& j, const std::string& id);

// sha256 of the plan's canonical JSON.
std::string plan_digest_of(const std::string& plan_json);

}  // namespace smsup::run
