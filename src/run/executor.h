// Runs a plan's graph through a driver, recording every state change in the
// journal before the next action. Ready steps start in plan order, in
// parallel up to the limits; a failure stops only what depends on it; manual
// steps wait for `smsup confirm` while the rest goes on. Single-threaded: the
// driver runs steps in the background and poll() reports their ends.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "drivers/driver.h"
#include "plan/plan.h"
#include "run/journal.h"

namespace smsup::run {

struct Limits {
  int max_parallel = 4;  // steps running at once
  int per_host = 1;      // steps running at once on one host
  int per_site = 1;      // steps running at once in one site ("*" steps: no limit)
  int max_failures = 0;  // stop starting steps after this many failures; 0 = never
};

struct RunningStep {
  std::string id;
  std::string host;
  double started = 0;  // Unix seconds
};

// What a progress display needs at any moment.
struct Progress {
  int total = 0;
  int counts[6] = {};  // by State
  std::vector<RunningStep> running;
  std::vector<std::string> waiting;  // manual steps waiting for a person
  bool stopping = false;
};

class Observer {
 public:
  virtual ~Observer() = default;
  virtual void changed(const std::string& id, State state, const std::string& detail, const Progress& p) = 0;
  virtual void tick(const Progress& p) = 0;
  virtual void note(const std::string& line) = 0;  // a remark for people
};

struct Options {
  Limits limits;
  bool wait_for_people = false;  // keep running while only manual steps remain
  std::chrono::milliseconds tick{250};
  const std::atomic<bool>* stop = nullptr;  // set by a signal: start nothing new
};

struct Summary {
  int total = 0;
  int counts[6] = {};
  bool stopped_early = false;  // --max-failures or a signal
  bool all_succeeded() const { return counts[static_cast<int>(State::succeeded)] == total; }
};

class Executor {
 public:
  Executor(const plan::Plan& plan, Journal& journal, drivers::Driver& driver, Options opts, Observer* observer);
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Runs until no step can start or run any more. Steps the journal shows
  // `running` (a killed run) are first resolved by asking the driver.
  Summary run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The order a run would follow if every step succeeded: waves of steps that
// could run at the same time, each with what its driver would do.
struct DryRunStep {
  int wave = 0;
  const plan::Step* step = nullptr;
  std::vector<std::string> action;
};
std::vector<DryRunStep> dry_run(const plan::Plan& plan, drivers::Driver& driver);

}  // namespace smsup::run
