// `smsup twin make`: the twin of an inventory, as rehearse and apply start
// from, with every primary site's own database, in a folder: to look at, and
// to run `smsup dbtest` on "the twin's" database before any upgrade.
#include <fmt/format.h>

#include <fmt/ostream.h>

#include <filesystem>
#include <vector>
#include <nlohmann/json.hpp>

#include "cli/add_verb.h"
#include "cli/checks.h"
#include "cli/twin.h"
#include "cli/twin_dir.h"
#include "collect/twin_shape.h"
#include "dbtest/pg_conn.h"
#include "inventory/inventory.h"
#include "model/db_growth.h"
#include "sitedb/sqlite_site_databases.h"
#include "twin/twin.h"
#include "util/error.h"

namespace smsup::cli {

namespace {

// The SMS 2003 shape in PostgreSQL, connection errors naming --engine.
std::vector<collect::PgSiteDatabase> write_postgresql_shape(const Hierarchy& h, const std::string& url) {
  try {
    return collect::write_twin_shape_postgresql(h, url);
  } catch (const InputError& e) {
    throw InputError(e.loc(), "--engine", e.message());
  }
}

// What `inventory collect` is given to read them.
std::string postgresql_text(const Hierarchy& h, const std::vector<collect::PgSiteDatabase>& dbs) {
  std::string text =
      fmt::format("SMS 2003 views of {} ({} sites, {} clients) and each primary's database facts in PostgreSQL:\n",
                  h.name, h.sites.size(), h.clients.size());
  std::string central, site_dbs;
  for (const auto& d : dbs) {
    text += fmt::format("  {:<4} {}{}\n", d.code, dbtest::redact_url(d.url), d.central ? "  (central: the views)" : "");
    if (d.central) central = dbtest::redact_url(d.url);
    site_dbs += fmt::format(" --site-db {}={}", d.code, dbtest::redact_url(d.url));
  }
  if (dbs.size() <= 8) {
    text += fmt::format("Collect them: smsup inventory collect --central {}{} -o DIR\n", central, site_dbs);
  } else {
    text += fmt::format("Collect them: smsup inventory collect --central {} --site-db CODE=URL ... -o DIR\n", central);
  }
  return text;
}

nlohmann::ordered_json postgresql_json(const std::vector<collect::PgSiteDatabase>& dbs) {
  auto a = nlohmann::ordered_json::array();
  for (const auto& d : dbs) {
    a.push_back(
        {{"site", d.code}, {"database", d.database}, {"url", dbtest::redact_url(d.url)}, {"central", d.central}});
  }
  return a;
}

}  // namespace

int run_twin_make(const TwinMakeOptions& o, Output& out) {
  require_one_of("--format", o.format, {"text", "json"});
  bool postgresql = o.engine.starts_with("postgresql://") || o.engine.starts_with("postgres://");
  if (o.engine != "sqlite" && !postgresql) {
    throw InputError({}, "--engine",
                     fmt::format("'{}' is not an engine; expected sqlite or postgresql://USER@HOST:PORT[/DB]",
                                 dbtest::redact_url(o.engine)));
  }
  if (o.dir.empty() && !(postgresql && o.views_only)) {
    throw InputError({}, "--twin-dir", "required: the twin's folder (only --views-only on PostgreSQL writes none)");
  }
  namespace fs = std::filesystem;
  Hierarchy h = inventory::load(o.inventory);
  if (o.views_only && postgresql) {
    auto dbs = write_postgresql_shape(h, o.engine);
    if (o.format == "json") {
      nlohmann::ordered_json j{{"format", "smsup-twin-make/1"},
                               {"hierarchy", h.name},
                               {"engine", "postgresql"},
                               {"site_databases", postgresql_json(dbs)}};
      out.out << j.dump(2) << "\n";
    } else {
      out.out << postgresql_text(h, dbs);
    }
    return 0;
  }
  if (o.views_only) {
    fs::path dir(o.dir);
    prepare_twin_dir(dir);
    fs::create_directories(dir / sitedb::kSiteDatabasesDir);
    collect::write_twin_shape_sqlite(h, dir / sitedb::kSiteDatabasesDir);
    out.out << fmt::format("SMS 2003 views of {} ({} sites, {} clients) in {}\n", h.name, h.sites.size(),
                           h.clients.size(),
                           (dir / sitedb::kSiteDatabasesDir / (h.sites[h.central].code + ".db")).string());
    return 0;
  }
  twin::Twin t = twin::Twin::from(h, o.seed, {});
  fs::path dir(o.dir);
  prepare_twin_dir(dir);
  sitedb::SqliteSiteDatabases dbs(dir / sitedb::kSiteDatabasesDir, o.seed);
  attach_with_progress(t, dbs, out);
  // The SMS 2003 views and database facts, for `smsup inventory collect`:
  // into the stand-ins, or into PostgreSQL.
  std::vector<collect::PgSiteDatabase> pg_dbs;
  if (postgresql)
    pg_dbs = write_postgresql_shape(h, o.engine);
  else
    collect::write_twin_shape_sqlite(h, dir / sitedb::kSiteDatabasesDir);
  t.save((dir / "twin-state.json").string());

  nlohmann::ordered_json sites = nlohmann::ordered_json::array();
  std::string text = fmt::format("Twin of {} in {}: {} sites, {} clients, seed {}\n", h.name, o.dir, h.sites.size(),
                                 h.clients.size(), o.seed);
  text += fmt::format("Site databases (stand-ins in {}):\n", (dir / sitedb::kSiteDatabasesDir).string());
  text += fmt::format("  {:<4} {:>9} {:>9} {:>10} {:>11} {:>11}  {:<17} {}\n", "site", "data MB", "log MB", "free MB",
                      "growth MB", "estimate", "growth from", "clients");
  std::string example;
  for (const auto& s : t.sites()) {
    if (!s.db) continue;
    int64_t growth = s.db->growth_data_mb + s.db->growth_log_mb;
    int64_t clients = miniature_clients(s.db->clients_held);
    text += fmt::format("  {:<4} {:>9} {:>9} {:>10} {:>11} {:>11}  {:<17} {} held, {} in its database{}\n", s.code,
                        s.db->data_mb, s.db->log_mb, s.db->free_disk_mb, growth, s.db->estimate_mb, s.db->growth_from,
                        s.db->clients_held, clients, growth > s.db->free_disk_mb ? "  DOES NOT FIT" : "");
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
  if (o.format == "json") {
    nlohmann::ordered_json j{{"format", "smsup-twin-make/1"},
                             {"hierarchy", h.name},
                             {"dir", o.dir},
                             {"seed", o.seed},
                             {"state", (dir / "twin-state.json").string()},
                             {"databases", sites}};
    if (postgresql) j["site_databases"] = postgresql_json(pg_dbs);
    out.out << j.dump(2) << "\n";
  } else {
    out.out << text;
    if (postgresql) out.out << postgresql_text(h, pg_dbs);
    if (!example.empty()) out.out << "Test one as the checklist says: smsup dbtest --db sqlite:" << example << "\n";
  }
  return 0;
}

void register_twin_make(CLI::App& twin, Status& status) {
  auto [sub, o] = add_verb(twin, status, "make",
                           "Make the twin of an inventory in a folder: its state (twin-state.json) and each primary "
                           "site's own database (site-databases/CODE.db, SQLite), as rehearse and apply start from",
                           run_twin_make);
  sub->add_option("INVENTORY", o->inventory, "the inventory (smsup-inventory/1)")->required();
  sub->add_option("--twin-dir", o->dir,
                  "the folder (new, empty, or made by smsup before: replaced); required but with --views-only "
                  "--engine postgresql://...");
  sub->add_option("--seed", o->seed, "seed of the twin and of its databases' rows (rehearse --seed)")
      ->capture_default_str()
      ->check(whole_number_u64());
  sub->add_flag("--views-only", o->views_only,
                "write only the SMS 2003 views of the central site and each primary's database facts "
                "(site-databases/CODE.db), for `smsup inventory collect`; no twin state, no stand-in databases");
  sub->add_option("--engine", o->engine,
                  "where the SMS 2003 views and database facts go: sqlite (the site-databases/CODE.db files) or "
                  "postgresql://USER@HOST:PORT[/DB], one database sms_<code> per primary site on that server "
                  "(made new each time; one smsup did not make is refused); the password may come from PGPASSWORD")
      ->capture_default_str();
  sub->add_option("--format", o->format, "text or json")->capture_default_str();
}

}  // namespace smsup::cli
