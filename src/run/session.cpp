#include "run/session.h"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>
#include <openssl/evp.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "drivers/preflight.h"
#include "drivers/process.h"
#include "drivers/shell_driver.h"
#include "inventory/inventory.h"
#include "plan/plan.h"
#include "run/executor.h"
#include "run/journal.h"
#include "run/journal_host.h"
#include "run/eta.h"
#include "run/notify.h"
#include "run/progress.h"
#include "run/target.h"
#include "util/error.h"
#include "util/printable.h"
#include "util/shell_quote.h"

namespace smsup::run {

namespace fs = std::filesystem;

namespace {

std::atomic<bool> g_stop{false};

void on_signal(int) { g_stop = true; }

// The first Ctrl-C (or SIGTERM) starts nothing new and lets the running steps
// end; a second one has the default effect.
void catch_signals() {
  g_stop = false;
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sa.sa_flags = SA_RESETHAND;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

void restore_signals() {
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
}

std::string hex_sha256(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr);
  std::string out;
  for (unsigned i = 0; i < n; ++i) out += fmt::format("{:02x}", md[i]);
  return out;
}

void print_dry_run(const ApplyRequest& req, const plan::Plan& plan, drivers::Driver& driver) {
  auto order = dry_run(plan, driver);
  fmt::print(*req.out, "Dry run of {} on the {}: {} steps in the order they would run; nothing runs.\n", req.plan_path,
             req.target, plan.steps.size());
  int wave = 0, n = 0;
  for (const auto& d : order) {
    if (d.wave != wave) {
      wave = d.wave;
      fmt::print(*req.out, "\nwave {} (may run at the same time):\n", wave);
    }
    std::string where = d.step->host.empty() ? "" : " on " + d.step->host;
    if (d.step->manual) {
      fmt::print(*req.out, "{:>4}. {}{}  [manual: waits for smsup confirm {}]\n", ++n, d.step->id, where,
                 shell_quote(d.step->id));
    } else {
      // A process prints as the exact argument vector; a timer or a log
      // reading (no process) as words.
      bool words = !d.action.empty() && d.action[0].starts_with("(");
      fmt::print(*req.out, "{:>4}. {}{}\n      {}\n", ++n, d.step->id, where,
                 words ? fmt::format("{}", fmt::join(d.action, " ")) : drivers::quoted(d.action));
    }
  }
}

void print_summary(const ApplyRequest& req, const Summary& s, const Journal& j) {
  auto c = [&](State st) { return s.counts[static_cast<int>(st)]; };
  fmt::print(*req.out, "\n{} steps: {} succeeded, {} failed, {} skipped, {} waiting for a person, {} not run\n",
             s.total, c(State::succeeded), c(State::failed), c(State::skipped), c(State::waiting),
             c(State::pending) + c(State::running));
  if (s.all_succeeded()) {
    fmt::print(*req.out, "All steps succeeded. Journal: {}\n", j.path());
    return;
  }
  int waiting = 0;
  bool upgrade_waits = false;
  for (const auto& r : j.steps()) {
    if (r.state == State::waiting) {
      ++waiting;
      bool needs_note = r.manual && r.kind == "upgrade";
      upgrade_waits = upgrade_waits || needs_note;
      fmt::print(*req.out, "  waiting: {}  ->  {}{}\n", printable(r.id), printable(confirm_command(j, r.id)),
                 needs_note ? "   (a manual upgrade: add --note TEXT saying what was done and checked)" : "");
    } else if (r.state == State::failed) {
      fmt::print(*req.out, "  failed:  {}: {}  ->  {}\n", printable(r.id),
                 printable(r.message.substr(0, r.message.find('\n'))), printable(retry_command(j, r.id)));
    }
  }
  if (waiting > 0) {
    fmt::print(*req.out, "  (confirm takes --note TEXT for the journal, and --fail when the step failed)\n");
  }
  if (waiting > 1 && !upgrade_waits) {
    fmt::print(*req.out, "Confirm all {} at once with: {}\n", waiting,
               shell_join({"smsup", "confirm", "--all-waiting", "--journal", j.spec().retype, "--yes"}));
  }
  fmt::print(*req.out, "Then go on with: {}\n", shell_join(go_on_argv(req, j.path())));
  if (s.stopped_early) fmt::print(*req.out, "(the run was stopped before every step could start)\n");
}

// A run goes on where it began: on the same target, and on the twin only
// with the twin's saved state.
void check_same_target(const Journal& journal, const ApplyRequest& req, const std::string& path) {
  if (!journal.has_plan()) return;
  std::string was = journal.meta("target");
  if (was != req.target) {
    throw InputError({path, 0, 0}, "--target",
                     fmt::format("this run began on the {} target; resume it with --target {}", was, was));
  }
  if (req.target != "twin" || fs::exists(path + ".twin/twin-state.json")) return;
  for (const auto& r : journal.steps()) {
    if (r.attempts > 0) {
      throw InputError({path + ".twin/twin-state.json", 0, 0}, "--journal",
                       "the twin's saved state for this run is missing; it cannot go on without it");
    }
  }
}

}  // namespace

namespace {

std::string absolute_path(const std::string& p) {
  if (p.empty()) return p;
  std::error_code ec;
  auto a = fs::absolute(p, ec);
  return ec ? p : a.lexically_normal().string();
}

}  // namespace

std::vector<std::string> go_on_argv(const ApplyRequest& req, const std::string& journal_path) {
  auto spec = store::parse_spec(journal_path);
  std::vector<std::string> a{"smsup", "apply", absolute_path(req.plan_path), "--journal", spec.retype, "--resume"};
  auto add = [&](std::string opt, std::string value) {
    a.push_back(std::move(opt));
    a.push_back(std::move(value));
  };
  if (req.target != "twin") add("--target", req.target);
  if (!req.hosts_path.empty()) add("--hosts", absolute_path(req.hosts_path));
  if (!req.inventory_path.empty()) add("--inventory", absolute_path(req.inventory_path));
  // A PostgreSQL journal's local files default to a folder of the current
  // one: name it, so that the run goes on with them from anywhere.
  if (spec.engine == store::Engine::postgresql) {
    add("--work-dir", absolute_path(req.work_dir.empty() ? "smsup-" + spec.campaign : req.work_dir));
  }
  if (req.lease != 60) add("--lease", fmt::format("{}", req.lease));
  if (req.max_parallel) add("--max-parallel", std::to_string(*req.max_parallel));
  if (req.max_failures != 0) add("--max-failures", std::to_string(req.max_failures));
  if (req.per_site != 1) add("--per-site", std::to_string(req.per_site));
  if (req.wait) a.push_back("--wait");
  if (req.force) a.push_back("--force");
  if (req.target == "shell") {
    if (!req.preflight) a.push_back("--no-preflight");
    if (!req.smb.auth_file.empty()) add("--smb-auth", absolute_path(req.smb.auth_file));
    if (req.smb.client.timeout != smb::ClientOptions{}.timeout) {
      add("--smb-timeout", fmt::format("{}ms", req.smb.client.timeout.count()));
    }
  }
  // Where notices go (a URL, never a secret: headers come from a file).
  for (const auto& url : req.notify) add("--notify", url);
  if (!req.notify_header.empty()) add("--notify-header", absolute_path(req.notify_header));
  if (!req.notify_ca.empty()) add("--notify-ca", absolute_path(req.notify_ca));
  if (req.target == "twin") {
    if (req.seed != 1) add("--seed", std::to_string(req.seed));
    if (!req.faults.empty()) add("--faults", req.faults);
    if (!req.databases) a.push_back("--no-databases");
  }
  return a;
}

std::string go_on_command(const Journal& j) {
  if (auto kept = j.meta("go_on"); !kept.empty()) return kept;
  std::vector<std::string> a{"smsup", "apply", j.meta("plan_path"), "--journal", j.spec().retype, "--resume"};
  if (std::string t = j.meta("target"); !t.empty() && t != "twin") {
    a.push_back("--target");
    a.push_back(t);
  }
  return shell_join(a);
}

std::string confirm_command(const Journal& j, const std::string& id) {
  return shell_join({"smsup", "confirm", id, "--journal", j.spec().retype});
}

std::string retry_command(const Journal& j, const std::string& id) {
  return shell_join({"smsup", "retry", id, "--journal", j.spec().retype});
}

std::string plan_digest_of(const std::string& plan_json) { return hex_sha256(plan_json); }

std::string default_journal(const std::string& plan_path) {
  if (const char* e = std::getenv("SMSUP_JOURNAL"); e && *e) return e;
  return (fs::path(plan_path).parent_path() / "smsup-journal.db").string();
}

std::string default_journal() {
  if (const char* e = std::getenv("SMSUP_JOURNAL"); e && *e) return e;
  return "smsup-journal.db";
}

std::string local_base(const std::string& journal, const std::string& work_dir) {
  auto spec = store::parse_spec(journal);
  if (spec.engine == store::Engine::sqlite) return journal;
  fs::path dir = work_dir.empty() ? fs::path("smsup-" + spec.campaign) : fs::path(work_dir);
  fs::create_directories(dir);
  return (dir / "journal").string();
}

int run_apply(const ApplyRequest& req) {
  plan::Plan plan = plan::load(req.plan_path);
  if (req.target != "twin" && req.target != "shell") {
    throw InputError({}, "--target", fmt::format("'{}' is not a target; expected twin or shell", req.target));
  }
  std::string journal_path = req.journal_path.empty() ? default_journal(req.plan_path) : req.journal_path;
  if (!(req.lease >= 1 && req.lease <= 86400)) {
    throw InputError({}, "--lease", fmt::format("{} s is not a lease; expected 1 to 86400 seconds", req.lease));
  }
  bool sqlite = store::parse_spec(journal_path).engine == store::Engine::sqlite;
  std::string base = sqlite ? journal_path : local_base(journal_path, req.work_dir);
  if (req.target == "twin" && sqlite && !fs::exists(journal_path) && fs::exists(journal_path + ".twin")) {
    throw InputError({journal_path + ".twin", 0, 0}, "--journal",
                     "a twin from an earlier run is here but its journal is gone; remove the folder "
                     "(or name another --journal) to start on a fresh twin");
  }
  auto inv = load_plan_inventory(req, plan);
  auto driver = make_driver(req, plan, inv.get(), base, sqlite ? "" : store::parse_spec(journal_path).shown);
  driver->validate(plan);
  if (req.dry_run) {
    print_dry_run(req, plan, *driver);
    return 0;
  }
  if (req.target == "shell" && req.preflight) {
    // Every host reachable and every program here before anything runs: a
    // wrong password or a missing tool found now, not hours into the run.
    auto probes = drivers::system_probes(req.smb);
    auto report = drivers::preflight(plan, drivers::load_hosts(req.hosts_path), inv.get(), *probes);
    if (!report.ok()) {
      *req.err << drivers::preflight_text(report);
      throw InputError({req.hosts_path, 0, 0}, "--target shell",
                       fmt::format("the preflight found {} problem(s) (above); nothing was started. Fix them "
                                   "(smsup hosts check shows them again), or start anyway with --no-preflight",
                                   report.failures()));
    }
  }

  // --notify: senders start before the journal is opened, so that a lease
  // taken over is sent too; they outlive it.
  std::unique_ptr<HttpNotifier> notifier;
  if (!req.notify.empty()) {
    auto spec = store::parse_spec(journal_path);
    NotifyOptions no;
    no.urls = req.notify;
    if (!req.notify_header.empty()) no.headers = read_notify_headers(req.notify_header);
    no.campaign = sqlite ? spec.shown : spec.campaign;
    no.ca_file = req.notify_ca;
    no.queue = req.notify_queue;
    notifier = std::make_unique<HttpNotifier>(std::move(no));
  }
  // At every way out of the run: the senders get a bounded time to deliver
  // what is queued, and what became of the notices is said.
  auto finish_notify = [&](std::ostream& to) {
    if (!notifier) return;
    auto wait = std::chrono::milliseconds(static_cast<int64_t>(req.notify_wait * 1000));
    to << notify_summary(notifier->finish(wait));
  };

  Journal journal(journal_path);
  // Each notice carries the run's ETA, kept up to date from the events this
  // apply writes; the steps are read again only when another process wrote
  // in between (a confirm, a retry). None before the plan is bound (a lease
  // taken over).
  std::unique_ptr<EtaTracker> eta;
  if (notifier) {
    journal.on_event([n = notifier.get(), &eta, &journal](const Event& e) {
      std::optional<double> finish;
      if (eta) {
        if (!eta->apply(e)) eta->reset(journal.steps(), e.seq);
        finish = eta->finish(e.at);
      }
      n->send(e, finish);
    });
  }
  if (!req.operator_name.empty()) journal.set_operator(req.operator_name);
  if (journal.has_plan() && !req.resume) {
    throw InputError({journal.shown(), 0, 0}, "--journal",
                     "this journal already holds a run of a plan; pass --resume to go on with it, "
                     "or name a new --journal");
  }
  if (auto old = journal.lock(req.lease)) {
    fmt::print(*req.err, "smsup: taking the journal over from pid {} on {}{}, {}\n", old->pid, printable(old->host),
               old->who.empty() ? "" : " (" + printable(old->who) + ")",
               old->lease > 0 && old->age > old->lease
                   ? fmt::format("whose lease ran out {:.0f} s ago", old->age - old->lease)
                   : std::string("which no longer runs"));
  }
  struct Unlock {
    Journal& j;
    ~Unlock() {
      try {
        j.unlock();
      } catch (...) {
      }
    }
  } unlock{journal};
  journal.start_heartbeat();
  check_same_target(journal, req, base);
  journal.bind(plan, plan_digest_of(plan::to_json(plan).dump()), req.plan_path, req.target);
  journal.set_meta("go_on", shell_join(go_on_argv(req, journal.path())));
  if (notifier) {
    try {
      eta = std::make_unique<EtaTracker>(plan, journal.steps());
    } catch (const std::invalid_argument&) {
      // A graph that cannot be scheduled has no ETA; the notices say null.
    }
  }
  attach_journal(*driver, journal);
  driver->prepare();

  Options opts;
  opts.limits.max_parallel = req.max_parallel.value_or(std::max(1, plan.options.max_parallel));
  if (int cap = driver->max_parallel(); cap > 0) opts.limits.max_parallel = std::min(opts.limits.max_parallel, cap);
  opts.limits.max_failures = req.max_failures;
  opts.limits.per_site = req.per_site;
  opts.wait_for_people = req.wait;
  opts.stop = &g_stop;
  bool terminal = !req.plain && req.terminal;
  auto observer = terminal ? make_terminal_progress(*req.out, journal_path) : make_plain_progress(*req.out);
  catch_signals();
  Summary sum;
  try {
    Executor ex(plan, journal, *driver, opts, observer.get());
    sum = ex.run();
  } catch (const LeaseLost& e) {
    // Another apply holds the journal now: write nothing more, start nothing.
    restore_signals();
    observer.reset();
    fmt::print(*req.err, "smsup: {}\n", e.what());
    finish_notify(*req.err);
    return 1;
  } catch (const store::Unavailable& e) {
    restore_signals();
    observer.reset();
    try {
      journal.check_lease_after_disconnect();
    } catch (const LeaseLost& lost) {
      fmt::print(*req.err, "smsup: {}\n", lost.what());
      finish_notify(*req.err);
      return 1;
    }
    fmt::print(*req.err,
               "smsup: {}\nNo step starts without the journal. The steps already running go on; "
               "go on with: {}\n",
               e.what(), shell_join(go_on_argv(req, journal.path())));
    finish_notify(*req.err);
    return 1;
  } catch (...) {
    restore_signals();
    throw;
  }
  restore_signals();
  driver->finish();
  journal.flush();
  observer.reset();
  print_summary(req, sum, journal);
  int status = sum.all_succeeded() ? 0 : 1;
  if (status == 0) {
    // Every step succeeded: what the target is left with (on the twin, the
    // verdict `smsup rehearse` gives the same plan and seed).
    auto verdict = driver->verdict();
    for (const auto& w : verdict.warnings) fmt::print(*req.out, "warning: {}\n", w);
    if (!verdict.failures.empty()) {
      fmt::print(*req.out, "But the {} is not left as the checklist wants it:\n", req.target);
      for (const auto& f : verdict.failures) fmt::print(*req.out, "  {}\n", f);
      status = 1;
    }
  }
  if (notifier) {
    // The run's end is no journal event (seq 0): what a receiver waits for.
    auto c = [&](State st) { return sum.counts[static_cast<int>(st)]; };
    Event end{
        0,
        now_seconds(),
        "",
        "finished",
        "executor",
        fmt::format("{} steps: {} succeeded, {} failed, {} skipped, {} waiting for a person, {} not run{}", sum.total,
                    c(State::succeeded), c(State::failed), c(State::skipped), c(State::waiting),
                    c(State::pending) + c(State::running),
                    sum.all_succeeded() && status != 0 ? "; the target is not left as the checklist wants it" : ""),
        journal.operator_name(),
        hostname()};
    // Read once more: another process may have written after this apply's last event.
    if (eta) eta->reset(journal.steps());
    notifier->send(end, eta ? std::optional<double>(eta->finish(end.at)) : std::nullopt);
    finish_notify(*req.out);
  }
  return status;
}

}  // namespace smsup::run
