#include "plan/planner.h"
#include "util/error.h"

namespace smsup::plan {

Plan plan_hierarchy(const Hierarchy& h, const Options& opts) {
  rules::Options ro;
  auto d = parse_date(opts.as_of);
  if (!d) throw InputError({}, "--as-of", "'" + opts.as_of + "' is not a date; expected YYYY-MM-DD");
  ro.as_of = *d;
  ro.with_os_sp1 = opts.with_os_sp1;
  return make_plan(h, rules::evaluate(h, ro), opts);
}

}  // namespace smsup::plan
