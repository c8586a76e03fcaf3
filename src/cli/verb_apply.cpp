// `smsup apply`, `status`, `confirm`, `retry` (docs/apply.md): run a
// plan journaled and resumable, and watch and steer the run from anywhere.
#include <fmt/format.h>

#include <cstdlib>
#include <memory>
#include <sstream>

#include "cli/apply.h"
#include "cli/checks.h"
#include "cli/verbs.h"
#include "run/journal.h"
#include "run/notify.h"
#include "run/session.h"
#include "run/status.h"
#include "util/closest.h"
#include "util/error.h"

namespace smsup::cli {

namespace {

constexpr const char* kJournalHelp =
    "Journal: an SQLite file or a PostgreSQL database (postgresql://... or libpq keywords; "
    "campaign=NAME); default $SMSUP_JOURNAL, else smsup-journal.db";

// A step id a person typed for confirm or retry: one the journal holds, or
// bad input naming the nearest id (a slip such as CEN/bakup).
void require_step(const run::Journal& j, const std::string& journal, const std::string& id) {
  if (j.step(id)) return;
  std::vector<std::string> ids;
  for (const auto& s : j.steps()) ids.push_back(s.id);
  throw InputError({journal, 0, 0}, "STEP", fmt::format("no step '{}' in this journal{}", id, did_you_mean(id, ids)));
}

}  // namespace

std::string default_journal() { return run::default_journal(); }

int run_apply(const ApplyOptions& o, Output& out) {
  if (o.max_parallel) require_range("--max-parallel", *o.max_parallel, 1, 100000);
  require_range("--max-failures", o.max_failures, 0, 100000000);
  require_range("--per-site", o.per_site, 1, 100000);
  auto notify = o.notify;
  if (const char* env = std::getenv("SMSUP_NOTIFY"); notify.empty() && env) {
    std::istringstream words(env);
    for (std::string w; words >> w;) notify.push_back(w);
  }
  for (const auto& url : notify) run::parse_notify_url(url);
  if (!o.notify_header.empty()) {
    if (notify.empty()) throw InputError({}, "--notify-header", "is for the receivers of --notify (or $SMSUP_NOTIFY); none is named");
    require_file("--notify-header", o.notify_header);
    run::read_notify_headers(o.notify_header);
  }
  if (!(o.notify_wait >= 0 && o.notify_wait <= 3600)) {
    throw InputError({}, "--notify-wait", fmt::format("{} s is not a wait; expected 0 to 3600 seconds", o.notify_wait));
  }
  require_range("--notify-queue", o.notify_queue, 1, 1000000);
  run::ApplyRequest req{.plan_path = o.plan,
                        .target = o.target,
                        .hosts_path = o.hosts,
                        .preflight = !o.no_preflight,
                        .smb = smb_access(o.smb),
                        .journal_path = o.journal,
                        .operator_name = o.operator_name,
                        .lease = o.lease,
                        .work_dir = o.work_dir,
                        .inventory_path = o.inventory,
                        .resume = o.resume,
                        .dry_run = o.dry_run,
                        .plain = o.plain,
                        .force = o.force,
                        .wait = o.wait,
                        .max_parallel = o.max_parallel,
                        .max_failures = o.max_failures,
                        .per_site = o.per_site,
                        .seed = o.seed,
                        .faults = o.faults,
                        .databases = o.databases,
                        .notify = notify,
                        .notify_header = o.notify_header,
                        .notify_wait = o.notify_wait,
                        .notify_queue = static_cast<size_t>(o.notify_queue),
                        .out = &out.out,
                        .err = &out.err,
                        .terminal = out.out_terminal};
  return run::run_apply(req);
}

int run_status(const StatusOptions& o, Output& out) {
  require_one_of("--format", o.format, {"text", "json"});
  run::Journal j(o.journal, false);
  if (o.events) {
    out.out << (o.format == "json" ? run::events_json(j).dump(1) + "\n" : run::events_text(j));
    return 0;
  }
  if (o.format == "json") {
    out.out << run::status_json(j).dump(1) << "\n";
  } else {
    out.out << run::status_text(j, o.all, out.color);
  }
  return run::status_code(j);
}

namespace {

void say_how_to_go_on(const run::Journal& j, const std::string& journal, Output& out) {
  if (!j.holder())
    out.out << "No apply is running on this journal: go on with smsup apply PLAN --journal " << journal << " --resume\n";
}

}  // namespace

int run_confirm(const ConfirmOptions& o, Output& out) {
  run::Journal j(o.journal, false);
  if (!o.who.empty()) j.set_operator(o.who);
  require_step(j, o.journal, o.step);
  j.confirm(o.step, o.note, o.fail);
  out.out << o.step << ": " << (o.fail ? "recorded as failed" : "confirmed as done")
          << (o.note.empty() ? "" : fmt::format(" (note: {})", o.note)) << "\n";
  say_how_to_go_on(j, o.journal, out);
  return 0;
}

int run_retry(const RetryOptions& o, Output& out) {
  run::Journal j(o.journal, false);
  if (!o.who.empty()) j.set_operator(o.who);
  require_step(j, o.journal, o.step);
  j.retry(o.step);
  out.out << o.step << ": set back to pending, with the steps it had held back\n";
  say_how_to_go_on(j, o.journal, out);
  return 0;
}

namespace {

void register_apply_verb(CLI::App& app, Status& status) {
  auto [sub, o] = add_verb(app, status, "apply", "Run a plan on the twin or on real hosts, journaled and resumable", run_apply);
  sub->add_option("PLAN", o->plan, "The plan file (smsup plan -o PLAN)")->required();
  sub->add_option("--target", o->target, "twin (default) or shell");
  sub->add_option("--hosts", o->hosts, "HOSTS.yaml: a command per step kind (--target shell)");
  sub->add_flag("--no-preflight", o->no_preflight,
                "--target shell: start without the preflight of every host (smsup hosts check), "
                "which otherwise runs first and refuses to start when something is wrong");
  add_smb_options(sub, o->smb);
  sub->add_option("--journal", o->journal,
                  "Journal: an SQLite file, or a PostgreSQL database (postgresql://... or a libpq "
                  "keyword string; campaign=NAME picks the campaign). Default: $SMSUP_JOURNAL, else "
                  "smsup-journal.db beside the plan");
  sub->add_option("--operator", o->operator_name, "Who runs it, written with every event (default user@host)");
  sub->add_option("--lease", o->lease,
                  "Seconds the journal's lease lasts unrenewed; another apply may take over a lease not "
                  "renewed for that long (renewed every fifth of it)")
      ->capture_default_str();
  sub->add_option("--work-dir", o->work_dir,
                  "PostgreSQL journal: folder for step output and the twin's state (default smsup-<campaign>)");
  sub->add_option("--inventory", o->inventory, "Inventory to check the plan against (default: the plan's own)");
  sub->add_flag("--resume", o->resume, "Go on with the run the journal holds");
  sub->add_option("--max-parallel", o->max_parallel, "Steps running at once, 1 or more (default: the plan's)");
  sub->add_option("--max-failures", o->max_failures, "Start nothing more after N failures (0: never stop)");
  sub->add_option("--per-site", o->per_site, "Steps running at once in one site, 1 or more (default 1)");
  sub->add_flag("--dry-run", o->dry_run, "Print what would run, in order, with the exact commands");
  sub->add_flag("--plain", o->plain, "One line per state change, even on a terminal");
  sub->add_flag("--wait", o->wait, "Keep running while manual steps wait for smsup confirm");
  sub->add_flag("--force", o->force, "Run although the inventory changed since the plan was made");
  sub->add_option("--seed", o->seed, "Twin: seed of its random choices");
  sub->add_option("--faults", o->faults, "Twin: failures to inject, e.g. upgrade@PR1=fail");
  sub->add_flag_callback("--no-databases", [opts = o] { opts->databases = false; },
                         "Twin: do not make each primary site's database (<journal>.twin/site-databases); "
                         "take the upgrade's growth from the model");
  sub->add_option("--notify", o->notify,
                  "POST every state change (and a lease taken over, and the run's end) as JSON to this "
                  "http:// or https:// URL; repeatable (default: $SMSUP_NOTIFY, URLs separated by spaces). "
                  "A failing receiver never slows the run");
  sub->add_option("--notify-header", o->notify_header,
                  "File of 'Name: value' lines sent as headers with every notification (e.g. "
                  "Authorization: Bearer ...), so that no secret is on the command line");
  sub->add_option("--notify-wait", o->notify_wait,
                  "Seconds apply waits at its end for notifications still queued (0 to 3600)")
      ->capture_default_str();
  sub->add_option("--notify-queue", o->notify_queue,
                  "Notifications kept per URL while the receiver lags; the oldest is dropped beyond it")
      ->capture_default_str();
}

void register_status_verb(CLI::App& app, Status& status) {
  auto [sub, o] = add_verb(app, status, "status", "Show the state of every step of a run, from any terminal", run_status);
  sub->add_option("--journal", o->journal, kJournalHelp)->capture_default_str();
  sub->add_option("--format", o->format, "text or json");
  sub->add_flag("--all", o->all, "List every step, not only those that need a look");
  sub->add_flag("--events", o->events, "List every state change: when, which step, what, who and from where");
}

// STEP, --journal and --operator: what confirm and retry act on, and who acts.
void add_step_options(CLI::App* sub, std::string& step, std::string& journal, std::string& who,
                      const char* step_help) {
  sub->add_option("STEP", step, step_help)->required();
  sub->add_option("--journal", journal, kJournalHelp)->capture_default_str();
  sub->add_option("--operator", who, "Who acts, written with the event (default user@host)");
}

void register_confirm_verb(CLI::App& app, Status& status) {
  auto [sub, o] = add_verb(app, status, "confirm", "Confirm that a person did a manual step (or that it failed)", run_confirm);
  add_step_options(sub, o->step, o->journal, o->who, "The step id, e.g. CEN/drw");
  sub->add_option("--note", o->note, "What was done, for the journal (required for a manual upgrade)");
  sub->add_flag("--fail", o->fail, "The step failed: stop what depends on it");
}

void register_retry_verb(CLI::App& app, Status& status) {
  auto [sub, o] = add_verb(app, status, "retry", "Set a failed step back to pending, to run again", run_retry);
  add_step_options(sub, o->step, o->journal, o->who, "The failed step's id");
}

}  // namespace

void register_apply(CLI::App& app, Status& status) {
  register_apply_verb(app, status);
  register_status_verb(app, status);
  register_confirm_verb(app, status);
  register_retry_verb(app, status);
}

}  // namespace smsup::cli
