// Where a plan's inventory is: a plan keeps its inventory's path relative to
// the plan's own folder, so that a plan and its inventory can be moved
// together and the plan run from any folder.
#pragma once

#include <string>

#include "plan/plan.h"

namespace smsup::plan {

// The inventory path a plan written to `plan_path` keeps: relative to the
// plan's folder (absolute when the plan goes to stdout).
std::string inventory_ref(const std::string& inventory, const std::string& plan_path);

// The inventory a plan read from `plan_path` names, as a path from here: a
// relative name resolved against the plan's folder; for a plan written
// before plans kept it so (relative to the folder it was made in), the name
// as given when only that exists. "" when the plan names none.
std::string inventory_path(const Plan& p, const std::string& plan_path);

}  // namespace smsup::plan
