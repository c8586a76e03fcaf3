// The plan shown four ways (`smsup show --format md|json|dot|gantt`). Pure
// text generation: the caller writes it where it belongs.
#pragma once

#include <string>
#include <vector>

#include "plan/plan.h"
#include "plan/schedule.h"

namespace smsup::plan {

// The runbook a person follows: numbered steps grouped by wave and site,
// manual steps marked, the checklist's instructions and checks written out.
std::string render_markdown(const Plan& p, const Schedule& s);
// The plan file's JSON plus the schedule (start/finish, total, critical path).
std::string render_json(const Plan& p, const Schedule& s);
// A Graphviz digraph: a cluster per site, manual steps shaded, the critical
// path in red.
std::string render_dot(const Plan& p, const Schedule& s);
// A text Gantt chart of the estimated timeline, `width` columns wide.
std::string render_gantt(const Plan& p, const Schedule& s, int width = 60);

// A few lines for people: steps, manual steps, waves, sites, total, critical path.
std::string render_summary(const Plan& p, const Schedule& s);
nlohmann::json summary_json(const Plan& p, const Schedule& s);

// The wave of each step (plan order): 0 for the central site's steps, one more
// per upgraded parent above; hierarchy-wide steps take -1 (readiness) or the
// last wave + 1 (itmu). Derived from the after-edges of the upgrade steps.
std::vector<int> waves_of(const Plan& p);

}  // namespace smsup::plan
