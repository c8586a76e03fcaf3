// The readiness report of `smsup check` (shared/spec/rules.md "Output") in its
// three forms. Written to a stream as it goes: a million client findings never
// sit in memory twice.
#pragma once

#include <ostream>
#include <string>

#include "model/hierarchy.h"
#include "rules/finding.h"

namespace smsup::report {

struct TextStyle {
  bool color = false;      // ANSI colours (only on a terminal)
  size_t names_shown = 5;  // client names listed per site and rule
  std::string as_of;       // the reference date, YYYY-MM-DD, shown in the header
};

// For people: summary first, then hierarchy-wide findings, then each site
// with findings, blockers first; client findings counted per site and rule.
void write_check_text(std::ostream& out, const Hierarchy& h, const rules::Report& r, const TextStyle& style);

// {"format": "smsup-check/1", ...}: every finding, in report order.
// Hierarchy-wide findings have "site": "*".
void write_check_json(std::ostream& out, const Hierarchy& h, const rules::Report& r);

// JUnit XML: one test suite per site (and one for the hierarchy), one test
// case per rule and object; blockers are failures, the rest pass with their
// message in system-out.
void write_check_junit(std::ostream& out, const Hierarchy& h, const rules::Report& r);

// The site code of a finding, "*" when hierarchy-wide.
std::string_view site_code(const Hierarchy& h, const rules::Finding& f);

}  // namespace smsup::report
