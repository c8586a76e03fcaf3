// Shared by the planner tests: the small example inventory and hand-made
// readiness reports.
#pragma once

#include <string>

#include "inventory/inventory.h"
#include "plan/planner.h"
#include "rules/finding.h"

namespace smsup::testing {

inline std::string data_path(const std::string& name) {
  return std::string(SMSUP_SOURCE_DIR) + "/tests/plan/data/" + name;
}

inline Hierarchy small() { return inventory::load(data_path("small.yaml")); }

inline rules::Finding finding(std::string_view rule, rules::Gravity sev, int site, std::string object) {
  rules::Finding f;
  f.rule = rule;
  f.severity = sev;
  f.site = site;
  f.object = std::move(object);
  f.message = std::string(rule) + " on " + f.object;
  return f;
}

}  // namespace smsup::testing
