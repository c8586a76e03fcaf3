// `smsup apply`, `status`, `confirm`, `retry` (shared/spec/apply.md): run a
// plan journaled and resumable, and watch and steer the run from anywhere.
#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "cli/verbs.h"
#include "run/journal.h"
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

void register_apply_verb(CLI::App& app, Status& status) {
  auto* sub = app.add_subcommand("apply", "Run a plan on the twin or on real hosts, journaled and resumable");
  auto req = std::make_shared<run::ApplyRequest>();
  auto max_parallel = std::make_shared<int>(0);
  sub->add_option("PLAN", req->plan_path, "The plan file (smsup plan -o PLAN)")->required();
  sub->add_option("--target", req->target, "twin (default) or shell")
      ->check(CLI::IsMember({"twin", "shell"}));
  sub->add_option("--hosts", req->hosts_path, "HOSTS.yaml: a command per step kind (--target shell)");
  sub->add_option("--journal", req->journal_path,
                  "Journal: an SQLite file, or a PostgreSQL database (postgresql://... or a libpq "
                  "keyword string; campaign=NAME picks the campaign). Default: $SMSUP_JOURNAL, else "
                  "smsup-journal.db beside the plan");
  sub->add_option("--operator", req->operator_name, "Who runs it, written with every event (default user@host)");
  sub->add_option("--lease", req->lease,
                  "Seconds the journal's lease lasts unrenewed; another apply may take over a lease not "
                  "renewed for that long (renewed every fifth of it)")
      ->capture_default_str();
  sub->add_option("--work-dir", req->work_dir,
                  "PostgreSQL journal: folder for step output and the twin's state (default smsup-<campaign>)");
  sub->add_option("--inventory", req->inventory_path,
                  "Inventory to check the plan against (default: the plan's own)");
  sub->add_flag("--resume", req->resume, "Go on with the run the journal holds");
  sub->add_option("--max-parallel", *max_parallel, "Steps running at once (default: the plan's)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--max-failures", req->max_failures, "Start nothing more after N failures (0: never stop)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--per-site", req->per_site, "Steps running at once in one site (default 1)")
      ->check(CLI::PositiveNumber);
  sub->add_flag("--dry-run", req->dry_run, "Print what would run, in order, with the exact commands");
  sub->add_flag("--plain", req->plain, "One line per state change, even on a terminal");
  sub->add_flag("--wait", req->wait, "Keep running while manual steps wait for smsup confirm");
  sub->add_flag("--force", req->force, "Run although the inventory changed since the plan was made");
  sub->add_option("--seed", req->seed, "Twin: seed of its random choices");
  sub->add_option("--faults", req->faults, "Twin: failures to inject, e.g. upgrade@PR1=fail");
  sub->add_flag_callback("--no-databases", [req] { req->databases = false; },
                "Twin: do not make each primary site's database (<journal>.twin/site-databases); "
                "take the upgrade's growth from the model");
  sub->callback([req, max_parallel, &status] {
    if (*max_parallel > 0) req->max_parallel = *max_parallel;
    status.code = run::run_apply(*req);
  });
}

void register_status_verb(CLI::App& app, Status& status) {
  auto* sub = app.add_subcommand("status", "Show the state of every step of a run, from any terminal");
  struct Opts {
    std::string journal = run::default_journal();
    std::string format = "text";
    bool all = false;
    bool events = false;
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("--journal", o->journal, kJournalHelp)->capture_default_str();
  sub->add_option("--format", o->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  sub->add_flag("--all", o->all, "List every step, not only those that need a look");
  sub->add_flag("--events", o->events, "List every state change: when, which step, what, who and from where");
  sub->callback([o, &status] {
    run::Journal j(o->journal, false);
    if (o->events) {
      if (o->format == "json") {
        std::printf("%s\n", run::events_json(j).dump(1).c_str());
      } else {
        std::fputs(run::events_text(j).c_str(), stdout);
      }
      status.code = 0;
      return;
    }
    if (o->format == "json") {
      std::printf("%s\n", run::status_json(j).dump(1).c_str());
    } else {
      std::fputs(run::status_text(j, o->all, use_color()).c_str(), stdout);
    }
    status.code = run::status_code(j);
  });
}

void register_confirm_verb(CLI::App& app, Status& status) {
  auto* sub = app.add_subcommand("confirm", "Confirm that a person did a manual step (or that it failed)");
  struct Opts {
    std::string step, journal = run::default_journal(), note, who;
    bool fail = false;
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("STEP", o->step, "The step id, e.g. CEN/drw")->required();
  sub->add_option("--journal", o->journal, kJournalHelp)->capture_default_str();
  sub->add_option("--note", o->note, "What was done, for the journal (required for a manual upgrade)");
  sub->add_option("--operator", o->who, "Who confirms, written with the event (default user@host)");
  sub->add_flag("--fail", o->fail, "The step failed: stop what depends on it");
  sub->callback([o, &status] {
    run::Journal j(o->journal, false);
    if (!o->who.empty()) j.set_operator(o->who);
    require_step(j, o->journal, o->step);
    j.confirm(o->step, o->note, o->fail);
    std::printf("%s: %s%s\n", o->step.c_str(), o->fail ? "recorded as failed" : "confirmed as done",
                o->note.empty() ? "" : fmt::format(" (note: {})", o->note).c_str());
    if (!j.holder()) std::printf("No apply is running on this journal: go on with smsup apply PLAN --journal %s --resume\n", o->journal.c_str());
    status.code = 0;
  });
}

void register_retry_verb(CLI::App& app, Status& status) {
  auto* sub = app.add_subcommand("retry", "Set a failed step back to pending, to run again");
  struct Opts {
    std::string step, journal = run::default_journal(), who;
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("STEP", o->step, "The failed step's id")->required();
  sub->add_option("--journal", o->journal, kJournalHelp)->capture_default_str();
  sub->add_option("--operator", o->who, "Who sets it back, written with the event (default user@host)");
  sub->callback([o, &status] {
    run::Journal j(o->journal, false);
    if (!o->who.empty()) j.set_operator(o->who);
    require_step(j, o->journal, o->step);
    j.retry(o->step);
    std::printf("%s: set back to pending, with the steps it had held back\n", o->step.c_str());
    if (!j.holder()) std::printf("No apply is running on this journal: go on with smsup apply PLAN --journal %s --resume\n", o->journal.c_str());
    status.code = 0;
  });
}

}  // namespace

void register_apply(CLI::App& app, Status& status) {
  register_apply_verb(app, status);
  register_status_verb(app, status);
  register_confirm_verb(app, status);
  register_retry_verb(app, status);
}

}  // namespace smsup::cli
