// `smsup demo` stage dbtest: a twin site database for a few thousand
// clients, the database upgrade test on a copy of it, and the refusal of a
// database with replication enabled.
#include <cstdio>
#include <filesystem>

#include "cli/verbs.h"
#include "dbtest/dbtest.h"
#include "util/error.h"

namespace smsup::cli {

int demo_dbtest(const DemoContext& ctx) {
  namespace fs = std::filesystem;
  fs::path dir = ctx.out / "dbtest";
  fs::remove_all(dir);  // the demo's own files from an earlier run
  fs::create_directories(dir);
  std::string db = (dir / "SMS_CEN.db").string();
  auto st = dbtest::generate_sqlite(db, 3000, 1);
  std::printf("Twin site database %s: %lld clients, %lld rows, %.1f MB\n\n", db.c_str(),
              static_cast<long long>(st.clients), static_cast<long long>(st.rows),
              dbtest::measure_sqlite(db).data_mb());
  dbtest::Options o;
  o.db = "sqlite:" + db;
  o.migration = dbtest::builtin_migration();
  o.free_disk_mb = 30000;
  dbtest::Report r = dbtest::run(o);
  std::fputs(dbtest::format_text(r).c_str(), stdout);

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
    std::printf("\nWith replication enabled, dbtest refuses (exit 2):\n  %s\n", e.what());
  }
  return r.passed() && refused ? 0 : 1;
}

}  // namespace smsup::cli
