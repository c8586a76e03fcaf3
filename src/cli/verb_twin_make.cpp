// `smsup twin make`: the twin of an inventory, as rehearse and apply start
// from, with every primary site's own database, in a folder: to look at, and
// to run `smsup dbtest` on "the twin's" database before any upgrade.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/verbs.h"
#include "collect/twin_shape.h"
#include "inventory/inventory.h"
#include "model/db_growth.h"
#include "sitedb/sqlite_site_databases.h"
#include "twin/twin.h"
#include "util/error.h"

namespace smsup::cli {

void register_twin_make(CLI::App& twin, Status& status) {
  auto* sub = twin.add_subcommand(
      "make",
      "Make the twin of an inventory in a folder: its state (twin-state.json) and each primary "
      "site's own database (site-databases/CODE.db, SQLite), as rehearse and apply start from");
  struct Opts {
    std::string inventory, dir, format = "text";
    uint64_t seed = 1;
    bool views_only = false;
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("INVENTORY", o->inventory, "the inventory (smsup-inventory/1)")->required();
  sub->add_option("--twin-dir", o->dir, "the folder (new, empty, or made by smsup before: replaced)")->required();
  sub->add_option("--seed", o->seed, "seed of the twin and of its databases' rows (rehearse --seed)")
      ->capture_default_str();
  sub->add_flag("--views-only", o->views_only,
               "write only the SMS 2003 views of the central site and each primary's database facts "
               "(site-databases/CODE.db), for `smsup inventory collect`; no twin state, no stand-in databases");
  sub->add_option("--format", o->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub->callback([o, &status] {
    namespace fs = std::filesystem;
    Hierarchy h = inventory::load(o->inventory);
    if (o->views_only) {
      fs::path dir(o->dir);
      prepare_twin_dir(dir);
      fs::create_directories(dir / sitedb::kSiteDatabasesDir);
      collect::write_twin_shape_sqlite(h, dir / sitedb::kSiteDatabasesDir);
      std::cout << fmt::format("SMS 2003 views of {} ({} sites, {} clients) in {}\n", h.name, h.sites.size(),
                               h.clients.size(), (dir / sitedb::kSiteDatabasesDir / (h.sites[h.central].code + ".db")).string());
      status.code = 0;
      return;
    }
    twin::Twin t = twin::Twin::from(h, o->seed, {});
    fs::path dir(o->dir);
    prepare_twin_dir(dir);
    sitedb::SqliteSiteDatabases dbs(dir / sitedb::kSiteDatabasesDir, o->seed);
    attach_with_progress(t, dbs);
    // The SMS 2003 views and database facts, for `smsup inventory collect`.
    collect::write_twin_shape_sqlite(h, dir / sitedb::kSiteDatabasesDir);
    t.save((dir / "twin-state.json").string());

    nlohmann::ordered_json sites = nlohmann::ordered_json::array();
    std::string text = fmt::format("Twin of {} in {}: {} sites, {} clients, seed {}\n", h.name, o->dir,
                                   h.sites.size(), h.clients.size(), o->seed);
    text += fmt::format("Site databases (stand-ins in {}):\n", (dir / sitedb::kSiteDatabasesDir).string());
    text += fmt::format("  {:<4} {:>9} {:>9} {:>10} {:>11} {:>11}  {:<17} {}\n", "site", "data MB", "log MB",
                        "free MB", "growth MB", "estimate", "growth from", "clients");
    std::string example;
    for (const auto& s : t.sites()) {
      if (!s.db) continue;
      int64_t growth = s.db->growth_data_mb + s.db->growth_log_mb;
      int64_t clients = miniature_clients(s.db->clients_held);
      text += fmt::format("  {:<4} {:>9} {:>9} {:>10} {:>11} {:>11}  {:<17} {} held, {} in its database{}\n", s.code,
                          s.db->data_mb, s.db->log_mb, s.db->free_disk_mb, growth, s.db->estimate_mb,
                          s.db->growth_from, s.db->clients_held, clients,
                          growth > s.db->free_disk_mb ? "  DOES NOT FIT" : "");
      // The one to test: no measured figures yet, and testable as it is.
      if (example.empty() && !s.db->replication && s.db->growth_from != "inventory dbtest") example = s.db->file;
      sites.push_back({{"code", s.code},
                       {"file", s.db->file},
                       {"data_mb", s.db->data_mb},
                       {"log_mb", s.db->log_mb},
                       {"free_disk_mb", s.db->free_disk_mb},
                       {"growth_mb", growth},
                       {"estimate_mb", s.db->estimate_mb},
                       {"growth_from", s.db->growth_from},
                       {"clients_held", s.db->clients_held},
                       {"clients_in_database", clients},
                       {"replication", s.db->replication}});
    }
    if (o->format == "json") {
      nlohmann::ordered_json j{{"format", "smsup-twin-make/1"}, {"hierarchy", h.name},
                               {"dir", o->dir},            {"seed", o->seed},
                               {"state", (dir / "twin-state.json").string()}, {"databases", sites}};
      std::cout << j.dump(2) << "\n";
    } else {
      std::cout << text;
      if (!example.empty()) std::cout << "Test one as the checklist says: smsup dbtest --db sqlite:" << example << "\n";
    }
    status.code = 0;
  });
}

}  // namespace smsup::cli
