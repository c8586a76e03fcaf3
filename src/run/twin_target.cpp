// The twin target: the twin built from the plan's inventory, its state and
// logs in <journal>.twin/ beside the journal.
#include <fmt/format.h>

#include "drivers/twin_driver.h"
#include "run/target.h"
#include "util/error.h"

namespace smsup::run {

std::unique_ptr<drivers::Driver> make_twin_target(const ApplyRequest& req, const plan::Plan& plan,
                                                  const Hierarchy* inventory, const std::string& journal_path) {
  drivers::TwinDriverOptions o;
  o.inventory = inventory;
  o.plan = &plan;
  o.seed = req.seed;
  o.faults = req.faults;
  o.databases = req.databases;
  o.as_of = plan.options.as_of;
  o.logs_dir = journal_path + ".twin";
  o.state_path = o.logs_dir + "/twin-state.json";
  auto d = drivers::make_twin_driver(o);
  if (!d) {
    throw InputError({}, "--target", "the twin is not part of this build yet; use --target shell --hosts HOSTS.yaml");
  }
  return d;
}

}  // namespace smsup::run
