// The SMS 2003 site database of a twin site, as a real database: its schema
// (sql/schema.sql), a generator that fills it for N clients with realistic
// volumes, the SP2 migration (sql/sp2_migration.sql), and size measurement.
// This is the API the twin calls to give each site a database sized from its
// inventory, and that `smsup twin db` and `smsup dbtest` use.
//
//   auto stats = dbtest::generate_sqlite("CEN.db", 5000, 42);  // 5000 clients
//   dbtest::Sizes s = dbtest::measure_sqlite("CEN.db");        // data + log bytes
//   dbtest::Growth g = dbtest::estimate_growth(5000);          // without running it
//
// Errors (path exists, cannot connect, SQL failure) throw smsup::InputError.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace smsup::dbtest {

// Sizes of a database: data (SQLite: page_count * page_size; PostgreSQL:
// pg_database_size) and log (SQLite: bytes in the -wal file; PostgreSQL: WAL
// bytes written by the operation measured).
struct Sizes {
  int64_t data_bytes = 0;
  int64_t log_bytes = 0;
  double data_mb() const { return static_cast<double>(data_bytes) / (1024.0 * 1024.0); }
  double log_mb() const { return static_cast<double>(log_bytes) / (1024.0 * 1024.0); }
};

// What the generator wrote.
struct GenerateStats {
  int64_t clients = 0;
  int64_t rows = 0;  // over all tables
};

struct GenerateOptions {
  int64_t clients = 1000;
  uint64_t seed = 1;
  std::string site_code = "CEN";  // SMS_Assigned_Site0, SiteSettings.SiteCode
  bool replication = false;       // SQLite: SiteSettings.Replication; PostgreSQL: a publication
  // A stand-in (the twin's site databases): the sizes of the real site
  // database it stands for, kept in SiteSettings (smsup.site_data_mb,
  // smsup.site_log_mb). dbtest then also reports its figures at that size.
  // Negative: not a stand-in.
  int64_t site_data_mb = -1;
  int64_t site_log_mb = -1;
};

// SiteSettings.SchemaVersion of an SMS 2003 SP2 site database: what the
// built-in migration (sql/sp2_migration.sql) leaves.
inline constexpr const char* kSp2SchemaVersion = "2.50.4160.2000";

// SiteSettings names of a stand-in's sizes (GenerateOptions::site_data_mb).
inline constexpr const char* kSiteDataMbSetting = "smsup.site_data_mb";
inline constexpr const char* kSiteLogMbSetting = "smsup.site_log_mb";

// Creates PATH (which must not exist) as an SMS 2003 SP1 site database with
// opts.clients clients. Deterministic for a given seed: the same options give
// the same rows.
GenerateStats generate_sqlite(const std::string& path, const GenerateOptions& opts);
inline GenerateStats generate_sqlite(const std::string& path, int64_t clients, uint64_t seed) {
  GenerateOptions o;
  o.clients = clients;
  o.seed = seed;
  return generate_sqlite(path, o);
}

// Fills the PostgreSQL database at URL (postgresql://...), which must not hold
// a site database yet (no SiteSettings table).
GenerateStats generate_postgresql(const std::string& url, const GenerateOptions& opts);

// Data and log sizes of the SQLite database at PATH, read without writing.
Sizes measure_sqlite(const std::string& path);

// What the twin does to its sites' databases, the way the real operations
// do it to a real one:
// - replication on or off (the replication-disable/-enable steps);
// - the upgrade's database step: MIGRATION run on the database itself, in one
//   transaction, and a stand-in's sizes set to the site's sizes after it.
//   Returns false, touching nothing, when the database is at SP2 already
//   (SiteSettings.SchemaVersion is the one the built-in migration sets).
void set_replication_sqlite(const std::string& path, bool on);
// The SiteSettings table: all of it, one row ("" when absent), and a row written.
std::map<std::string, std::string> read_settings_sqlite(const std::string& path);
std::string read_setting_sqlite(const std::string& path, const std::string& name);
void write_setting_sqlite(const std::string& path, const std::string& name, const std::string& value);
// Several rows in one transaction, without waiting for the disk (a file
// being made, whose maker syncs it once before it takes its name).
void write_settings_unsynced_sqlite(const std::string& path,
                                    const std::vector<std::pair<std::string, std::string>>& rows);
bool upgrade_sqlite(const std::string& path, std::string_view migration_sql, int64_t site_data_mb_after,
                    int64_t site_log_mb_after);

// The growth of a SQLite site database of N generated clients under the SP2
// migration, from per-client figures measured on the generator (see
// docs/dbtest.md); for the disk-space rule and the twin when no test was run.
struct Growth {
  double data_mb_before = 0;
  double data_mb_after = 0;
  double log_mb_after = 0;  // log before is 0
  double growth_mb() const { return (data_mb_after - data_mb_before) + log_mb_after; }
};
Growth estimate_growth(int64_t clients);

// The embedded SQL: the schema and the SP2 migration.
std::string_view schema_sql();
std::string_view sp2_migration_sql();

}  // namespace smsup::dbtest
