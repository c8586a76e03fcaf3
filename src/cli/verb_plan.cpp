// `smsup plan INVENTORY -o PLAN`: the upgrade as an ordered graph of steps
// (shared/spec/plan.md). Refuses (exit 1) while unwaived blockers remain.
#include <chrono>
#include <cstdio>
#include <fmt/chrono.h>
#include <fmt/format.h>

#include "cli/verbs.h"
#include "inventory/inventory.h"
#include "plan/planner.h"
#include "plan/render.h"
#include "plan/schedule.h"
#include "util/error.h"

namespace smsup::cli {
namespace {

struct PlanArgs {
  std::string inventory;
  std::string out;
  std::string method;
  bool with_os_sp1 = false;
  bool clients_first = false;
  int max_parallel = 4;
  std::string as_of;
  std::vector<std::string> waive;
  std::string estimates;
  std::string format = "text";
};

std::string now_utc() {
  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", now);
}

std::string today() {
  return to_string(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
}

int refuse(const plan::Refused& r, const std::string& format) {
  if (format == "json") {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& f : r.blockers()) {
      j.push_back({{"rule", f.rule}, {"object", f.object}, {"message", f.message}, {"remedy", f.remedy}});
    }
    std::printf("%s\n", nlohmann::json{{"format", "smsup-plan-refusal/1"}, {"blockers", j}}.dump(1).c_str());
  }
  std::fprintf(stderr, "smsup plan: refused: %zu blocker(s) remain; fix them, or accept the risk "
                       "with --waive RULE:\n", r.blockers().size());
  for (const auto& f : r.blockers()) {
    std::fprintf(stderr, "  %-22s %-12s %s\n", std::string(f.rule).c_str(), f.object.c_str(),
                 f.message.c_str());
  }
  return 1;
}

int run(const PlanArgs& a) {
  plan::Options o;
  o.method = a.method;
  o.with_os_sp1 = a.with_os_sp1;
  o.clients_first = a.clients_first;
  o.max_parallel = a.max_parallel;
  o.waived = a.waive;
  o.as_of = a.as_of.empty() ? today() : a.as_of;
  if (!a.estimates.empty()) o.estimates = plan::load_estimates(a.estimates);
  plan::require_rule_ids(o.waived);  // before the inventory is read: a typo is told at once
  Hierarchy h = inventory::load(a.inventory);
  plan::Plan p;
  try {
    p = plan::plan_hierarchy(h, o);
  } catch (const plan::Refused& r) {
    return refuse(r, a.format);
  }
  p.created = now_utc();
  p.inventory = a.inventory;
  plan::save(p, a.out);
  auto s = plan::schedule(p);
  if (a.format == "json") {
    auto j = plan::summary_json(p, s);
    j["plan"] = a.out;
    std::printf("%s\n", j.dump(1).c_str());
  } else {
    std::printf("%s", plan::render_summary(p, s).c_str());
    if (!o.waived.empty()) std::printf("Waived: %s\n", fmt::format("{}", fmt::join(o.waived, ", ")).c_str());
    std::printf("Plan written to %s (smsup show %s for the runbook).\n", a.out.c_str(), a.out.c_str());
  }
  return 0;
}

}  // namespace

void register_plan(CLI::App& app, Status& status) {
  auto* sub = app.add_subcommand("plan", "Plan the upgrade: an ordered graph of steps written to a plan file");
  auto a = std::make_shared<PlanArgs>();
  sub->add_option("inventory", a->inventory, "Inventory YAML (smsup-inventory/1)")->required();
  sub->add_option("-o,--out", a->out, "Plan file to write (JSON, smsup-plan/1)")->required();
  sub->add_option("--method", a->method, "Default upgrade method for primary sites")
      ->check(CLI::IsMember({"interactive", "update-quiet", "update-passive"}));
  sub->add_flag("--with-os-sp1", a->with_os_sp1, "Include the Windows Server 2003 SP1 track");
  sub->add_flag("--clients-first", a->clients_first,
                "Push the SP2 Advanced Client to each site's clients before the site's upgrade "
                "(SP2 Advanced Clients work with SMS 2003 RTM and SP1 sites)");
  sub->add_option("--max-parallel", a->max_parallel, "Site upgrades at once")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  sub->add_option("--as-of", a->as_of, "Reference date for the readiness rules (YYYY-MM-DD, default today)");
  sub->add_option("--waive", a->waive, "Accept the risk of a blocker rule (repeatable)");
  sub->add_option("--estimates", a->estimates, "JSON or YAML file overriding the step estimates");
  sub->add_option("--format", a->format, "Output: text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  sub->callback([a, &status] { status.code = run(*a); });
}

}  // namespace smsup::cli
