// smsup rehearse PLAN: the plan run on a fresh twin (docs/twin.md).
#include <chrono>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fstream>
#include <stdlib.h>  // mkdtemp

#include "cli/add_verb.h"
#include "cli/checks.h"
#include "cli/rehearse.h"
#include "cli/twin_dir.h"
#include "inventory/inventory.h"
#include "plan/plan.h"
#include "plan/plan_inventory.h"
#include "sitedb/sqlite_site_databases.h"
#include "twin/file_sink.h"
#include "twin/rehearsal.h"
#include "util/error.h"
#include "util/input_file.h"
#include "util/json_input.h"

namespace smsup::cli {
namespace {

namespace fs = std::filesystem;

// A folder for the sites' databases when there is no --twin-dir: made
// under TMPDIR, removed with everything in it on the way out.
struct TempDir {
  fs::path path;
  TempDir() {
    std::error_code ec;
    fs::path base = fs::temp_directory_path(ec);
    std::string tmpl = ((ec ? fs::path("/tmp") : base) / "smsup-rehearse-XXXXXX").string();
    if (!mkdtemp(tmpl.data()))
      throw InputError({tmpl, 0, 0}, "TMPDIR", "cannot make a temporary folder for the sites' databases");
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// The plan names the inventory it was made from, relative to the plan's
// folder (plan::inventory_path).
std::string inventory_of(const RehearseOptions& a, const plan::Plan& p) {
  if (!a.inventory.empty()) return a.inventory;
  if (p.inventory.empty()) {
    throw InputError({a.plan, 0, 0}, "inventory", "the plan does not name its inventory; give it with --inventory");
  }
  return plan::inventory_path(p, a.plan);
}

twin::Durations load_durations(const std::string& path) {
  if (path.empty()) return {};
  std::string text = read_input_file(path, "durations (JSON)", limits::kSmallText);
  return twin::durations_from_json(parse_json_input(text, path, "--durations", "an object of durations in minutes"),
                                   path);
}

int64_t epoch_of(const plan::Plan& p) {
  if (auto d = parse_date(p.options.as_of)) {
    return std::chrono::duration_cast<std::chrono::seconds>(d->time_since_epoch()).count() + 8 * 3600;
  }
  return twin::TwinOptions{}.epoch_s;
}

}  // namespace

int run_rehearse(const RehearseOptions& a, Output& out) {
  require_one_of("--format", a.format, {"text", "json"});
  require_range("--days", a.days, 1, 3650);
  if (a.max_parallel) require_range("--max-parallel", *a.max_parallel, 1, 10000);
  auto wall0 = std::chrono::steady_clock::now();
  plan::Plan p = plan::load(a.plan);
  std::string inv = inventory_of(a, p);
  Hierarchy h = inventory::load(inv);
  if (!p.inventory_sha256.empty() && h.sha256 != p.inventory_sha256 && !a.force) {
    throw InputError(
        {a.plan, 0, 0}, "inventory_sha256",
        fmt::format("the inventory {} changed since this plan was made; make the plan again, or --force", inv));
  }
  twin::TwinOptions o;
  o.seed = a.seed;
  o.faults = twin::parse_faults(a.faults);
  o.durations = load_durations(a.durations);
  o.epoch_s = epoch_of(p);
  o.naive_clients = a.naive_clients;
  o.horizon = static_cast<twin::VTime>(a.days) * twin::kDay;
  twin::Twin t = twin::Twin::from(h, o);
  std::unique_ptr<twin::FileLogSink> sink;
  std::unique_ptr<sitedb::SqliteSiteDatabases> dbs;
  std::unique_ptr<TempDir> temp;
  fs::path db_dir;
  if (!a.twin_dir.empty()) {
    prepare_twin_dir(a.twin_dir);
    sink = std::make_unique<twin::FileLogSink>(a.twin_dir);
    t.set_log_sink(sink.get());
    db_dir = fs::path(a.twin_dir) / sitedb::kSiteDatabasesDir;
  } else if (!a.no_databases) {
    temp = std::make_unique<TempDir>();
    db_dir = temp->path / sitedb::kSiteDatabasesDir;
  }
  if (!a.no_databases) {
    dbs = std::make_unique<sitedb::SqliteSiteDatabases>(db_dir, a.seed);
    attach_with_progress(t, *dbs, out);
  }
  twin::RehearseOptions ro;
  ro.days = a.days;
  ro.recover = a.recover;
  ro.max_parallel = a.max_parallel.value_or(0);  // 0: the plan's
  twin::Rehearsal r = twin::rehearse(p, t, ro);
  if (sink) {
    sink->flush();
    t.save((fs::path(a.twin_dir) / "twin-state.json").string());
  }
  if (a.format == "json") {
    out.out << to_json(r, t, p).dump(2) << "\n";
  } else {
    out.out << to_text(r, t, p);
    if (!a.twin_dir.empty()) {
      out.out << "Site logs and site databases of the twin are in " << a.twin_dir << "\n";
    } else if (temp) {
      out.out << "The sites' databases were made in " << temp->path.string()
              << " and removed (--twin-dir keeps them)\n";
    }
  }
  out.out.flush();
  if (a.stats) {
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    fmt::print(out.err,
               "smsup rehearse: {} sites, {} clients, {} events, {} log lines, {:.3f} s wall, {:.0f} events/s\n",
               h.sites.size(), h.clients.size(), t.events_processed(), t.lines_written(), wall,
               static_cast<double>(t.events_processed()) / std::max(wall, 1e-9));
  }
  return r.ok() ? 0 : 1;
}

void register_rehearse(CLI::App& app, Status& status) {
  auto [sub, a] = add_verb(app, status, "rehearse",
                           "Run a plan on a fresh twin of its hierarchy, in virtual time, and report what happened.\n"
                           "Exit status: 0 fully upgraded with nothing lost, 1 otherwise, 2 bad input.",
                           run_rehearse);
  sub->add_option("PLAN", a->plan, "the plan (smsup-plan/1) made by smsup plan")->required();
  sub->add_option("--inventory", a->inventory, "the inventory (default: the one the plan names)");
  sub->add_option("--seed", a->seed, "seed of the twin's chance and jitter (same seed, same run)")
      ->capture_default_str()
      ->check(whole_number_u64());
  sub->add_option("--faults", a->faults,
                  "inject faults: KIND[@SITE]=fail|hang|activity|CHANCE, comma-separated, "
                  "e.g. upgrade@PR1=fail,verify@SEC2=hang,upgrade=0.05");
  sub->add_option(
      "--twin-dir", a->twin_dir,
      "write each site's logs, its site database (site-databases/CODE.db) and the twin's state under this folder");
  sub->add_option("--format", a->format, "text (default) or json");
  sub->add_option("--days", a->days, "follow the clients for this many days (1 to 3650)")->capture_default_str();
  sub->add_option("--durations", a->durations, "JSON file overriding the twin's durations (minutes)");
  sub->add_option("--max-parallel", a->max_parallel, "site upgrades at once, 1 to 10000 (default: the plan's)");
  sub->add_flag("--recover", a->recover,
                "after a failed step, restore the site from its backup if it broke, and retry once; after an "
                "upgrade, copy the non-SMS files setup deleted back from the backup's SMS folder tree");
  sub->add_flag("--force", a->force, "rehearse even if the inventory changed since the plan was made");
  sub->add_flag("--stats", a->stats, "print events, wall time and events per second on stderr");
  sub->add_flag("--no-databases", a->no_databases,
                "do not make each primary site's database (SQLite, a moment per site): take the "
                "upgrade's growth from the model, as the disk rule's estimate does");
  sub->add_flag("--naive-clients", a->naive_clients,
                "simulate one event per client per CCIM cycle and heartbeat (the benchmark's baseline)");
}

}  // namespace smsup::cli
