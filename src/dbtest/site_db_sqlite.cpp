// generate_sqlite, measure_sqlite and the embedded SQL (site_db.h).
#include <filesystem>

#include "dbtest/site_db.h"
#include "dbtest/sql_embedded.h"
#include "dbtest/sqlite_db.h"
#include "dbtest/volumes.h"
#include "util/error.h"

namespace smsup::dbtest {
namespace {

// Rows as prepared INSERTs, all in one transaction.
class SqliteSink : public RowSink {
 public:
  explicit SqliteSink(SqliteDb& db) : db_(db) {}
  ~SqliteSink() override { sqlite3_finalize(stmt_); }

  void begin_table(std::string_view table, const std::vector<std::string_view>& columns) override {
    std::string sql = "INSERT INTO " + std::string(table) + " (";
    std::string marks;
    for (size_t i = 0; i < columns.size(); ++i) {
      sql += (i ? ", " : "") + std::string(columns[i]);
      marks += i ? ", ?" : "?";
    }
    sql += ") VALUES (" + marks + ")";
    if (sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) fail();
  }
  void row(std::span<const Field> fields) override {
    for (size_t i = 0; i < fields.size(); ++i) {
      int col = static_cast<int>(i) + 1;
      if (fields[i].is_int) {
        sqlite3_bind_int64(stmt_, col, fields[i].i);
      } else {
        sqlite3_bind_text(stmt_, col, fields[i].s.data(), static_cast<int>(fields[i].s.size()), SQLITE_STATIC);
      }
    }
    if (sqlite3_step(stmt_) != SQLITE_DONE) fail();
    sqlite3_reset(stmt_);
  }
  void end_table() override {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
  }

 private:
  SqliteDb& db_;
  sqlite3_stmt* stmt_ = nullptr;
  [[noreturn]] void fail() {
    throw InputError({db_.path(), 0, 0}, "", std::string("generating: ") + sqlite3_errmsg(db_.get()));
  }
};

}  // namespace

std::string_view schema_sql() { return embedded::kSchemaSql; }
std::string_view sp2_migration_sql() { return embedded::kMigrationSql; }

GenerateStats generate_sqlite(const std::string& path, const GenerateOptions& opts) {
  if (opts.clients < 0) throw InputError({}, "--clients", "expected a number of clients >= 0");
  if (std::filesystem::exists(path)) {
    throw InputError({path, 0, 0}, "", "already exists; smsup never overwrites a database");
  }
  GenerateStats stats{opts.clients, 0};
  try {
    SqliteDb db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    // A fresh file: no journal needed while filling it; a crash leaves a
    // file that is deleted below.
    db.exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-65536;");
    db.exec("BEGIN");
    db.exec(std::string(schema_sql()));
    SqliteSink sink(db);
    stats.rows = fill_site(sink, opts);
    db.exec("COMMIT");
    db.exec("PRAGMA journal_mode=DELETE");
    db.close();
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
    throw;
  }
  return stats;
}

Sizes measure_sqlite(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) {
    throw InputError({path, 0, 0}, "", "no such database file");
  }
  SqliteDb db(path, SQLITE_OPEN_READONLY);
  return {sqlite_data_bytes(db), sqlite_wal_bytes(path)};
}

}  // namespace smsup::dbtest

namespace smsup::dbtest {
namespace {

void require_site_db(SqliteDb& db) {
  if (!db.has_table("SiteSettings")) {
    throw InputError({db.path(), 0, 0}, "", "not an SMS site database (no SiteSettings table)");
  }
}

void set_setting(SqliteDb& db, const std::string& name, const std::string& value) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db.get(), "INSERT OR REPLACE INTO SiteSettings (Name, Value) VALUES (?, ?)", -1, &st,
                         nullptr) != SQLITE_OK) {
    throw InputError({db.path(), 0, 0}, "SiteSettings", sqlite3_errmsg(db.get()));
  }
  sqlite3_bind_text(st, 1, name.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, value.c_str(), -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) throw InputError({db.path(), 0, 0}, "SiteSettings", sqlite3_errmsg(db.get()));
}

}  // namespace

void set_replication_sqlite(const std::string& path, bool on) {
  write_setting_sqlite(path, "Replication", on ? "true" : "false");
}

std::map<std::string, std::string> read_settings_sqlite(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) throw InputError({path, 0, 0}, "", "no such database file");
  SqliteDb db(path, SQLITE_OPEN_READONLY);
  require_site_db(db);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db.get(), "SELECT Name, Value FROM SiteSettings", -1, &st, nullptr) != SQLITE_OK) {
    throw InputError({path, 0, 0}, "SiteSettings", sqlite3_errmsg(db.get()));
  }
  std::map<std::string, std::string> out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    const unsigned char* n = sqlite3_column_text(st, 0);
    const unsigned char* v = sqlite3_column_text(st, 1);
    if (n) out[reinterpret_cast<const char*>(n)] = v ? reinterpret_cast<const char*>(v) : "";
  }
  sqlite3_finalize(st);
  return out;
}

std::string read_setting_sqlite(const std::string& path, const std::string& name) {
  auto all = read_settings_sqlite(path);
  auto it = all.find(name);
  return it == all.end() ? std::string() : it->second;
}

void write_settings_unsynced_sqlite(const std::string& path,
                                    const std::vector<std::pair<std::string, std::string>>& rows) {
  if (!std::filesystem::is_regular_file(path)) throw InputError({path, 0, 0}, "", "no such database file");
  SqliteDb db(path, SQLITE_OPEN_READWRITE);
  require_site_db(db);
  db.exec("PRAGMA synchronous=OFF; BEGIN");
  for (const auto& [name, value] : rows) set_setting(db, name, value);
  db.exec("COMMIT");
  db.close();
}

void write_setting_sqlite(const std::string& path, const std::string& name, const std::string& value) {
  if (!std::filesystem::is_regular_file(path)) throw InputError({path, 0, 0}, "", "no such database file");
  SqliteDb db(path, SQLITE_OPEN_READWRITE);
  require_site_db(db);
  set_setting(db, name, value);
  db.close();
}

bool upgrade_sqlite(const std::string& path, std::string_view migration_sql, int64_t site_data_mb_after,
                    int64_t site_log_mb_after) {
  if (!std::filesystem::is_regular_file(path)) throw InputError({path, 0, 0}, "", "no such database file");
  SqliteDb db(path, SQLITE_OPEN_READWRITE);
  require_site_db(db);
  if (db.text("SELECT Value FROM SiteSettings WHERE Name = 'SchemaVersion'") == kSp2SchemaVersion) return false;
  // A crash inside leaves the journal; the next open rolls it back, so the
  // database is either as before or wholly upgraded.
  db.exec("BEGIN IMMEDIATE");
  std::string err = db.try_exec(std::string(migration_sql));
  if (err.empty() &&
      !db.text("SELECT Value FROM SiteSettings WHERE Name = '" + std::string(kSiteDataMbSetting) + "'").empty()) {
    set_setting(db, kSiteDataMbSetting, std::to_string(site_data_mb_after));
    set_setting(db, kSiteLogMbSetting, std::to_string(site_log_mb_after));
  }
  if (!err.empty()) {
    db.try_exec("ROLLBACK");
    throw InputError({path, 0, 0}, "", "the SP2 migration failed: " + err);
  }
  db.exec("COMMIT");
  db.close();
  return true;
}

}  // namespace smsup::dbtest
