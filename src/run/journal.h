// The journal of a run (shared/spec/apply.md): every step's state, attempts,
// times, output tails and notes, in SQLite (a file; WAL; promises synced with
// FULL, other changes NORMAL: see record()) or PostgreSQL (a schema per
// campaign; promises with synchronous_commit on, other changes off), so that
// a run killed at any instant can go on with --resume. Every state change is
// one committed transaction (or one batch of changes decided together) before
// the next action starts. Other processes (status, confirm, retry), on this
// host or others, read and write the same journal while apply runs; the lock
// row is a lease that keeps out a second apply while its holder renews it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "drivers/driver.h"
#include "plan/plan.h"
#include "run/cascade.h"
#include "run/state.h"
#include "run/store.h"

namespace smsup::run {

// One step as the journal holds it: its state and the facts of its attempts.
struct JournalStep {
  std::string id;
  std::string kind, site, host, title;
  bool manual = false;
  State state = State::pending;
  int attempts = 0;
  double started = 0;   // Unix seconds; 0 = never
  double finished = 0;  // 0 = not finished
  int exit_code = 0;
  std::string output_tail;
  std::string message;  // why it failed / waits / was skipped
  std::string note;     // a person's note from `confirm`
  std::string how;      // who set the last state: driver, probe, confirm, retry, executor
  bool armed = false;   // may start without a synced record (see record())
  std::vector<std::string> after;
};

// One state change, as the executor decides it.
struct Change {
  Change(std::string id_, State state_, std::string how_ = "executor", std::string message_ = "",
         std::optional<drivers::Outcome> outcome_ = std::nullopt)
      : id(std::move(id_)),
        state(state_),
        how(std::move(how_)),
        message(std::move(message_)),
        outcome(std::move(outcome_)) {}
  std::string id;
  State state = State::pending;
  std::string how = "executor";
  std::string message;
  std::optional<drivers::Outcome> outcome;  // for succeeded/failed from a driver
};

struct LockHolder {
  int64_t pid = 0;
  std::string host;
  double since = 0;
  std::string who;     // the operator of that apply
  double renewed = 0;  // last heartbeat, by the store's clock
  double lease = 0;    // seconds a heartbeat keeps it
  double age = 0;      // seconds since that heartbeat, by the store's clock
};

// One line of the journal's history: a state change (or a lease taken over,
// step "" and state "takeover"), who made it and from which host.
struct Event {
  int64_t seq = 0;
  double at = 0;
  std::string step, state, how, detail, who, origin;
};

// The apply that held the journal's lease found it taken by another (its
// heartbeat stopped for longer than the lease, e.g. a paused process): it
// starts nothing more.
struct LeaseLost : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What the journal reads the time from, so that tests can make it jump.
// Lease expiry is judged by the store's own clock (store.h, Conn::now()), so
// a jump of this machine's wall clock never expires a live lease on
// PostgreSQL; the holder's own deadline is judged by `steady`.
struct Clock {
  virtual ~Clock() = default;
  virtual double wall();  // Unix seconds: times written in the journal
  virtual std::chrono::steady_clock::time_point steady();
};

class Journal {
 public:
  // Opens the journal that `journal` names (store.h, parse_spec()): an
  // SQLite file, or a campaign in a PostgreSQL database. With `create`
  // (apply), makes a new journal where there is none (no file, an empty
  // file, a campaign without tables). InputError when it is not a journal,
  // or one written by a newer smsup; store::Unavailable when PostgreSQL
  // cannot be reached.
  explicit Journal(const std::string& journal, bool create = true);
  // Opens an existing journal only to read it (status --watch): an SQLite
  // file read-only, nothing written on either engine. A journal of an older
  // schema, which opening would bring up to date, is refused (InputError).
  struct ReadOnly {};
  Journal(const std::string& journal, ReadOnly);
  ~Journal();

  const std::string& path() const { return path_; }         // as named
  const std::string& shown() const { return spec_.shown; }  // for messages: no password
  store::Engine engine() const { return spec_.engine; }
  const store::Spec& spec() const { return spec_; }
  bool has_plan() const;
  // Each step's estimate in minutes, in plan order, as bound: what the ETA
  // needs from the plan besides the steps and edges the journal holds, so
  // that `status` need not parse the plan file (a 15,000-step plan is 17 MB
  // of JSON). nullopt for a journal bound before smsup kept them.
  std::optional<std::vector<double>> step_estimates() const;
  std::string meta(std::string_view key) const;  // "" when absent
  // Sets one meta value (e.g. "go_on": the command that goes on with the
  // run, written by each apply), replacing what was there.
  void set_meta(std::string_view key, std::string_view value);

  // Who makes the changes this object records (--operator; default
  // user@host), written with every event.
  void set_operator(std::string who) { who_ = std::move(who); }
  const std::string& operator_name() const { return who_; }
  void set_clock(std::shared_ptr<Clock> c) { clock_ = std::move(c); }
  // Called with every event this object records, once its transaction has
  // committed, in order (apply --notify, notify.h). Must not block.
  void on_event(std::function<void(const Event&)> f) { on_event_ = std::move(f); }

  // Records the plan on a new journal; on one that has a plan, refuses
  // (InputError) a plan with another digest.
  void bind(const plan::Plan& plan, const std::string& digest, const std::string& plan_path, const std::string& target);

