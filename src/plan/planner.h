// The planner: the hierarchy and the readiness report in, the upgrade plan
// out (shared/spec/plan.md). A pure function: no I/O, no clock (the caller
// stamps Plan::created and Plan::inventory).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "model/hierarchy.h"
#include "plan/plan.h"
#include "rules/finding.h"

namespace smsup::plan {

// The plan is refused while blockers remain that are not waived.
class Refused : public std::runtime_error {
 public:
  explicit Refused(std::vector<rules::Finding> blockers);
  const std::vector<rules::Finding>& blockers() const { return blockers_; }

 private:
  std::vector<rules::Finding> blockers_;
};

// The rule ids of shared/spec/rules.md (what --waive accepts).
const std::vector<std::string_view>& rule_ids();
bool is_rule_id(std::string_view id);
// Throws InputError (field --waive) for the first id that is not a rule id,
// naming the nearest one when it looks like a typo.
void require_rule_ids(const std::vector<std::string>& waived);

// The blocker findings of `report` whose rule is not in `waived`.
std::vector<rules::Finding> unwaived_blockers(const rules::Report& report, const std::vector<std::string>& waived);

// The value of --dbtest-same-server ("CEN,PR1" or "all") as a list; throws
// InputError (field --dbtest-same-server) for a part that is not a site code.
// make_plan checks that each names a primary site of the hierarchy.
std::vector<std::string> parse_same_server_sites(std::string_view text);

// Builds the plan. Throws Refused when unwaived blockers remain, InputError
// when opts.method is not a method or opts.max_parallel is below 1.
Plan make_plan(const Hierarchy& h, const rules::Report& report, const Options& opts);

}  // namespace smsup::plan

namespace smsup::plan {

// check + plan in one: evaluates the readiness rules on h (as of opts.as_of,
// with the SP1 rules for hosts the plan moves when opts.with_os_sp1), then
// make_plan. Throws InputError on a bad as_of date, Refused on blockers.
Plan plan_hierarchy(const Hierarchy& h, const Options& opts);

}  // namespace smsup::plan
