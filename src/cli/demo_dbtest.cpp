// `smsup demo` stage dbtest: the twin of the example makes its sites' own
// databases; the database upgrade test runs on a copy of one of them and
// gives the same growth the disk rule estimates and the twin's upgrade takes;
// then the refusal of a database with replication enabled.
#include <fmt/format.h>

#include <cmath>
#include <filesystem>

#include <fmt/ostream.h>

#include "cli/demo.h"
#include "cli/twin_dir.h"
#include "dbtest/dbtest.h"
#include "inventory/inventory.h"
#include "model/db_growth.h"
#include "sitedb/sqlite_site_databases.h"
#include "twin/twin.h"
#include "util/error.h"

namespace smsup::cli {

int demo_dbtest(const DemoContext& ctx, Output& out) {
  namespace fs = std::filesystem;
  fs::path dir = ctx.out / "dbtest";
  fs::remove_all(dir);  // the demo's own files from an earlier run
  fs::create_directories(dir);

  Hierarchy h = inventory::load(ctx.example.string());
  twin::Twin t = twin::Twin::from(h, 1, {});
  sitedb::SqliteSiteDatabases dbs(dir / sitedb::kSiteDatabasesDir, 1);
  attach_with_progress(t, dbs, out);
  // A primary site the inventory has no test result for, and whose
  // database can be tested as it is (no replication).
  const twin::TwinSite* site = nullptr;
  const Site* inv = nullptr;
  for (const auto& s : t.sites()) {
    const Site& i = h.sites[static_cast<size_t>(h.find_site(s.code))];
    if (s.db && !i.database->dbtest && !s.db->replication) {
      site = &s;
      inv = &i;
      break;
    }
  }
  if (!site) {
    fmt::print(out.out, "No primary site of {} lacks a database test: nothing to show.\n", h.name.c_str());
    return 1;
  }
  fmt::print(out.out, "The twin of {} made a site database for each primary site in {}.\n", h.name.c_str(),
             (dir / sitedb::kSiteDatabasesDir).c_str());
  fmt::print(out.out, "{}'s is a stand-in for its {} MB of data and {} MB of log, with {} clients' inventory:\n\n",
             site->code.c_str(), fmt::format("{}", site->db->data_mb).c_str(),
             fmt::format("{}", site->db->log_mb).c_str(),
             static_cast<long long>(miniature_clients(site->db->clients_held)));
  dbtest::Options o;
  o.db = "sqlite:" + site->db->file;
  o.migration = dbtest::builtin_migration();
  o.free_disk_mb = site->db->free_disk_mb;
  dbtest::Report r = dbtest::run(o);
  out.out << (dbtest::format_text(r).c_str());

  int64_t estimate = db_growth(*inv->database).total_mb();
  int64_t twin_growth = site->db->growth_data_mb + site->db->growth_log_mb;
  fmt::print(out.out,
             "\nOne set of numbers for {}: the disk rule estimates {} MB without a test (db-disk-space; the runbook's "
             "disk check),\n"
             "dbtest measures {} MB on the twin's database, and the twin's upgrade takes {} MB (smsup rehearse).\n",
             site->code.c_str(), static_cast<long long>(estimate), static_cast<long long>(r.growth_mb()),
             static_cast<long long>(twin_growth));
  bool same = r.growth_mb() == twin_growth &&
              std::abs(static_cast<double>(estimate - twin_growth)) <= 0.02 * static_cast<double>(twin_growth);

  std::string rep = (dir / "SMS_REP.db").string();
  dbtest::GenerateOptions g;
  g.clients = 100;
  g.replication = true;
  dbtest::generate_sqlite(rep, g);
  bool refused = false;
  try {
    o.db = "sqlite:" + rep;
    dbtest::run(o);
  } catch (const InputError& e) {
    refused = true;
    fmt::print(out.out, "\nWith replication enabled, dbtest refuses (exit 2):\n  {}\n", e.what());
  }
  return r.passed() && same && refused ? 0 : 1;
}

}  // namespace smsup::cli
