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

#include "drivers/process.h"
#include "drivers/shell_driver.h"
#include "inventory/inventory.h"
#include "plan/plan.h"
#include "run/executor.h"
#include "run/journal.h"
#include "run/progress.h"
#include "run/target.h"
#include "util/error.h"

namespace smsup::run {

namespace fs = std::filesystem;

namespace {

std::atomic<bool> g_stop{false};

void on_signal(int) { g_stop = true; }

// The first Ctrl-C (or SIGTERM) starts nothing new and lets the running steps
// end; a second one has the default effect.
void catch_signals() {
  g_stop = false;
  struct sigaction sa{};
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
  fmt::print(*req.out, "Dry run of {} on the {}: {} steps in the order they would run; nothing runs.\n",
             req.plan_path, req.target, plan.steps.size());
  int wave = 0, n = 0;
  for (const auto& d : order) {
    if (d.wave != wave) {
      wave = d.wave;
      fmt::print(*req.out, "\nwave {} (may run at the same time):\n", wave);
    }
    std::string where = d.step->host.empty() ? "" : " on " + d.step->host;
    if (d.step->manual) {
      fmt::print(*req.out, "{:>4}. {}{}  [manual: waits for smsup confirm {}]\n", ++n, d.step->id, where,
                 d.step->id);
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
  for (const auto& r : j.steps()) {
    if (r.state == State::waiting) {
      fmt::print(*req.out, "  waiting: {}  ->  smsup confirm {} --journal {} [--note TEXT] [--fail]\n",
                 r.id, r.id, j.path());
    } else if (r.state == State::failed) {
      fmt::print(*req.out, "  failed:  {}: {}  ->  smsup retry {} --journal {}\n", r.id,
                 r.message.substr(0, r.message.find('\n')), r.id, j.path());
    }
  }
  fmt::print(*req.out, "Then go on with: smsup apply {} --journal {} --resume{}\n", req.plan_path,
             j.path(), req.target == "shell" ? " --target shell --hosts " + req.hosts_path : "");
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

  Journal journal(journal_path);
  if (!req.operator_name.empty()) journal.set_operator(req.operator_name);
  if (journal.has_plan() && !req.resume) {
    throw InputError({journal.shown(), 0, 0}, "--journal",
                     "this journal already holds a run of a plan; pass --resume to go on with it, "
                     "or name a new --journal");
  }
  if (auto old = journal.lock(req.lease)) {
    fmt::print(*req.err, "smsup: taking the journal over from pid {} on {}{}, {}\n", old->pid, old->host,
               old->who.empty() ? "" : " (" + old->who + ")",
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
    return 1;
  } catch (const store::Unavailable& e) {
    restore_signals();
    observer.reset();
    try {
      journal.check_lease_after_disconnect();
    } catch (const LeaseLost& lost) {
      fmt::print(*req.err, "smsup: {}\n", lost.what());
      return 1;
    }
    fmt::print(*req.err,
               "smsup: {}\nNo step starts without the journal. The steps already running go on; "
               "go on with: smsup apply {} --journal {} --resume\n",
               e.what(), req.plan_path, journal.path());
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
  if (!sum.all_succeeded()) return 1;
  // Every step succeeded: what the target is left with (on the twin, the
  // verdict `smsup rehearse` gives the same plan and seed).
  auto verdict = driver->verdict();
  for (const auto& w : verdict.warnings) fmt::print(*req.out, "warning: {}\n", w);
  if (verdict.failures.empty()) return 0;
  fmt::print(*req.out, "But the {} is not left as the checklist wants it:\n", req.target);
  for (const auto& f : verdict.failures) fmt::print(*req.out, "  {}\n", f);
  return 1;
}

}  // namespace smsup::run
