// `smsup apply PLAN`, `status`, `confirm STEP`, `retry STEP`: a plan run
// journaled and resumable, watched and steered from any terminal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/output.h"
#include "cli/smb_cli.h"

namespace smsup::cli {

struct ApplyOptions {
  std::string plan;             // PLAN
  std::string target = "twin";  // twin | shell
  std::string hosts;            // HOSTS.yaml (--target shell)
  bool no_preflight = false;    // shell: start without checking the hosts first
  SmbCliOptions smb;            // shell: logs: smb://... in HOSTS.yaml
  std::string journal;          // default: $SMSUP_JOURNAL, else smsup-journal.db beside the plan
  std::string operator_name;    // default user@host
  double lease = 60;            // seconds; > 0
  std::string work_dir;         // PostgreSQL journal: default smsup-<campaign>
  std::string inventory;        // default: the plan's own
  bool resume = false;
  std::optional<int> max_parallel;  // default: the plan's; >= 1
  int max_failures = 0;             // 0: never stop; >= 0
  int per_site = 1;                 // >= 1
  bool dry_run = false;
  bool plain = false;  // one line per change even on a terminal
  bool wait = false;
  bool force = false;
  uint64_t seed = 1;                // twin
  std::string faults;               // twin
  bool databases = true;            // twin: --no-databases clears it
  std::vector<std::string> notify;  // receivers' URLs (default: $SMSUP_NOTIFY)
  std::string notify_header;        // file of "Name: value" lines
  std::string notify_ca;            // PEM CAs for https receivers
  double notify_wait = 10;          // seconds at the end; 0 to 3600
  int notify_queue = 1000;          // per URL; >= 1
};
// 0 every step succeeded, 1 some failed or wait for a person.
int run_apply(const ApplyOptions& o, Output& out);

// The journal status, confirm and retry read by default: $SMSUP_JOURNAL,
// else smsup-journal.db here.
std::string default_journal();

struct StatusOptions {
  std::string journal = default_journal();
  std::string format = "text";  // text | json
  bool all = false;
  bool events = false;       // the history instead of the steps
  bool watch = false;        // keep watching until the campaign is finished (or Ctrl-C)
  std::string every = "2s";  // --watch: how often to look; 100ms to 1h
};
int run_status(const StatusOptions& o, Output& out);

struct ConfirmOptions {
  std::vector<std::string> steps;  // STEP...; or all_waiting
  bool all_waiting = false;        // every step waiting for a person (after a preview)
  std::string site;                // --all-waiting: only this site's
  std::string kind;                // --all-waiting: only this kind
  bool yes = false;                // --all-waiting: no question
  std::string journal = default_journal();
  std::string who;   // --operator; default user@host
  std::string note;  // for every step confirmed
  bool fail = false;
};
int run_confirm(const ConfirmOptions& o, Output& out);

struct RetryOptions {
  std::vector<std::string> steps;  // STEP...
  std::string journal = default_journal();
  std::string who;  // --operator; default user@host
};
int run_retry(const RetryOptions& o, Output& out);

}  // namespace smsup::cli
