// `smsup check INVENTORY`: the readiness report.
#pragma once

#include <string>

#include "cli/output.h"

namespace smsup::cli {

struct CheckOptions {
  std::string inventory;        // INVENTORY
  std::string format = "text";  // text | json | junit
  std::string output;           // -o FILE; empty or "-": out
  std::string as_of;            // YYYY-MM-DD; empty: today
  bool with_os_sp1 = false;
  bool list_rules = false;  // print the rule catalogue instead (no INVENTORY)
};
// 0 no blocker, 1 blockers.
int run_check(const CheckOptions& o, Output& out);

}  // namespace smsup::cli
