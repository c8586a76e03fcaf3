// `smsup demo`, stage plan: plan the example hierarchy with the Windows
// Server 2003 SP1 track, waiving (and saying so) the blockers the example
// carries on purpose, and write plan.json and runbook.md.
#include <algorithm>
#include <fmt/format.h>
#include <fstream>
#include <set>

#include <fmt/ostream.h>

#include "cli/demo.h"
#include "inventory/inventory.h"
#include "plan/plan_inventory.h"
#include "plan/planner.h"
#include "plan/render.h"
#include "plan/schedule.h"
#include "plan/step_kinds.h"
#include "util/error.h"

namespace smsup::cli {

int demo_plan(const DemoContext& ctx, Output& out) {
  Hierarchy h = inventory::load(ctx.example.string());
  plan::Options o;
  o.as_of = ctx.as_of;
  o.with_os_sp1 = true;
  rules::Options ro;
  ro.as_of = *parse_date(ctx.as_of);
  ro.with_os_sp1 = true;
  auto report = rules::evaluate(h, ro);
  auto blockers = plan::unwaived_blockers(report, {});
  std::set<std::string> waive;
  for (const auto& f : blockers) waive.insert(std::string(f.rule));
  if (!blockers.empty()) {
    fmt::print(out.out,
               "The example carries {} blocker(s) on purpose; a real plan is refused until they are "
               "fixed. Waiving {} rule(s) to show the plan:\n",
               blockers.size(), waive.size());
    for (const auto& f : blockers) {
      fmt::print(out.out, "  --waive {:<20} {}: {}\n", std::string(f.rule).c_str(), f.object.c_str(),
                 f.message.c_str());
    }
    fmt::print(out.out, "\n");
  }
  o.waived.assign(waive.begin(), waive.end());
  plan::Plan p = plan::make_plan(h, report, o);
  p.created = "demo";
  auto plan_file = (ctx.out / "plan.json").string();
  p.inventory = plan::inventory_ref(ctx.example.string(), plan_file);
  auto runbook_file = (ctx.out / "runbook.md").string();
  plan::save(p, plan_file);
  auto s = plan::schedule(p);
  std::ofstream(runbook_file, std::ios::binary | std::ios::trunc) << plan::render_markdown(p, s);
  for (const auto& rule : o.waived) {
    std::vector<std::string> by;
    for (const auto& st : p.steps) {
      if (!plan::is(st, plan::Kind::readiness) && std::find(st.why.begin(), st.why.end(), rule) != st.why.end())
        by.push_back(st.id);
    }
    fmt::print(out.out, "Waived {}: {}\n", rule.c_str(),
               by.empty() ? "no step answers it; the risk stays (see the readiness step)"
                          : fmt::format("the plan answers it with {}", fmt::join(by, ", ")).c_str());
  }
  fmt::print(out.out, "{}", plan::render_summary(p, s).c_str());
  fmt::print(out.out, "Wrote {} and {} (smsup show {} --format gantt for the timeline).\n", plan_file.c_str(),
             runbook_file.c_str(), plan_file.c_str());
  // As expected: every site below SP2 has its upgrade and verify, and the
  // plan file reads back as written.
  bool ok = !p.steps.empty() && plan::to_json(plan::load(plan_file)) == plan::to_json(p);
  for (const auto& site : h.sites) {
    if (site.version.level >= SmsLevel::sp2) continue;
    ok = ok && p.find(site.code + "/upgrade") && p.find(site.code + "/verify");
  }
  return ok ? 0 : 1;
}

}  // namespace smsup::cli
