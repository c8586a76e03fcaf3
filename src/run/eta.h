// When a campaign will end: per site, per wave and for the whole run, from the
// plan's estimates corrected by what this journal has already observed. A step
// kind whose finished steps took 40 % longer than their estimate makes its
// remaining steps 40 % longer. Rehearsal durations, when given, replace the
// plan's estimates as the base. Pure: the caller reads the journal and plan.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "plan/plan.h"
#include "run/journal.h"

namespace smsup::run {

struct KindFactor {
  std::string kind;
  int observed = 0;        // finished steps of this kind with both times
  double planned_min = 0;  // their base durations, summed
  double actual_min = 0;   // their observed durations, summed
  double factor = 1;       // actual / planned (1 when nothing observed)
};

struct PartEta {
  std::string name;          // site code, or wave number as text
  int steps = 0, done = 0;   // done: succeeded or skipped
  double remaining_min = 0;  // from now until its last step ends
  double finish = 0;         // Unix seconds
};

struct Eta {
  double now = 0;  // Unix seconds the estimate was made at
  double remaining_min = 0;
  double finish = 0;              // Unix seconds
  bool complete = false;          // every step succeeded
  int failed = 0;                 // failed steps: the estimate assumes each is retried now
  std::string base;               // "plan estimates" or "rehearsal durations"
  std::vector<KindFactor> kinds;  // only kinds with an observation
  std::vector<PartEta> sites;     // in plan order of first appearance
  std::vector<PartEta> waves;     // ascending
};

// `rehearsal_min` maps a step id to its rehearsed duration in minutes (may be
// empty). Journal steps not in the plan are ignored; plan steps the journal
// does not hold count as pending.
Eta estimate(const plan::Plan& plan, const std::vector<JournalStep>& steps, double now,
             const std::map<std::string, double>& rehearsal_min = {});

// The step durations of a rehearsal JSON (format smsup-rehearsal/1), by id.
std::map<std::string, double> rehearsal_durations(const nlohmann::json& rehearsal);

// The plan as a journal holds it: its steps in order (as `steps` were read
// from it), their edges and the estimates written when it was bound; all
// estimate() uses of a plan. nullopt for a journal bound before smsup kept
// the estimates.
std::optional<plan::Plan> journal_plan(const Journal& j, const std::vector<JournalStep>& steps);

// The ETA of a journal, from its steps as already read: from the plan it
// holds (journal_plan), or for an older journal from its plan file as bound
// while that can be read; nullopt when neither.
std::optional<Eta> journal_eta(const Journal& j, const std::vector<JournalStep>& steps, double now);

// The whole run's ETA kept up to date event by event (apply --notify): the
// same finish as estimate() gives for the journal's steps, without reading
// the journal again for each event. apply() takes one event this process
// wrote; it returns false when the event's number is not the next one (an
// event another process wrote came between, e.g. a confirm): then reset()
// from the journal's steps.
class EtaTracker {
 public:
  // Throws std::invalid_argument when the plan's graph cannot be scheduled.
  EtaTracker(const plan::Plan& plan, const std::vector<JournalStep>& steps, int64_t last_seq = 0);
  void reset(const std::vector<JournalStep>& steps, int64_t last_seq = 0);
  bool apply(const Event& e);
  // Unix seconds the run is expected to end, as estimated at `now`.
  double finish(double now) const;

 private:
  struct Step {
    State state = State::pending;
    double started = 0, finished = 0;
  };
  std::vector<double> base_;             // per plan step, minutes
  std::vector<int> kind_;                // per plan step, index of its kind
  std::vector<std::vector<int>> preds_;  // per plan step
  std::vector<int> order_;               // a topological order
  std::map<std::string, int, std::less<>> index_;
  std::vector<Step> steps_;
  int kinds_ = 0;
  int64_t last_seq_ = 0;  // 0: take the next event as it comes
};

nlohmann::json to_json(const Eta& e);
std::string to_text(const Eta& e);

}  // namespace smsup::run
