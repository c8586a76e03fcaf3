// Demo stage: the readiness check of the example hierarchy.
#include <cstdio>
#include <fstream>
#include <iostream>

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
  report::write_check_text(std::cout, h, r, report::TextStyle{use_color(), 5, ctx.as_of});
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
