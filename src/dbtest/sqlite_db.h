// A small owner of one sqlite3 connection: open, run SQL, read a number.
// Failures throw smsup::InputError naming the file (the CLI's exit 2), except
// try_exec, which returns the engine's message so a failing migration can be
// reported as a result rather than as bad input.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>

namespace smsup::dbtest {

class SqliteDb {
 public:
  SqliteDb(const std::string& path, int flags);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  void exec(const std::string& sql);
  std::string try_exec(const std::string& sql);  // "" on success
  int64_t scalar(const std::string& sql);        // first column of the first row
  std::string text(const std::string& sql);      // same, as text ("" without rows)
  bool has_table(const std::string& name);
  void close();  // explicit close, errors thrown
  sqlite3* get() const { return db_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

// Page bytes (page_count * page_size) of an open database.
int64_t sqlite_data_bytes(SqliteDb& db);

// Bytes of PATH-wal, 0 when there is none.
int64_t sqlite_wal_bytes(const std::string& path);

// Quotes an identifier for SQLite and PostgreSQL alike: "na""me".
std::string quote_ident(const std::string& name);

}  // namespace smsup::dbtest
