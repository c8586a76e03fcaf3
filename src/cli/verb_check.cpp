// smsup check INVENTORY: the readiness report (docs/rules.md).
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/add_verb.h"
#include "cli/check.h"
#include "cli/checks.h"
#include "inventory/inventory.h"
#include "report/check_report.h"
#include "rules/finding.h"
#include "util/error.h"
#include "util/output_file.h"

namespace smsup::cli {
namespace {

void write_report(std::ostream& out, const CheckOptions& a, const Hierarchy& h, const rules::Report& r,
                  const std::string& as_of, bool color) {
  if (a.format == "json") {
    report::write_check_json(out, h, r);
  } else if (a.format == "junit") {
    report::write_check_junit(out, h, r);
  } else {
    report::write_check_text(out, h, r, report::TextStyle{color, 5, as_of});
  }
}

// Whole or not at all, and never by renaming over a device (util/output_file.h).
void write_file(const std::string& path, const CheckOptions& a, const Hierarchy& h, const rules::Report& r,
                const std::string& as_of) {
  std::ostringstream out;
  write_report(out, a, h, r, as_of, false);
  write_output_file(path, "-o", out.str());
}

std::string_view scope_name(rules::Scope s) {
  switch (s) {
    case rules::Scope::site:
      return "site";
    case rules::Scope::site_system:
      return "site system";
    case rules::Scope::client:
      return "client";
    case rules::Scope::hierarchy:
      return "hierarchy";
  }
  return "?";
}

// --list-rules: the catalogue from the rules' own tables (rules::rule_catalog).
int list_rules(const CheckOptions& a, Output& out) {
  require_one_of("--format", a.format, {"text", "json"});
  auto catalog = rules::rule_catalog();
  if (a.format == "json") {
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (const auto& r : catalog) {
      rows.push_back({{"id", r.id},
                      {"severity", rules::to_string(r.severity)},
                      {"scope", scope_name(r.scope)},
                      {"os_sp1", r.os_sp1},
                      {"checks", r.checks},
                      {"reference", r.reference}});
    }
    out.out << nlohmann::ordered_json{{"rules", rows}}.dump(1) << "\n";
    return 0;
  }
  out.out << fmt::format("{} rules (docs/rules.md gives each one's remedy):\n\n", catalog.size());
  out.out << fmt::format("{:<32} {:<8} {:<12} {}\n", "RULE", "SEVERITY", "SCOPE", "WHAT IT CHECKS");
  out.out << fmt::format("{:<32} {:<8} {:<12} [checklist section]\n", "", "", "");
  for (const auto& r : catalog) {
    out.out << fmt::format("{:<32} {:<8} {:<12} {}\n", r.id, rules::to_string(r.severity), scope_name(r.scope),
                           r.checks);
    out.out << fmt::format("{:<32} {:<8} {:<12} [{}]{}\n", "", "", "", r.reference,
                           r.os_sp1 ? " (Windows Server 2003 SP1 hosts)" : "");
  }
  return 0;
}

}  // namespace

int run_check(const CheckOptions& a, Output& out) {
  if (a.list_rules) {
    if (!a.inventory.empty()) throw InputError({}, "--list-rules", "--list-rules takes no INVENTORY");
    return list_rules(a, out);
  }
  if (a.inventory.empty()) {
    throw InputError({}, "INVENTORY", "name the inventory YAML to check (or --list-rules for the rule catalogue)");
  }
  require_one_of("--format", a.format, {"text", "json", "junit"});
  rules::Options opts;
  opts.with_os_sp1 = a.with_os_sp1;
  opts.as_of = a.as_of.empty() ? std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())
                               : require_date("--as-of", a.as_of);
  std::string as_of = to_string(opts.as_of);
  Hierarchy h = inventory::load(a.inventory);
  rules::Report r = rules::evaluate(h, opts);
  if (a.output.empty() || a.output == "-") {
    write_report(out.out, a, h, r, as_of, a.format == "text" && out.color);
    out.out.flush();
  } else {
    write_file(a.output, a, h, r, as_of);
    out.err << "smsup check: wrote " << a.output << " (" << (r.ready() ? "ready" : "not ready") << ": "
            << r.count(rules::Gravity::blocker) << " blocker(s))\n";
  }
  return r.ready() ? 0 : 1;
}

void register_check(CLI::App& app, Status& status) {
  auto [sub, args] = add_verb(app, status, "check",
                              "Readiness report: every rule of the SP2 upgrade checklist on every site, site system, "
                              "console and client.\nExit status: 0 no blocker, 1 blockers, 2 bad input.",
                              run_check);
  sub->add_option("INVENTORY", args->inventory, "the inventory YAML (smsup-inventory/1; docs/inventory.md)");
  sub->add_flag("--list-rules", args->list_rules,
                "print the rule catalogue (id, severity, scope, what it checks, checklist section) instead; "
                "needs no INVENTORY");
  sub->add_option("--format", args->format, "text (default, for people), json or junit; --list-rules: text or json");
  sub->add_option("-o,--output", args->output, "write the report to FILE instead of stdout");
  sub->add_option("--as-of", args->as_of, "reference date for the age of backups, YYYY-MM-DD (default: today)");
  sub->add_flag("--with-os-sp1", args->with_os_sp1,
                "also apply the Windows Server 2003 SP1 rules to Windows Server 2003 hosts the "
                "plan moves to SP1");
}

}  // namespace smsup::cli
