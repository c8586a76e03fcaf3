// `smsup plan INVENTORY -o PLAN` and `smsup show PLAN`.
#pragma once

#include <string>
#include <vector>

#include "cli/output.h"

namespace smsup::cli {

struct PlanOptions {
  std::string inventory;  // INVENTORY
  std::string out;        // -o PLAN
  std::string method;     // interactive | update-quiet | update-passive; empty: the planner's
  bool with_os_sp1 = false;
  bool clients_first = false;
  std::string dbtest_same_server;  // SITE[,SITE...] | all; empty: every dbtest on a copy
  int max_parallel = 4;            // 1..1000
  std::string as_of;               // YYYY-MM-DD; empty: today
  std::vector<std::string> waive;
  std::string estimates;        // JSON or YAML file
  std::string format = "text";  // text | json
};
// 0 written, 1 refused (blockers remain).
int run_plan(const PlanOptions& o, Output& out);

struct ShowOptions {
  std::string plan;           // PLAN
  std::string format = "md";  // md | json | dot | gantt
  std::string out;            // -o FILE; empty: out
  int width = 60;             // gantt columns, 10..400
};
int run_show(const ShowOptions& o, Output& out);

}  // namespace smsup::cli
