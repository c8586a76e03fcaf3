// `smsup dbtest`: the database upgrade test on a copy (docs/dbtest.md).
#include "cli/add_verb.h"
#include "cli/checks.h"
#include "cli/dbtest.h"
#include "dbtest/dbtest.h"
#include "util/error.h"

namespace smsup::cli {

int run_dbtest(const DbtestOptions& o, Output& out) {
  require_one_of("--format", o.format, {"text", "json"});
  if (o.free_disk_mb) require_range("--free-disk-mb", *o.free_disk_mb, 0, int64_t{1} << 40);
  dbtest::Options opts;
  opts.db = o.db;
  opts.migration = o.migration.empty() ? dbtest::builtin_migration() : dbtest::migration_from_file(o.migration);
  if (o.free_disk_mb) opts.free_disk_mb = *o.free_disk_mb;
  opts.keep_copy = o.keep_copy;
  opts.full_check = o.full_check;
  dbtest::Report r = dbtest::run(opts);
  out.out << (o.format == "json" ? dbtest::format_json(r) : dbtest::format_text(r));
  return r.exit_code();
}

void register_dbtest(CLI::App& app, Status& status) {
  auto [sub, o] = add_verb(app, status, "dbtest",
                           "Test the database upgrade on a copy (setup /testdbupgrade): refuse on replication, copy, "
                           "migrate the copy, measure data and log growth, check, drop the copy.\n"
                           "Exit status: 0 passed (and fits), 1 migration failed, check failed or does not fit, "
                           "2 bad input, refused (replication, a copy given, other sessions) or cannot connect.",
                           run_dbtest);
  sub->add_option("--db", o->db, "sqlite:PATH or postgresql://HOST[:PORT]/DB")->required();
  sub->add_option("--migration", o->migration,
                  "SQL file to run on the copy (default: the SP2 migration shipped with smsup)");
  sub->add_option("--free-disk-mb", o->free_disk_mb,
                  "Free disk (MB) for data and log: say whether the real upgrade fits");
  sub->add_option("--format", o->format, "text or json")->capture_default_str();
  sub->add_flag("--keep-copy", o->keep_copy, "Keep the migrated copy (renamed ...smsup-dbtest-kept-...)");
  sub->add_flag("--full-check", o->full_check,
                "SQLite: PRAGMA integrity_check (also cross-checks every index) instead of quick_check");
}

}  // namespace smsup::cli
