// `smsup apply`, `status`, `confirm`, `retry` (docs/apply.md): run a
// plan journaled and resumable, and watch and steer the run from anywhere.
#include <fmt/format.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <ctime>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli/add_verb.h"
#include "cli/apply.h"
#include "cli/checks.h"
#include "run/journal.h"
#include "run/notify.h"
#include "run/session.h"
#include "run/status.h"
#include "run/watch.h"
#include "util/closest.h"
#include "util/duration.h"
#include "util/error.h"
#include "util/printable.h"

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
    if (notify.empty())
      throw InputError({}, "--notify-header", "is for the receivers of --notify (or $SMSUP_NOTIFY); none is named");
    require_file("--notify-header", o.notify_header);
    run::read_notify_headers(o.notify_header);
  }
  if (!o.notify_ca.empty()) {
    if (notify.empty())
      throw InputError({}, "--notify-ca", "is for the https receivers of --notify (or $SMSUP_NOTIFY); none is named");
    require_file("--notify-ca", o.notify_ca);
    run::check_notify_ca(o.notify_ca);
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
                        .notify_ca = o.notify_ca,
                        .notify_wait = o.notify_wait,
                        .notify_queue = static_cast<size_t>(o.notify_queue),
                        .out = &out.out,
                        .err = &out.err,
                        .terminal = out.out_terminal};
  return run::run_apply(req);
}

namespace {

// SIGINT and SIGTERM, blocked while a watch runs and taken by its waits
// (sigtimedwait): a signal that comes during a read ends the watch at the
// next wait, never in the middle of drawing.
class WatchSignals {
 public:
  WatchSignals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
  }
  ~WatchSignals() {
    timespec zero{};
    while (sigtimedwait(&set_, nullptr, &zero) > 0) {
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  WatchSignals(const WatchSignals&) = delete;
  WatchSignals& operator=(const WatchSignals&) = delete;
  // Waits `d`; false when a signal came.
  bool wait(std::chrono::milliseconds d) {
    auto until = std::chrono::steady_clock::now() + d;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(until - std::chrono::steady_clock::now());
      if (left.count() <= 0) return true;
      timespec ts{static_cast<time_t>(left.count() / 1000000000), static_cast<long>(left.count() % 1000000000)};
      if (sigtimedwait(&set_, nullptr, &ts) > 0) return false;
      if (errno == EAGAIN) return true;  // EINTR: another signal; wait on
    }
  }

 private:
  sigset_t set_, old_;
};

int terminal_rows() {
  winsize ws{};
  return ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 ? ws.ws_row : 0;
}

}  // namespace

int run_status(const StatusOptions& o, Output& out) {
  require_one_of("--format", o.format, {"text", "json"});
  if (o.watch) {
    auto every = checked_duration(o.every, {}, "--every", std::chrono::milliseconds(100), std::chrono::hours(1));
    if (o.events) throw InputError({}, "--watch", "watches the steps; --events lists the history: give one of them");
    WatchSignals signals;
    run::WatchRequest w{.journal = o.journal,
                        .every = every,
                        .json = o.format == "json",
                        .all = o.all,
                        .color = out.color,
                        .terminal = out.out_terminal,
                        .rows = out.out_terminal ? terminal_rows() : 0,
                        .out = &out.out,
                        .err = &out.err,
                        .wait = [&signals](std::chrono::milliseconds d) { return signals.wait(d); }};
    return run::watch_status(w);
  }
  run::Journal j(o.journal, false);
  if (o.events) {
    out.out << (o.format == "json" ? run::events_json(j).dump(1) + "\n" : run::events_text(j));
    return 0;
  }
  auto read = run::read_status(j);
  if (o.format == "json") {
    out.out << run::status_json(j, read.head, read.steps, read.eta).dump(1) << "\n";
  } else {
    out.out << run::status_text(j, read.head, read.steps, read.eta, o.all, out.color);
  }
  return run::status_code(read.steps);
}

