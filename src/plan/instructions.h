// What a person does for each kind of step, and how they know it worked, in
// the SP2 checklist's own words (shared/seed/), filled with the step's
// params. Used by the runbook (render_markdown).
#pragma once

#include <string>
#include <vector>

#include "plan/plan.h"

namespace smsup::plan {

struct Instructions {
  std::string section;             // the checklist section it comes from
  std::vector<std::string> todo;   // numbered actions
  std::vector<std::string> check;  // what to look for to know it worked
};

Instructions instructions_for(const Step& s);

}  // namespace smsup::plan
