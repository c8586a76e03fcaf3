#include "run/target.h"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <filesystem>

#include "drivers/shell_driver.h"
#include "inventory/inventory.h"
#include "plan/plan_inventory.h"
#include "run/session.h"
#include "util/error.h"

namespace smsup::run {

namespace fs = std::filesystem;

namespace {

std::string find_inventory(const ApplyRequest& req, const plan::Plan& plan) {
  if (!req.inventory_path.empty()) return req.inventory_path;
  if (plan.inventory.empty()) return "";
  if (auto named = plan::inventory_path(plan, req.plan_path); fs::exists(named)) return named;
  auto beside = fs::path(req.plan_path).parent_path() / fs::path(plan.inventory).filename();
  if (fs::exists(beside)) return beside.string();
  return "";
}

// Names this run's processes: the same journal gives the same id, so a
// resumed run finds what an earlier one left running.
std::string run_id_of(const std::string& journal_path) {
  auto abs = fs::weakly_canonical(fs::absolute(journal_path)).string();
  return plan_digest_of(abs).substr(0, 16);
}

}  // namespace

std::unique_ptr<Hierarchy> load_plan_inventory(const ApplyRequest& req, const plan::Plan& plan) {
  std::string path = find_inventory(req, plan);
  if (path.empty()) {
    if (req.target == "twin") {
      throw InputError({req.plan_path, 0, 0}, "--inventory",
                       fmt::format("the twin is built from the plan's inventory ('{}'), which "
                                   "cannot be found; name it with --inventory",
                                   plan.inventory));
    }
    return nullptr;
  }
  auto h = std::make_unique<Hierarchy>(inventory::load(path));
  if (h->sha256 != plan.inventory_sha256) {
    std::string what = fmt::format(
        "the inventory changed since the plan was made (sha256 {}…, the plan has {}…); make "
        "the plan again, or run it anyway with --force",
        h->sha256.substr(0, 12), plan.inventory_sha256.substr(0, 12));
    if (!req.force) throw InputError({path, 0, 0}, "inventory_sha256", what);
    fmt::print(*req.err, "smsup: warning: {} (--force given)\n", what);
  }
  return h;
}

std::unique_ptr<drivers::Driver> make_driver(const ApplyRequest& req, const plan::Plan& plan,
                                             const Hierarchy* inventory, const std::string& journal_path,
                                             const std::string& run_key) {
  if (req.target == "shell") {
    if (req.hosts_path.empty()) {
      throw InputError({}, "--hosts", "--target shell needs --hosts HOSTS.yaml (a command per step kind)");
    }
    drivers::ShellOptions o;
    o.hosts = drivers::load_hosts(req.hosts_path);
    o.inventory = inventory;
    o.log_check = drivers::follow_site_logs(req.smb);
    o.output_dir = journal_path + ".out";
    o.run_id = run_key.empty() ? run_id_of(journal_path) : plan_digest_of(run_key).substr(0, 16);
    return std::make_unique<drivers::ShellDriver>(std::move(o));
  }
  return make_twin_target(req, plan, inventory, journal_path);
}

void attach_journal(drivers::Driver& driver, const Journal& journal) {
  if (auto* shell = dynamic_cast<drivers::ShellDriver*>(&driver)) {
    shell->set_setup_started([&journal](const plan::Step& s) -> std::optional<double> {
      auto up = journal.step(s.site + "/upgrade");
      if (!up || up->started <= 0) return std::nullopt;
      return up->started;
    });
  }
}

}  // namespace smsup::run
