// How long each kind of step is expected to take, as a linear model of the
// work it touches: base minutes, plus minutes per GB of site database, per
// thousand clients of the site, per site system. The defaults are a column
// of the kind table (step_kinds.cpp, documented in docs/plan.md); a JSON or
// YAML file can override any of them (`smsup plan --estimates FILE`).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace smsup::plan {

struct Cost {
  double base = 0;              // minutes
  double per_db_gb = 0;         // minutes per GB of data + log
  double per_1000_clients = 0;  // minutes per thousand clients of the site
  double per_site_system = 0;   // minutes per site system of the site
};

// What a step touches, for its estimate.
struct Workload {
  double db_gb = 0;
  int64_t clients = 0;
  int64_t site_systems = 0;
};

struct Estimates {
  std::map<std::string, Cost, std::less<>> by_kind;
  std::string source = "the default estimates";  // the file they came from, for messages

  static Estimates defaults();
  // Minutes for a step of `kind` doing `work`, rounded to a whole minute (at
  // least 1). Unknown kinds cost 1 minute.
  double minutes(std::string_view kind, const Workload& work) const;
};

// Every step kind the planner emits, in the order of the spec's table.
const std::vector<std::string_view>& step_kinds();

// Overrides `into` with the JSON or YAML text of an estimates file:
//   upgrade: {base: 40, per_db_gb: 4}
//   settle: {base: 45}
// Unknown kinds or keys, numbers outside 0 to 525,600 minutes (a year, a
// plan's limit for one step), and a settle shorter than the checklist's 30
// minutes are refused with an InputError naming line and key.
void apply_estimates(Estimates& into, std::string_view text, const std::string& file);
Estimates load_estimates(const std::string& path);  // defaults + the file

}  // namespace smsup::plan
