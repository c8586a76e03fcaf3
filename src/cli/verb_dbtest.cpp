// `smsup dbtest`: the database upgrade test on a copy (shared/spec/dbtest.md).
#include <cstdio>

#include "cli/verbs.h"
#include "dbtest/dbtest.h"
#include "util/error.h"

namespace smsup::cli {

void register_dbtest(CLI::App& app, Status& status) {
  auto* sub = app.add_subcommand(
      "dbtest",
      "Test the database upgrade on a copy (setup /testdbupgrade): refuse on replication, copy, "
      "migrate the copy, measure data and log growth, check, drop the copy.\n"
      "Exit status: 0 passed (and fits), 1 migration failed, check failed or does not fit, "
      "2 bad input, refused (replication, a copy given, other sessions) or cannot connect.");
  struct Opts {
    std::string db, migration, format = "text";
    int64_t free_disk_mb = -1;
    bool keep_copy = false;
    bool full_check = false;
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("--db", o->db, "sqlite:PATH or postgresql://HOST[:PORT]/DB")->required();
  sub->add_option("--migration", o->migration,
                  "SQL file to run on the copy (default: the SP2 migration shipped with smsup)");
  sub->add_option("--free-disk-mb", o->free_disk_mb,
                  "Free disk (MB) for data and log: say whether the real upgrade fits")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--format", o->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub->add_flag("--keep-copy", o->keep_copy,
                "Keep the migrated copy (renamed ...smsup-dbtest-kept-...)");
  sub->add_flag(
      "--full-check", o->full_check,
      "SQLite: PRAGMA integrity_check (also cross-checks every index) instead of quick_check");
  sub->callback([o, &status] {
    dbtest::Options opts;
    opts.db = o->db;
    opts.migration = o->migration.empty() ? dbtest::builtin_migration()
                                          : dbtest::migration_from_file(o->migration);
    if (o->free_disk_mb >= 0) opts.free_disk_mb = o->free_disk_mb;
    opts.keep_copy = o->keep_copy;
    opts.full_check = o->full_check;
    dbtest::Report r = dbtest::run(opts);
    std::string out = o->format == "json" ? dbtest::format_json(r) : dbtest::format_text(r);
    std::fwrite(out.data(), 1, out.size(), stdout);
    status.code = r.exit_code();
  });
}

}  // namespace smsup::cli
