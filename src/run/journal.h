// The journal of a run (shared/spec/apply.md): every step's state, attempts,
// times, output tails and notes, in SQLite (WAL; promises synced with FULL,
// other changes NORMAL: see record()), so that a
// run killed at any instant can go on with --resume. Every state change is one
// committed transaction (or one batch of changes decided together) before the
// next action starts. Other processes (status, confirm, retry) read and write
// the same file while apply runs; the lock row keeps out a second apply.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "drivers/driver.h"
#include "plan/plan.h"
#include "run/cascade.h"
#include "run/sqlite.h"
#include "run/state.h"

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
  bool armed = false;  // may start without a synced record (see record())
  std::vector<std::string> after;
};

// One state change, as the executor decides it.
struct Change {
  Change(std::string id_, State state_, std::string how_ = "executor", std::string message_ = "",
         std::optional<drivers::Outcome> outcome_ = std::nullopt)
      : id(std::move(id_)), state(state_), how(std::move(how_)), message(std::move(message_)),
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
};

class Journal {
 public:
  // Opens (or creates) the journal file. InputError when the file is not a
  // journal (or cannot be opened).
  explicit Journal(const std::string& path, bool create = true);

  const std::string& path() const { return path_; }
  bool has_plan() const;
  std::string meta(std::string_view key) const;  // "" when absent

  // Records the plan on a new journal; on one that has a plan, refuses
  // (InputError) a plan with another digest.
  void bind(const plan::Plan& plan, const std::string& digest, const std::string& plan_path,
            const std::string& target);

  // Takes the lock for this process. Refuses (InputError naming the holder's
  // pid and host) while another live process holds it; takes over a lock left
  // by a process that no longer runs, returning that holder.
  std::optional<LockHolder> lock();
  void unlock();
  std::optional<LockHolder> holder() const;

  std::vector<JournalStep> steps() const;
  std::optional<JournalStep> step(std::string_view id) const;

  // Commits the changes as one transaction (with a history event each). A
  // failed step skips what cascade() says it stops. Synced to disk
  // (synchronous=FULL) when it starts a step, otherwise NORMAL.
  void record(const std::vector<Change>& changes);
  void record(const Change& c) { record(std::vector<Change>{c}); }

  // The executor's form. Durability is about promises: a step may start only
  // once a synced record says it may have (its `running`, or an earlier
  // `armed` mark). `durable` syncs this commit, which also marks `arm` (steps
  // about to become ready) armed, so that their own starts need no sync.
  // NORMAL commits survive a killed process (the WAL is in the OS cache); a
  // power loss may lose them, which lock() detects (another boot id) and
  // then every armed step still pending is asked about like a running one.
  void record(const std::vector<Change>& changes, const std::vector<std::string>& arm,
              bool durable);

  // After lock(): the last holder died with the machine (power loss, OS
  // crash), so commits it had not synced may be lost.
  bool rebooted() const { return rebooted_; }

  // `smsup confirm`: a step waiting for a person becomes succeeded (or failed).
  void confirm(std::string_view id, const std::string& note, bool fail);
  // `smsup retry`: a failed step becomes pending again, with the steps it had
  // skipped (unless they also depend on another failed step).
  void retry(std::string_view id);

  // Makes every change so far durable (a checkpoint with a sync).
  void flush();

  // True when another process committed a change since the last call.
  bool changed_elsewhere();

 private:
  void create_schema();
  void check_is_journal();
  void set_sync(bool full);
  // The plan's graph as bound, read once (cascade.h).
  const Waits& waits();
  void apply_cascade(double now, bool reword);
  void add_event(std::string_view id, State s, std::string_view how, std::string_view detail,
                 double now);

  std::string path_;
  std::unique_ptr<sql::Db> db_;
  int64_t data_version_ = -1;
  bool synced_ = true;  // synchronous=FULL in effect
  bool rebooted_ = false;
  std::vector<std::string> ids_;  // steps in plan order, for waits_
  Waits waits_;
};

// Current wall time as Unix seconds (what the journal stores).
double now_seconds();
// ISO 8601 UTC for a Unix time, "-" for 0.
std::string iso_time(double t);

}  // namespace smsup::run
