// Readiness findings (shared/spec/rules.md): one per rule and object it fires
// on. The rule catalog is a table per rule file (rule.h); each rule is one function.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/hierarchy.h"

namespace smsup::rules {

// How much a finding holds up the upgrade (the spec's "severity" column);
// named apart from logs::Severity, the type of a log line.
enum class Gravity { blocker = 0, action = 1, warning = 2, info = 3 };
std::string_view to_string(Gravity s);
std::optional<Gravity> parse_gravity(std::string_view s);

struct Finding {
  std::string_view rule;  // rule id, e.g. "sql-version" (points into the catalog)
  Gravity severity = Gravity::info;
  int site = -1;               // index into Hierarchy::sites; -1 hierarchy-wide
  int client = -1;             // index into Hierarchy::clients for client rules
  std::string object;          // host, client name, site code or hierarchy name
  std::string message;         // what is wrong, in the object's own values
  std::string remedy;          // what to do
  std::string_view reference;  // checklist section
  // unknown-fact findings: the rule that could not be judged for lack of a
  // fact (empty otherwise). One from a blocker rule keeps the verdict NOT
  // READY until the fact is given or that rule is waived.
  std::string_view judges;
  bool blocks() const { return !judges.empty() && severity == Gravity::warning; }
};

// The id of the findings of a rule that cannot be judged (rules.md, collect.md).
inline constexpr std::string_view kUnknownFact = "unknown-fact";

struct Options {
  Date as_of{};              // reference date for backup age
  bool with_os_sp1 = false;  // also fire the SP1 rules for hosts the plan moves to SP1
};

struct Report {
  std::vector<Finding> findings;  // sites in file order; within a site by rule table order
  int count(Gravity s) const;
  // No blocker, and no blocker rule left unjudged for lack of a fact.
  bool ready() const;
};

// Evaluates every rule of the catalog on h. No I/O.
Report evaluate(const Hierarchy& h, const Options& opts);

// What the catalog says about one rule, for listings, docs and tests.
enum class Scope { site, site_system, client, hierarchy };
struct RuleInfo {
  std::string_view id;
  Gravity severity;            // the highest it fires with (http-port-mismatch: blocker or warning)
  std::string_view reference;  // checklist section
  Scope scope;
  bool os_sp1 = false;      // one of the Windows Server 2003 SP1 rules
  std::string_view checks;  // one line: what the rule checks
};
// Every rule, in catalog order (the order of shared/spec/rules.md).
std::vector<RuleInfo> rule_catalog();

}  // namespace smsup::rules
