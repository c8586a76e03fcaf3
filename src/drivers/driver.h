// A driver carries out plan steps on a target (the twin, or real hosts through
// commands). The executor (run/executor.h) decides what runs when; a driver
// only starts steps, reports how they ended and, after a crash, says whether a
// step's work happened. Tests replace it with a scripted fake.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "plan/plan.h"

namespace smsup::drivers {

struct Outcome {
  bool succeeded = false;
  int exit_code = 0;        // a command's exit status; -N when killed by signal N
  std::string output_tail;  // the last lines of what the step printed
  std::string message;      // one line for people: why it failed, what it found
  double seconds = 0;       // wall time the step took
};

struct Finished {
  std::string step_id;
  Outcome outcome;
};

// What a driver can tell about a step that a killed run left `running`.
enum class Probe {
  done,      // the work happened: record the step as succeeded
  failed,    // the work happened and failed: record the step as failed
  not_done,  // nothing happened (or it was undone): run it again
  unknown,   // nobody can tell: a person must look and confirm
};

class Driver {
 public:
  virtual ~Driver() = default;

  // Refuses (InputError) a plan this driver cannot run, before anything runs:
  // a step kind with no command, a placeholder with no value.
  virtual void validate(const plan::Plan& plan) = 0;

  // What starting the step would do, for --dry-run (an argument vector, or a
  // description for targets without commands).
  virtual std::vector<std::string> describe(const plan::Step& step) = 0;

  // Called once the journal is locked, before anything runs: a target that
  // keeps state makes sure its saved state exists from here on.
  virtual void prepare() {}

  // The run ends: leave the target's saved state whole (one snapshot).
  virtual void finish() {}

  // The journal is about to sync a commit: make what the target keeps about
  // the steps so far durable too.
  virtual void sync() {}

  // The most steps this target can run at once (0: no limit of its own).
  virtual int max_parallel() const { return 0; }

  // Starts a step; it runs in the background until poll() reports it.
  // Throws only for bad input; a step that cannot start is reported by poll().
  virtual void start(const plan::Step& step) = 0;

  // Waits up to `wait` for steps to end and returns those that did.
  virtual std::vector<Finished> poll(std::chrono::milliseconds wait) = 0;

  // The step was running when an earlier run died: did its work happen?
  // May wait for work the dead run left in progress to end.
  virtual Probe probe(const plan::Step& step) = 0;

  // A person confirmed a manual step as done. Targets that keep state (the
  // twin) bring it up to date, and may report that it did not go well
  // (an outcome that failed). Idempotent: called again on resume.
  virtual std::optional<Outcome> confirmed(const plan::Step& step) {
    (void)step;
    return std::nullopt;
  }

  // Stops every step still running (the run is ending early).
  virtual void cancel_all() {}

  // Once every step succeeded: what the target is left with that the steps'
  // outcomes do not say. `failures` make the run not fine (the twin: sites
  // not at SP2, files setup deleted, problems left open on site systems, the
  // same verdict as `smsup rehearse`); `warnings` are for people (an upgrade
  // begun on a stale backup). Targets that keep no state know nothing more.
  struct Verdict {
    std::vector<std::string> failures, warnings;
  };
  virtual Verdict verdict() { return {}; }
};

}  // namespace smsup::drivers