namespace {

void say_how_to_go_on(const run::Journal& j, Output& out) {
  if (!j.holder()) out.out << "No apply is running on this journal: go on with: " << run::go_on_command(j) << "\n";
}

// The steps a person named, each once, in the order named; each one the
// journal holds (or bad input naming the nearest id).
std::vector<std::string> named_steps(const run::Journal& j, const std::string& journal,
                                     const std::vector<std::string>& steps) {
  std::vector<std::string> ids;
  for (const auto& id : steps) {
    require_step(j, journal, id);
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  return ids;
}

// A value of --site or --kind that no step of the journal has: bad input
// naming the nearest one (a slip), before anything is confirmed.
void require_among(const std::vector<run::JournalStep>& steps, const std::string& journal, const char* option,
                   const std::string& value, std::string run::JournalStep::*field) {
  if (value.empty()) return;
  std::vector<std::string> known;
  for (const auto& s : steps) {
    if (std::find(known.begin(), known.end(), s.*field) == known.end()) known.push_back(s.*field);
  }
  if (std::find(known.begin(), known.end(), value) != known.end()) return;
  throw InputError({journal, 0, 0}, option,
                   fmt::format("no step of this journal has {} '{}'{}", option + 2, value, did_you_mean(value, known)));
}

// --all-waiting without --yes: a person at a terminal is asked; anyone else
// is told to add --yes. True to go on.
bool agreed(const ConfirmOptions& o, size_t n, Output& out) {
  if (o.yes) return true;
  if (out.in && out.in_terminal) {
    out.out << fmt::format("{} these {} steps? [y/N] ", o.fail ? "Record as failed" : "Confirm", n) << std::flush;
    std::string answer;
    std::getline(*out.in, answer);
    if (answer == "y" || answer == "Y" || answer == "yes" || answer == "YES" || answer == "Yes") return true;
    out.out << "Nothing confirmed.\n";
    return false;
  }
  out.out << fmt::format("Nothing confirmed: add --yes to {} these {} steps.\n",
                         o.fail ? "record as failed" : "confirm", n);
  return false;
}

}  // namespace

int run_confirm(const ConfirmOptions& o, Output& out) {
  if (o.all_waiting && !o.steps.empty()) {
    throw InputError({}, "--all-waiting", "name steps or give --all-waiting, not both");
  }
  if (!o.all_waiting && o.steps.empty()) {
    throw InputError({}, "STEP", "name the steps to confirm (STEP...), or give --all-waiting");
  }
  if (!o.all_waiting && !(o.site.empty() && o.kind.empty())) {
    throw InputError({}, o.site.empty() ? "--kind" : "--site",
                     "--site and --kind choose among --all-waiting; give --all-waiting with them");
  }
  run::Journal j(o.journal, false);
  if (!o.who.empty()) j.set_operator(o.who);
  std::vector<std::string> ids;
  auto steps = j.steps();
  if (o.all_waiting) {
    require_among(steps, o.journal, "--site", o.site, &run::JournalStep::site);
    require_among(steps, o.journal, "--kind", o.kind, &run::JournalStep::kind);
    for (const auto& s : steps) {
      if (s.state == run::State::waiting && (o.site.empty() || s.site == o.site) &&
          (o.kind.empty() || s.kind == o.kind)) {
        ids.push_back(s.id);
      }
    }
    if (ids.empty()) {
      out.out << "No step waits for a person" << (o.site.empty() ? "" : " in site " + o.site)
              << (o.kind.empty() ? "" : " of kind " + o.kind) << ": nothing to confirm.\n";
      return 0;
    }
  } else {
    ids = named_steps(j, o.journal, o.steps);
  }
  // Every step is checked before any is confirmed: all or none.
  for (const auto& id : ids) {
    auto s = j.step(id);
    if (s->state != run::State::waiting) {
      throw InputError({o.journal, 0, 0}, "STEP",
                       fmt::format("step '{}' is {}; only a step waiting for a person can be confirmed (nothing "
                                   "was confirmed)",
                                   id, run::to_string(s->state)));
    }
    if (s->manual && s->kind == "upgrade" && o.note.empty()) {
      throw InputError({o.journal, 0, 0}, "--note",
                       fmt::format("step '{}' is an upgrade a person did by hand: say what was done and what was "
                                   "checked with --note TEXT (nothing was confirmed)",
                                   id));
    }
  }
  if (o.all_waiting) {
    out.out << fmt::format("{} step{} wait{} for a person and would be {}:\n", ids.size(), ids.size() == 1 ? "" : "s",
                           ids.size() == 1 ? "s" : "", o.fail ? "recorded as failed" : "confirmed as done");
    for (const auto& id : ids) {
      auto s = j.step(id);
      out.out << fmt::format("  {:<36} {:<5} {:<22} {}\n", printable(id), s->site, s->kind, printable(s->title));
    }
    if (!agreed(o, ids.size(), out)) return 1;
  }
  for (const auto& id : ids) {
    j.confirm(id, o.note, o.fail);
    out.out << printable(id) << ": " << (o.fail ? "recorded as failed" : "confirmed as done")
            << (o.note.empty() ? "" : fmt::format(" (note: {})", printable(o.note))) << "\n";
  }
  say_how_to_go_on(j, out);
  return 0;
}

int run_retry(const RetryOptions& o, Output& out) {
  if (o.steps.empty()) throw InputError({}, "STEP", "name the failed steps to retry (STEP...)");
  run::Journal j(o.journal, false);
  if (!o.who.empty()) j.set_operator(o.who);
  auto ids = named_steps(j, o.journal, o.steps);
  for (const auto& id : ids) {
    if (auto s = j.step(id); s->state != run::State::failed) {
      throw InputError({o.journal, 0, 0}, "STEP",
                       fmt::format("step '{}' is {}; only a failed step can be retried (nothing was set back)", id,
                                   run::to_string(s->state)));
    }
  }
  for (const auto& id : ids) {
    j.retry(id);
    out.out << id << ": set back to pending, with the steps it had held back\n";
  }
  say_how_to_go_on(j, out);
  return 0;
}

namespace {

void register_apply_verb(CLI::App& app, Status& status) {
  auto [sub, o] =
      add_verb(app, status, "apply", "Run a plan on the twin or on real hosts, journaled and resumable", run_apply);
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
  sub->add_option("--seed", o->seed, "Twin: seed of its random choices")->check(whole_number_u64());
  sub->add_option("--faults", o->faults, "Twin: failures to inject, e.g. upgrade@PR1=fail");
  sub->add_flag_callback(
      "--no-databases", [opts = o] { opts->databases = false; },
      "Twin: do not make each primary site's database (<journal>.twin/site-databases); "
      "take the upgrade's growth from the model");
  sub->add_option("--notify", o->notify,
                  "POST every state change (and a lease taken over, and the run's end) as JSON to this "
                  "http:// or https:// URL; repeatable (default: $SMSUP_NOTIFY, URLs separated by spaces). "
                  "A failing receiver never slows the run");
  sub->add_option("--notify-header", o->notify_header,
                  "File of 'Name: value' lines sent as headers with every notification (e.g. "
                  "Authorization: Bearer ...), so that no secret is on the command line");
  sub->add_option("--notify-ca", o->notify_ca,
                  "PEM file of CA certificates (e.g. your organisation's own) that https receivers' "
                  "certificates may be signed by, trusted besides the system's CAs");
  sub->add_option("--notify-wait", o->notify_wait,
                  "Seconds apply waits at its end for notifications still queued (0 to 3600)")
      ->capture_default_str();
  sub->add_option("--notify-queue", o->notify_queue,
                  "Notifications kept per URL while the receiver lags; the oldest is dropped beyond it")
      ->capture_default_str();
}

void register_status_verb(CLI::App& app, Status& status) {
  auto [sub, o] =
      add_verb(app, status, "status", "Show the state of every step of a run, from any terminal", run_status);
  sub->add_option("--journal", o->journal, kJournalHelp)->capture_default_str();
  sub->add_option("--format", o->format, "text or json");
  sub->add_flag("--all", o->all, "List every step, not only those that need a look");
  sub->add_flag("--events", o->events, "List every state change: when, which step, what, who and from where");
  sub->add_flag("--watch", o->watch,
                "Keep watching: one process and one connection, reading only what changed at each look; on a "
                "terminal the screen is redrawn in place, otherwise a new block (or JSON line) at each change. "
                "Ends when every step succeeded, failed or was skipped (exit status as status), or on Ctrl-C");
  sub->add_option("--every", o->every, "With --watch: how often to look, e.g. 1s, 500ms, 1m (100 ms to 1 h)")
      ->capture_default_str();
}

// STEP..., --journal and --operator: what confirm and retry act on, and who acts.
void add_step_options(CLI::App* sub, std::vector<std::string>& steps, std::string& journal, std::string& who,
                      const char* step_help) {
  sub->add_option("STEP", steps, step_help);
  sub->add_option("--journal", journal, kJournalHelp)->capture_default_str();
  sub->add_option("--operator", who, "Who acts, written with the event (default user@host)");
}

void register_confirm_verb(CLI::App& app, Status& status) {
  auto [sub, o] =
      add_verb(app, status, "confirm", "Confirm that a person did manual steps (or that they failed)", run_confirm);
  add_step_options(sub, o->steps, o->journal, o->who,
                   "The ids of the steps to confirm, e.g. CEN/drw PR1/drw (each recorded as its own event)");
  sub->add_flag("--all-waiting", o->all_waiting,
                "Every step waiting for a person (narrowed by --site, --kind): lists them, then confirms "
                "after --yes or a yes typed at the terminal");
  sub->add_option("--site", o->site, "With --all-waiting: only the steps of this site code, e.g. PR1");
  sub->add_option("--kind", o->kind, "With --all-waiting: only the steps of this kind, e.g. drw");
  sub->add_flag("--yes", o->yes, "With --all-waiting: confirm without asking");
  sub->add_option("--note", o->note,
                  "What was done, for the journal, written with each step confirmed (required for a manual "
                  "upgrade)");
  sub->add_flag("--fail", o->fail, "The steps failed: stop what depends on them");
}

void register_retry_verb(CLI::App& app, Status& status) {
  auto [sub, o] = add_verb(app, status, "retry", "Set failed steps back to pending, to run again", run_retry);
  add_step_options(sub, o->steps, o->journal, o->who, "The failed steps' ids, one or more");
}

}  // namespace

void register_apply(CLI::App& app, Status& status) {
  register_apply_verb(app, status);
  register_status_verb(app, status);
  register_confirm_verb(app, status);
  register_retry_verb(app, status);
}

}  // namespace smsup::cli
