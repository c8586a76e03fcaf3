#include "dbtest/sqlite_db.h"

#include <filesystem>
#include <system_error>

#include "util/error.h"

namespace smsup::dbtest {

SqliteDb::SqliteDb(const std::string& path, int flags) : path_(path) {
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw InputError({path, 0, 0}, "", "cannot open SQLite database: " + msg);
  }
  sqlite3_busy_timeout(db_, 5000);
}

SqliteDb::~SqliteDb() { sqlite3_close(db_); }

void SqliteDb::close() {
  if (db_ && sqlite3_close(db_) != SQLITE_OK) {
    throw InputError({path_, 0, 0}, "", std::string("cannot close: ") + sqlite3_errmsg(db_));
  }
  db_ = nullptr;
}

std::string SqliteDb::try_exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) == SQLITE_OK) return {};
  std::string msg = err ? err : sqlite3_errmsg(db_);
  sqlite3_free(err);
  return msg.empty() ? "unknown SQLite error" : msg;
}

void SqliteDb::exec(const std::string& sql) {
  std::string err = try_exec(sql);
  if (!err.empty()) throw InputError({path_, 0, 0}, "", err + " (in: " + sql.substr(0, 80) + ")");
}

namespace {
struct Stmt {
  sqlite3_stmt* s = nullptr;
  ~Stmt() { sqlite3_finalize(s); }
};
}  // namespace

std::string SqliteDb::text(const std::string& sql) {
  Stmt st;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st.s, nullptr) != SQLITE_OK) {
    throw InputError({path_, 0, 0}, "", std::string(sqlite3_errmsg(db_)) + " (in: " + sql + ")");
  }
  int rc = sqlite3_step(st.s);
  if (rc == SQLITE_ROW) {
    auto* t = sqlite3_column_text(st.s, 0);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
  if (rc != SQLITE_DONE) {
    throw InputError({path_, 0, 0}, "", std::string(sqlite3_errmsg(db_)) + " (in: " + sql + ")");
  }
  return {};
}

int64_t SqliteDb::scalar(const std::string& sql) {
  std::string t = text(sql);
  return t.empty() ? 0 : std::stoll(t);
}

bool SqliteDb::has_table(const std::string& name) {
  Stmt st;
  sqlite3_prepare_v2(db_, "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?1 COLLATE NOCASE", -1, &st.s,
                     nullptr);
  sqlite3_bind_text(st.s, 1, name.c_str(), -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st.s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    throw InputError({path_, 0, 0}, "", sqlite3_errmsg(db_));
  }
  return rc == SQLITE_ROW;
}

int64_t sqlite_data_bytes(SqliteDb& db) { return db.scalar("PRAGMA page_count") * db.scalar("PRAGMA page_size"); }

int64_t sqlite_wal_bytes(const std::string& path) {
  std::error_code ec;
  auto n = std::filesystem::file_size(path + "-wal", ec);
  return ec ? 0 : static_cast<int64_t>(n);
}

std::string quote_ident(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace smsup::dbtest
