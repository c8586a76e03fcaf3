// The migration dbtest runs: the built-in SP2 migration or a user's file.
// A file names the tables whose rows must survive with comment lines
//   -- smsup:keep-rows TABLE [TABLE...]
// Without any, every table present both before and after must keep its rows.
#include <fstream>
#include <sstream>

#include "dbtest/dbtest.h"
#include "util/error.h"
#include "util/input_file.h"

namespace smsup::dbtest {

Migration migration_from_text(std::string name, std::string sql) {
  Migration m{std::move(name), std::move(sql), {}, false};
  std::istringstream in(m.sql);
  std::string line;
  const std::string directive = "-- smsup:keep-rows";
  while (std::getline(in, line)) {
    auto at = line.find(directive);
    if (at == std::string::npos) continue;
    m.keep_rows_declared = true;
    std::istringstream tables(line.substr(at + directive.size()));
    for (std::string t; tables >> t;) m.keep_rows.push_back(t);
  }
  return m;
}

Migration builtin_migration() {
  return migration_from_text("SP2 migration (built in)", std::string(sp2_migration_sql()));
}

Migration migration_from_file(const std::string& path) {
  std::string sql = read_input_file(path, "a migration script (SQL)", limits::kSql);
  if (sql.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw InputError({path, 0, 0}, "--migration", "the migration file is empty; expected SQL");
  }
  if (sql.find('\0') != std::string::npos) {
    throw InputError({path, 0, 0}, "--migration", "not a text file; expected SQL");
  }
  return migration_from_text(path, std::move(sql));
}

}  // namespace smsup::dbtest
