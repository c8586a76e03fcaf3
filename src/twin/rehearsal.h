// A rehearsal: the plan run on a fresh twin, in virtual time, with the
// after-edges honoured (a failed step stops what depends on it, not its
// siblings), and what the spec's "What a rehearsal shows" lists.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "plan/plan.h"
#include "twin/end_state.h"
#include "twin/twin.h"

namespace smsup::twin {

struct RehearseOptions {
  int days = 30;         // how long clients are followed, from the start
  bool recover = false;  // after a failed step: restore the site from backup if it is failed, retry once
  int max_parallel = 0;  // site upgrades at once; 0: the plan's option
};

struct StepRow {
  std::string id, kind, site, title;
  bool manual = false;
  std::string status;  // ok, failed, hung, skipped
  std::string message;
  VTime start = 0, end = 0;
  int attempts = 0;
  std::string recovery;  // what --recover did, if anything
};

struct Rehearsal {
  std::vector<StepRow> steps;
  VTime plan_end = 0;  // when the last step ended
  int days = 0;
  std::vector<ClientDay> clients;
  int failed = 0, skipped = 0;
  bool fully_upgraded = false;
  bool nothing_lost = false;
  // Problems the checklist describes (DCOM, error 997, MP 1603...) still open
  // on a site system at the end: the hierarchy is not left as it should be.
  int open_problems = 0;
  EndState end;  // the above, in words (end_state.h), and stale backups
  bool ok() const { return fully_upgraded && nothing_lost && open_problems == 0 && failed == 0 && skipped == 0; }
};

Rehearsal rehearse(const plan::Plan& plan, Twin& twin, const RehearseOptions& opts);

nlohmann::json to_json(const Rehearsal& r, const Twin& twin, const plan::Plan& plan);

// What `report` and `serve` read of a rehearsal to_json() wrote (given back
// with --rehearsal), checked before they read it: each field they read is of
// the kind to_json() writes and in range, or the file (edited, damaged, of
// another program) is refused with an InputError naming the field
// ("sites[3].verified") and what was expected; fields they do not read are
// left alone. The format line is the caller's to check.
void check_rehearsal_json(const nlohmann::json& r);
std::string to_text(const Rehearsal& r, const Twin& twin, const plan::Plan& plan);

}  // namespace smsup::twin
