// Demo stage: the readiness check of the example hierarchy.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/verbs.h"
#include "inventory/inventory.h"
#include "report/check_report.h"
#include "rules/finding.h"

namespace smsup::cli {

int demo_check(const DemoContext& ctx) {
  auto as_of = parse_date(ctx.as_of);
  if (!as_of) {
    std::fprintf(stderr, "demo check: '%s' is not a date (YYYY-MM-DD)\n", ctx.as_of.c_str());
    return 2;
  }
  Hierarchy h = inventory::load(ctx.example.string());
  rules::Report r = rules::evaluate(h, rules::Options{*as_of, false});
  std::cout << "$ smsup check " << ctx.example.string() << " --as-of " << ctx.as_of << "\n";
  // The whole report goes to a file; the screen gets the summary, each site's
  // counts and the blockers in full.
  std::ostringstream text;
  report::write_check_text(text, h, r, report::TextStyle{false, 5, ctx.as_of});
  std::ofstream(ctx.out / "check.txt", std::ios::binary | std::ios::trunc) << text.str();
  std::istringstream lines(text.str());
  bool in_blocker = false;
  for (std::string line; std::getline(lines, line);) {
    bool finding_start = line.size() > 2 && line.starts_with("  ") && line[2] != ' ';
    if (finding_start) in_blocker = line.starts_with("  BLOCKER");
    if (!line.starts_with("  ") || in_blocker || line.empty()) std::cout << line << "\n";
  }
  std::cout << "\n(full report: " << (ctx.out / "check.txt").string() << ")";
  auto json_path = ctx.out / "check.json";
  std::ofstream json(json_path, std::ios::binary | std::ios::trunc);
  report::write_check_json(json, h, r);
  json.flush();
  if (!json) {
    std::fprintf(stderr, "demo check: cannot write %s\n", json_path.string().c_str());
    return 2;
  }
  std::cout << "\n(JSON report: " << json_path.string() << ")\n";
  std::cout.flush();
  return 0;
}

}  // namespace smsup::cli