  // Takes the lease for this process, valid `lease` seconds from each
  // renewal. Refuses (InputError naming the holder's pid, host and operator)
  // while another apply holds a lease it renews; takes over a lease not
  // renewed within its length, or left by a process of this host that no
  // longer runs, recording the takeover as an event, and returns that holder.
  std::optional<LockHolder> lock(double lease = 60);
  void unlock();
  std::optional<LockHolder> holder() const;
  // Renews the lease from a thread of its own (its own connection) every
  // `every` (default: a fifth of the lease, at most 10 s).
  void start_heartbeat(std::chrono::milliseconds every = std::chrono::milliseconds(0));
  void stop_heartbeat();
  // Before a step starts: LeaseLost when the lease was taken, or when it
  // cannot be confirmed ours within half a lease (a renewal is made then).
  void check_lease();
  // After the store's connection was lost while this process held the lease
  // (PostgreSQL): LeaseLost, naming the new holder, when another apply holds
  // it now. The server ends a session left inside a transaction for longer
  // than a lease (lock()), so a process paused there and taken over first
  // sees a lost connection. Returns when the lease is still this process's,
  // or when the server cannot be asked.
  void check_lease_after_disconnect();

  std::vector<JournalStep> steps() const;
  std::optional<JournalStep> step(std::string_view id) const;

  // For a watcher (status --watch, serve; watch.h), in one small query: the
  // number of the last event and the apply holding the lease (as holder()).
  struct Look {
    int64_t last_seq = 0;
    std::optional<LockHolder> holder;
  };
  Look look() const;
  // The steps named, without their edges (fixed once bound), in no
  // particular order; ids the journal does not hold are left out. One query
  // per 32 ids.
  std::vector<JournalStep> steps_named(const std::vector<std::string>& ids) const;
  // The steps marked armed that are still pending: the mark is the one
  // change record() makes to a step without an event (the executor arms
  // pending steps only, in the commit that starts others).
  std::vector<std::string> armed_pending() const;
  // The history, oldest first: events with seq > `after`, at most `limit`
  // (all when negative).
  std::vector<Event> events(int64_t after = 0, int64_t limit = -1) const;

  // Commits the changes as one transaction (with a history event each). A
  // failed step skips what cascade() says it stops. Durable (synced) when it
  // starts a step, otherwise not (see the next form).
  void record(const std::vector<Change>& changes);
  void record(const Change& c) { record(std::vector<Change>{c}); }

  // The executor's form. Durability is about promises: a step may start only
  // once a durable record says it may have (its `running`, or an earlier
  // `armed` mark). `durable` syncs this commit, which also marks `arm` (steps
  // about to become ready) armed, so that their own starts need no sync.
  // Other commits survive a killed process (SQLite: the WAL is in the OS
  // cache; PostgreSQL: the server has them); a power loss of the store's
  // machine may lose them, which lock() detects (another boot id, another
  // server start) and then every armed step still pending is asked about
  // like a running one. While this process holds the lease, the commit also
  // renews it, or fails with LeaseLost (nothing written) when it was taken.
  void record(const std::vector<Change>& changes, const std::vector<std::string>& arm, bool durable);

  // After lock(): the last holder died with the store's machine (power loss,
  // OS crash, server restart), so commits not synced may be lost.
  bool rebooted() const { return rebooted_; }

  // `smsup confirm`: a step waiting for a person becomes succeeded (or failed).
  void confirm(std::string_view id, const std::string& note, bool fail);
  // `smsup retry`: a failed step becomes pending again, with the steps it had
  // skipped (unless they also depend on another failed step). `detail` goes
  // to the history event (who asked, from where).
  void retry(std::string_view id, std::string_view detail = "");

  // Makes every change so far durable.
  void flush();

  // Copies this journal's plan, steps, graph and events into `target`, a
  // journal with no plan yet, in one transaction (journal_copy.h).
  struct Copied {
    size_t steps = 0, edges = 0, events = 0;
  };
  Copied copy_into(Journal& target) const;

  // True when another process committed a change since the last call.
  bool changed_elsewhere();

 private:
  void open_sqlite(bool create);
  void require_current_schema();
  void open_postgresql(bool create);
  void create_schema();
  void check_is_journal();
  // The plan's graph as bound, read once (cascade.h).
  const Waits& waits();
  void apply_cascade(double now, bool reword);
  void add_event(std::string_view id, std::string_view state, std::string_view how, std::string_view detail,
                 double now);
  // In a transaction: renews this process's lease; false when it was taken.
  bool renew(store::Conn& c);
  // Throws LeaseLost naming the holder, read through `asked` (default: the
  // journal's own connection).
  [[noreturn]] void lease_lost(store::Conn* asked = nullptr);
  double now() const { return clock_->wall(); }
  // Hands the events of the transaction just committed to on_event_.
  void publish();

  std::string path_;
  store::Spec spec_;
  std::unique_ptr<store::Conn> db_;
  std::shared_ptr<Clock> clock_;
  std::string who_;
  bool rebooted_ = false;
  std::function<void(const Event&)> on_event_;
  std::vector<Event> unpublished_;  // recorded in the open transaction
  std::vector<std::string> ids_;    // steps in plan order, for waits_
  Waits waits_;

  // The lease this process holds ("" none).
  std::string token_;
  double lease_ = 0;
  std::atomic<int64_t> confirmed_{0};  // steady ns of the last renewal sent
  std::atomic<bool> lost_{false};
  std::thread heartbeat_;
  std::mutex hb_mu_;
  std::condition_variable hb_cv_;
  bool hb_stop_ = false;
};

// The default operator name: user@host.
std::string default_operator();

// Current wall time as Unix seconds (what the journal stores).
double now_seconds();
// ISO 8601 UTC for a Unix time, "-" for 0.
std::string iso_time(double t);

}  // namespace smsup::run
