// Demo stage: the readiness check of the example hierarchy.
#include <fstream>
#include <sstream>

#include "cli/demo.h"
#include "inventory/inventory.h"
#include "report/check_report.h"
#include "rules/finding.h"

namespace smsup::cli {

int demo_check(const DemoContext& ctx, Output& out) {
  auto as_of = parse_date(ctx.as_of);
  if (!as_of) {
    out.err << "demo check: '" << ctx.as_of << "' is not a date (YYYY-MM-DD)\n";
    return 2;
  }
  Hierarchy h = inventory::load(ctx.example.string());
  rules::Report r = rules::evaluate(h, rules::Options{*as_of, false});
  out.out << "$ smsup check " << ctx.example.string() << " --as-of " << ctx.as_of << "\n";
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
    if (!line.starts_with("  ") || in_blocker || line.empty()) out.out << line << "\n";
  }
  out.out << "\n(full report: " << (ctx.out / "check.txt").string() << ")";
  auto json_path = ctx.out / "check.json";
  std::ofstream json(json_path, std::ios::binary | std::ios::trunc);
  report::write_check_json(json, h, r);
  json.flush();
  if (!json) {
    out.err << "demo check: cannot write " << json_path.string() << "\n";
    return 2;
  }
  out.out << "\n(JSON report: " << json_path.string() << ")\n";
  out.out.flush();
  return 0;
}

}  // namespace smsup::cli
