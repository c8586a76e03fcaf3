// The target of a run: the inventory it is built from and the driver that
// carries the steps out (twin or shell), made from the apply options.
#pragma once

#include <memory>
#include <string>

#include "drivers/driver.h"
#include "model/hierarchy.h"
#include "plan/plan.h"
#include "run/journal.h"
#include "run/session.h"

namespace smsup::run {

// The inventory named by --inventory, or the one the plan was made from (the
// twin needs it; the shell driver uses it for placeholders when present).
// Refuses one whose sha256 differs from the plan's unless --force.
std::unique_ptr<Hierarchy> load_plan_inventory(const ApplyRequest& req, const plan::Plan& plan);

// `journal_path`: where local files go (local_base()); `run_key`: what names
// the run's processes (default: that path; a PostgreSQL journal's identity,
// so that an apply that takes over on this host finds them).
std::unique_ptr<drivers::Driver> make_driver(const ApplyRequest& req, const plan::Plan& plan,
                                             const Hierarchy* inventory, const std::string& journal_path,
                                             const std::string& run_key = "");

std::unique_ptr<drivers::Driver> make_twin_target(const ApplyRequest& req, const plan::Plan& plan,
                                                  const Hierarchy* inventory, const std::string& journal_path);

// Lets the driver read what it needs from the journal (verify: when the
// site's setup started).
void attach_journal(drivers::Driver& driver, const Journal& journal);

}  // namespace smsup::run
