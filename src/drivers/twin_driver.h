// The twin driver: steps run on the twin (shared/spec/twin.md), in virtual
// time, at once, one after the other. The twin's state is kept beside the
// journal (a snapshot and a log of the steps run since, replayed on load), so
// a resumed run finds the twin as the killed run left it, and the twin itself
// says whether a step found `running` happened.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "drivers/driver.h"
#include "model/hierarchy.h"
#include "plan/plan.h"

namespace smsup::drivers {

struct TwinDriverOptions {
  const Hierarchy* inventory = nullptr;
  const plan::Plan* plan = nullptr;  // replays the steps logged since the last snapshot
  uint64_t seed = 1;
  std::string faults;      // --faults spec
  bool databases = true;   // each primary site's database in <logs_dir>/site-databases
  std::string as_of;       // the plan's reference date: the twin's clock starts there
  std::string state_path;  // <journal>.twin/twin-state.json (and steps.log beside it)
  std::string logs_dir;    // <journal>.twin: the sites' logs, as the log reader reads them
};

std::unique_ptr<Driver> make_twin_driver(const TwinDriverOptions& opts);

}  // namespace smsup::drivers
