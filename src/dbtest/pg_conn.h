// A small owner of one libpq connection. Connection failures throw
// smsup::InputError (exit 2); try_exec returns the server's message so a
// failing migration is a result, not bad input.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <string>
#include <vector>

namespace smsup::dbtest {

class PgConn {
 public:
  // url: a postgresql:// URI or key=value string. dbname, when not empty,
  // replaces the database the URL names (to reach the maintenance database
  // or a copy with the same host, port and credentials).
  explicit PgConn(const std::string& url, const std::string& dbname = {});
  ~PgConn();
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  void exec(const std::string& sql);
  std::string try_exec(const std::string& sql);  // "" on success
  // Rows of a query with text parameters $1, $2...; each row as its columns.
  std::vector<std::vector<std::string>> query(const std::string& sql, const std::vector<std::string>& params = {});
  std::string text(const std::string& sql, const std::vector<std::string>& params = {});
  int64_t scalar(const std::string& sql, const std::vector<std::string>& params = {});
  std::string dbname() const { return PQdb(conn_); }
  const std::string& where() const { return where_; }
  PGconn* get() const { return conn_; }

 private:
  PGconn* conn_ = nullptr;
  std::string where_;  // for messages: the URL without password
};

// URL with any password replaced by ***, for messages.
std::string redact_url(const std::string& url);

}  // namespace smsup::dbtest
