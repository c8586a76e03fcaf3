// smsup rehearse PLAN: the plan run on a fresh twin (shared/spec/twin.md).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <stdlib.h>  // mkdtemp

#include "cli/verbs.h"
#include "inventory/inventory.h"
#include "plan/plan.h"
#include "twin/file_sink.h"
#include "twin/rehearsal.h"
#include "sitedb/sqlite_site_databases.h"
#include "util/error.h"
#include "util/input_file.h"

namespace smsup::cli {
namespace {

namespace fs = std::filesystem;

struct RehearseArgs {
  std::string plan;
  std::string inventory;
  uint64_t seed = 1;
  std::string faults;
  std::string twin_dir;
  std::string format = "text";
  std::string durations;
  int days = 30;
  int max_parallel = 0;
  bool recover = false;
  bool force = false;
  bool stats = false;
  bool naive_clients = false;
  bool no_databases = false;
};

// A folder for the sites' databases when there is no --twin-dir: made
// under TMPDIR, removed with everything in it on the way out.
struct TempDir {
  fs::path path;
  TempDir() {
    std::error_code ec;
    fs::path base = fs::temp_directory_path(ec);
    std::string tmpl = ((ec ? fs::path("/tmp") : base) / "smsup-rehearse-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw InputError({tmpl, 0, 0}, "TMPDIR", "cannot make a temporary folder for the sites' databases");
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// The plan names the inventory it was made from; a relative name is tried
// as given, then beside the plan.
std::string inventory_of(const RehearseArgs& a, const plan::Plan& p) {
  if (!a.inventory.empty()) return a.inventory;
  if (p.inventory.empty()) {
    throw InputError({a.plan, 0, 0}, "inventory", "the plan does not name its inventory; give it with --inventory");
  }
  fs::path inv(p.inventory);
  if (inv.is_relative() && !fs::exists(inv)) {
    fs::path beside = fs::path(a.plan).parent_path() / inv;
    if (fs::exists(beside)) return beside.string();
  }
  return inv.string();
}

twin::Durations load_durations(const std::string& path) {
  if (path.empty()) return {};
  std::string text = read_input_file(path, "durations (JSON)", limits::kSmallText);
  try {
    return twin::durations_from_json(nlohmann::json::parse(text), path);
  } catch (const nlohmann::json::parse_error&) {
    throw InputError({path, 0, 0}, "--durations", "not valid JSON; expected an object of durations in minutes");
  }
}

int64_t epoch_of(const plan::Plan& p) {
  if (auto d = parse_date(p.options.as_of)) {
    return std::chrono::duration_cast<std::chrono::seconds>(d->time_since_epoch()).count() + 8 * 3600;
  }
  return twin::TwinOptions{}.epoch_s;
}

int run_rehearse(const RehearseArgs& a) {
  auto wall0 = std::chrono::steady_clock::now();
  plan::Plan p = plan::load(a.plan);
  std::string inv = inventory_of(a, p);
  Hierarchy h = inventory::load(inv);
  if (!p.inventory_sha256.empty() && h.sha256 != p.inventory_sha256 && !a.force) {
    throw InputError({a.plan, 0, 0}, "inventory_sha256",
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
    attach_with_progress(t, *dbs);
  }
  twin::RehearseOptions ro;
  ro.days = a.days;
  ro.recover = a.recover;
  ro.max_parallel = a.max_parallel;
  twin::Rehearsal r = twin::rehearse(p, t, ro);
  if (sink) {
    sink->flush();
    t.save((fs::path(a.twin_dir) / "twin-state.json").string());
  }
  if (a.format == "json") {
    std::cout << to_json(r, t, p).dump(2) << "\n";
  } else {
    std::cout << to_text(r, t, p);
    if (!a.twin_dir.empty()) {
      std::cout << "Site logs and site databases of the twin are in " << a.twin_dir << "\n";
    } else if (temp) {
      std::cout << "The sites' databases were made in " << temp->path.string()
                << " and removed (--twin-dir keeps them)\n";
    }
  }
  std::cout.flush();
  if (a.stats) {
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    std::fprintf(stderr, "smsup rehearse: %zu sites, %zu clients, %llu events, %llu log lines, %.3f s wall, %.0f events/s\n",
                 h.sites.size(), h.clients.size(), static_cast<unsigned long long>(t.events_processed()),
                 static_cast<unsigned long long>(t.lines_written()), wall,
                 static_cast<double>(t.events_processed()) / std::max(wall, 1e-9));
  }
  return r.ok() ? 0 : 1;
}

}  // namespace

void register_rehearse(CLI::App& app, Status& status) {
  auto a = std::make_shared<RehearseArgs>();
  auto* sub = app.add_subcommand(
      "rehearse",
      "Run a plan on a fresh twin of its hierarchy, in virtual time, and report what happened.\n"
      "Exit status: 0 fully upgraded with nothing lost, 1 otherwise, 2 bad input.");
  sub->add_option("PLAN", a->plan, "the plan (smsup-plan/1) made by smsup plan")->required();
  sub->add_option("--inventory", a->inventory, "the inventory (default: the one the plan names)");
  sub->add_option("--seed", a->seed, "seed of the twin's chance and jitter (same seed, same run)")->capture_default_str();
  sub->add_option("--faults", a->faults,
                  "inject faults: KIND[@SITE]=fail|hang|activity|CHANCE, comma-separated, "
                  "e.g. upgrade@PR1=fail,verify@SEC2=hang,upgrade=0.05");
  sub->add_option("--twin-dir", a->twin_dir,
                  "write each site's logs, its site database (site-databases/CODE.db) and the twin's state under this folder");
  sub->add_option("--format", a->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  sub->add_option("--days", a->days, "follow the clients for this many days")->capture_default_str()->check(CLI::Range(1, 3650));
  sub->add_option("--durations", a->durations, "JSON file overriding the twin's durations (minutes)");
  sub->add_option("--max-parallel", a->max_parallel, "site upgrades at once (default: the plan's)")->check(CLI::Range(1, 10000));
  sub->add_flag("--recover", a->recover, "after a failed step, restore the site from its backup if it broke, and retry once");
  sub->add_flag("--force", a->force, "rehearse even if the inventory changed since the plan was made");
  sub->add_flag("--stats", a->stats, "print events, wall time and events per second on stderr");
  sub->add_flag("--no-databases", a->no_databases,
                "do not make each primary site's database (SQLite, a moment per site): take the "
                "upgrade's growth from the model, as the disk rule's estimate does");
  sub->add_flag("--naive-clients", a->naive_clients,
                "simulate one event per client per CCIM cycle and heartbeat (the benchmark's baseline)");
  sub->callback([a, &status] { status.code = run_rehearse(*a); });
}

}  // namespace smsup::cli
