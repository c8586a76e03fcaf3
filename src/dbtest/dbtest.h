// `smsup dbtest`: the database upgrade test on a copy (shared/spec/dbtest.md).
// In order: refuse on replication; copy under a name that cannot be taken for
// the original; measure data and log; migrate the copy in one transaction;
// measure again; check the copy; report growth and fit; drop the copy.
// The database given is only ever opened read-only (SQLite) or used as a
// template (PostgreSQL): nothing here writes to it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dbtest/site_db.h"
#include "model/db_growth.h"

namespace smsup::dbtest {

struct Migration {
  std::string name;  // "SP2 migration (built in)" or the file's path
  std::string sql;
  std::vector<std::string> keep_rows;  // tables whose row counts must be kept
  bool keep_rows_declared = false;     // false: every table present before and after
};

// The built-in SP2 migration, or FILE's (its `-- smsup:keep-rows T...` lines).
Migration builtin_migration();
Migration migration_from_file(const std::string& path);
Migration migration_from_text(std::string name, std::string sql);

struct Options {
  std::string db;  // sqlite:PATH or postgresql://...
  Migration migration;
  std::optional<int64_t> free_disk_mb;
  bool keep_copy = false;
  // SQLite: PRAGMA integrity_check instead of quick_check (which skips only
  // the cross-check of index entries against their table rows).
  bool full_check = false;
};

struct Check {
  std::string name;  // "integrity", "rows System_DISC", ...
  bool ok = false;
  std::string detail;
};

// A stand-in database names the real site database it stands for (the twin's
// site databases do, GenerateOptions::site_data_mb): the test then also gives
// its figures at the real size, by model/db_growth.h's scale_to_site, with an
// empty site database run through the same migration as the baseline.
struct SiteScale {
  int64_t data_mb = 0;  // the real database's sizes, from SiteSettings
  int64_t log_mb = 0;
  MigrationRun empty;  // bytes of an empty site database under the migration
  AfterMb after;       // at the real size
  int64_t growth_mb() const { return (after.data_mb_after - data_mb) + (after.log_mb_after - log_mb); }
};

struct Report {
  std::string engine;    // sqlite | postgresql
  std::string database;  // path or database name (no password)
  std::string copy;      // the copy's path or database name
  bool copy_kept = false;
  std::vector<std::string> cleaned;  // copies left by killed runs, removed first
  std::string migration;
  bool migration_ok = false;
  std::string migration_error;
  double copy_seconds = 0;
  double migration_seconds = 0;
  double check_seconds = 0;
  double total_seconds = 0;
  Sizes before, after;
  std::vector<Check> checks;
  std::optional<int64_t> free_disk_mb;
  std::optional<SiteScale> site;  // set for a stand-in whose migration succeeded

  int64_t growth_bytes() const { return (after.data_bytes - before.data_bytes) + (after.log_bytes - before.log_bytes); }
  // The inventory's dbtest block: MB, rounded up; for a stand-in, at the
  // real database's size.
  int64_t data_mb_after() const;
  int64_t log_mb_after() const;
  int64_t growth_mb() const;  // what the disk must hold: the block's growth
  bool checks_ok() const;
  std::optional<bool> fits() const;  // unset without free_disk_mb
  bool passed() const { return migration_ok && checks_ok() && fits().value_or(true); }
  // A stand-in's migration time scaled to the real database's size: the
  // stand-in's measured rate (MB migrated per second) applied to the real
  // data and log. An estimate; unset for a plain database or a failed run.
  std::optional<double> seconds_at_site_size() const;
  int exit_code() const { return passed() ? 0 : 1; }
};

// Runs the test. Bad input, refusals (replication, a copy given as input,
// other sessions on the source) and connection failures throw InputError.
Report run(const Options& opts);
Report run_sqlite(const std::string& path, const Options& opts);
Report run_postgresql(const std::string& url, const Options& opts);

std::string format_text(const Report& r);
std::string format_json(const Report& r);

}  // namespace smsup::dbtest
