// smsup hosts check: the preflight of a shell run.
#include "cli/add_verb.h"
#include "cli/checks.h"
#include "cli/hosts.h"
#include "drivers/hosts_file.h"
#include "drivers/preflight.h"
#include "inventory/inventory.h"
#include "plan/plan.h"
#include "run/session.h"
#include "run/target.h"

namespace smsup::cli {

int run_hosts_check(const HostsCheckOptions& o, Output& out) {
  require_one_of("--format", o.format, {"text", "json"});
  auto access = smb_access(o.smb);
  auto hosts = drivers::load_hosts(o.hosts);
  plan::Plan plan = plan::load(o.plan);
  // The inventory fills {db}, {install_dir}, {host} as apply would; one
  // changed since planning is said, not refused: the check reads nothing of it.
  run::ApplyRequest req;
  req.plan_path = o.plan;
  req.target = "shell";
  req.inventory_path = o.inventory;
  req.force = true;
  req.err = &out.err;
  auto inventory = run::load_plan_inventory(req, plan);
  auto probes = drivers::system_probes(access);
  auto report = drivers::preflight(plan, hosts, inventory.get(), *probes);
  out.out << (o.format == "json" ? drivers::preflight_json(report) : drivers::preflight_text(report));
  return report.ok() ? 0 : 1;
}

void register_hosts(CLI::App& app, Status& status) {
  auto* hosts = app.add_subcommand("hosts", "The site servers a shell run reaches (docs/hosts.md)");
  hosts->require_subcommand(1);
  auto [sub, o] = add_verb(*hosts, status, "check",
                           "Preflight of every host a plan touches: logs readable, programs here, placeholders "
                           "filled, check: commands answering. Exit 0 ready, 1 something to fix",
                           run_hosts_check);
  sub->add_option("HOSTS", o->hosts, "HOSTS.yaml: a command per step kind, where the logs are")->required();
  sub->add_option("--plan", o->plan, "The plan a shell run would carry out (smsup plan -o PLAN)")->required();
  sub->add_option("--inventory", o->inventory, "Inventory that fills {db}, {host}, ... (default: the plan's own)");
  sub->add_option("--format", o->format, "text or json")->capture_default_str();
  add_smb_options(sub, o->smb);
}

}  // namespace smsup::cli
