// `smsup plan INVENTORY -o PLAN`: the upgrade as an ordered graph of steps
// (docs/plan.md). Refuses (exit 1) while unwaived blockers remain.
#include <chrono>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli/add_verb.h"
#include "cli/checks.h"
#include "cli/plan.h"
#include "inventory/inventory.h"
#include "plan/plan_inventory.h"
#include "plan/planner.h"
#include "plan/render.h"
#include "plan/schedule.h"
#include "util/error.h"
#include "util/shell_quote.h"

namespace smsup::cli {
namespace {

std::string now_utc() {
  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", now);
}

std::string today() { return to_string(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())); }

int refuse(const plan::Refused& r, const std::string& format, Output& out) {
  if (format == "json") {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& f : r.blockers()) {
      j.push_back({{"rule", f.rule}, {"object", f.object}, {"message", f.message}, {"remedy", f.remedy}});
    }
    out.out << nlohmann::json{{"format", "smsup-plan-refusal/1"}, {"blockers", j}}.dump(1) << "\n";
  }
  fmt::print(out.err, "smsup plan: refused: {} blocker(s) remain; fix them, or accept the risk with --waive RULE:\n",
             r.blockers().size());
  for (const auto& f : r.blockers()) fmt::print(out.err, "  {:<22} {:<12} {}\n", f.rule, f.object, f.message);
  return 1;
}

}  // namespace

int run_plan(const PlanOptions& a, Output& out) {
  require_one_of("--format", a.format, {"text", "json"});
  if (!a.method.empty()) require_one_of("--method", a.method, {"interactive", "update-quiet", "update-passive"});
  require_range("--max-parallel", a.max_parallel, 1, 1000);
  if (!a.as_of.empty()) require_date("--as-of", a.as_of);
  plan::Options o;
  o.method = a.method;
  o.with_os_sp1 = a.with_os_sp1;
  o.clients_first = a.clients_first;
  if (!a.dbtest_same_server.empty()) o.dbtest_same_server = plan::parse_same_server_sites(a.dbtest_same_server);
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
    return refuse(r, a.format, out);
  }
  p.created = now_utc();
  p.inventory = plan::inventory_ref(a.inventory, a.out);
  plan::save(p, a.out);
  for (const auto& st : p.steps) {
    if (int64_t short_mb = plan::same_server_short_mb(st); short_mb > 0) {
      fmt::print(out.err,
                 "smsup plan: warning: {}: the same-server test needs {} MB on {}, which has {} MB free ({} MB short); "
                 "free the room first or test {} on a copy elsewhere\n",
                 st.id, st.params["room_mb"].get<int64_t>(), st.host, st.params["free_disk_mb"].get<int64_t>(),
                 short_mb, st.site);
    }
  }
  auto s = plan::schedule(p);
  if (a.format == "json") {
    auto j = plan::summary_json(p, s);
    j["plan"] = a.out;
    out.out << j.dump(1) << "\n";
  } else {
    out.out << plan::render_summary(p, s);
    if (!o.waived.empty()) fmt::print(out.out, "Waived: {}\n", fmt::join(o.waived, ", "));
    fmt::print(out.out, "Plan written to {} ({} for the runbook).\n", a.out, shell_join({"smsup", "show", a.out}));
  }
  return 0;
}

void register_plan(CLI::App& app, Status& status) {
  auto [sub, a] =
      add_verb(app, status, "plan", "Plan the upgrade: an ordered graph of steps written to a plan file", run_plan);
  sub->add_option("inventory", a->inventory, "Inventory YAML (smsup-inventory/1)")->required();
  sub->add_option("-o,--out", a->out, "Plan file to write (JSON, smsup-plan/1)")->required();
  sub->add_option("--method", a->method,
                  "Default upgrade method for primary sites: interactive, update-quiet or update-passive");
  sub->add_flag("--with-os-sp1", a->with_os_sp1, "Include the Windows Server 2003 SP1 track");
  sub->add_flag("--clients-first", a->clients_first,
                "Push the SP2 Advanced Client to each site's clients before the site's upgrade "
                "(SP2 Advanced Clients work with SMS 2003 RTM and SP1 sites)");
  sub->add_option("--dbtest-same-server", a->dbtest_same_server,
                  "SITE[,SITE...] or all: test the database upgrade of these primary sites on their own SQL Server "
                  "(detach the original, create and restore a test database, test, drop it, reattach the original; "
                  "the site is down meanwhile) instead of on a copy elsewhere");
  sub->add_option("--max-parallel", a->max_parallel, "Site upgrades at once (1 to 1000)")->capture_default_str();
  sub->add_option("--as-of", a->as_of, "Reference date for the readiness rules (YYYY-MM-DD, default today)");
  sub->add_option("--waive", a->waive, "Accept the risk of a blocker rule (repeatable)");
  sub->add_option("--estimates", a->estimates, "JSON or YAML file overriding the step estimates");
  sub->add_option("--format", a->format, "Output: text (default) or json");
}

}  // namespace smsup::cli
