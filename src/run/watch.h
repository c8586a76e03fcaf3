// Watching a run: the journal as `status` shows it, kept up to date by
// reading only what changed since the last look (StatusView, used by
// `smsup status --watch` and `smsup serve`), and the watch loop itself
// (watch_status). Reads only; safe while apply runs, across lease takeovers
// and apply restarts.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "plan/plan.h"
#include "run/eta.h"
#include "run/journal.h"
#include "run/status.h"

namespace smsup::run {

// What a full read of the journal gives (steps(), the plan's facts, the
// holder), kept equal to it look after look by reading only what changed:
//
// - each look is one small query (Journal::look(): the last event's number
//   and the lock row). When no event was added, nothing else is read.
// - Every change the journal makes to a step is recorded with an event in
//   the same transaction, except two: a retry setting skipped steps back to
//   pending (the retry's own event is there: the view then reads every step
//   again), and the `armed` mark the executor puts on pending steps when it
//   starts others (read as the short list of armed pending steps).
// - So after new events the view reads those events, then only the steps
//   they name (Journal::steps_named), then the armed pending steps. More
//   than a quarter of the steps named (and more than 32), a step it does not know, an event
//   number going back (another journal under the same name) or a journal
//   with no steps yet: it reads everything again.
// - The graph and the plan's facts are fixed once bound; they are read again
//   with everything, and the plan's facts also when the apply holding the
//   lease changes (a resumed run may add the estimates to an older journal).
class StatusView {
 public:
  explicit StatusView(Journal& j);  // reads everything

  // One look. True when something `status` shows changed: a step, an event,
  // or which apply holds the lease (not its renewals: head().holder's age
  // is updated at every look all the same).
  bool refresh(Journal& j);
  // Reads everything again (after a reconnect).
  void reload(Journal& j);

  const std::vector<JournalStep>& steps() const { return steps_; }
  const StatusHead& head() const { return head_; }
  int64_t last_seq() const { return last_seq_; }
  // The ETA at `now`, as journal_eta() gives for these steps.
  std::optional<Eta> eta(double now) const;
  // Every step succeeded, failed or was skipped: nothing more happens
  // without a person (retry).
  bool finished() const;

  // What the looks cost, for tests and the benchmark.
  struct Counters {
    int64_t looks = 0;       // refresh() calls
    int64_t full_reads = 0;  // every step read (the first read included)
    int64_t partial_reads = 0;
    int64_t steps_read = 0;  // step rows read in partial reads
  };
  const Counters& counters() const { return counters_; }

 private:
  void read_head(Journal& j);

  std::vector<JournalStep> steps_;
  std::unordered_map<std::string, size_t> index_;
  StatusHead head_;
  int64_t last_seq_ = 0;
  std::optional<plan::Plan> eta_plan_;
  Counters counters_;
};

// `smsup status --watch`.
struct WatchRequest {
  std::string journal;
  std::chrono::milliseconds every{2000};
  bool json = false;      // one smsup-status/1 document per line, per change
  bool all = false;       // text: every step, as status --all
  bool color = false;     // text: colours, as status
  bool terminal = false;  // out is a terminal: the screen is redrawn in place at each tick
  int rows = 0;           // the terminal's height (0: unknown); longer screens are cut
  // How long a lost PostgreSQL connection is tried again before giving up.
  std::chrono::milliseconds reconnect_for{30000};
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  // Waits `d`; false when the watch is to stop now (SIGINT, SIGTERM).
  std::function<bool(std::chrono::milliseconds)> wait;
};

// Watches until the campaign is finished (every step succeeded, failed or
// skipped), or until wait() says stop: the exit status `status` gives then
// (0 every step succeeded, 1 otherwise); 1 when a lost PostgreSQL connection
// cannot be made again within reconnect_for. Not a terminal: a block (text)
// or a line (JSON) only when something changed, the first one at once.
// InputError as `status` (no such journal, not a journal).
int watch_status(const WatchRequest& r);

}  // namespace smsup::run
