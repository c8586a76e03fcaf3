#include "collect/odbc_source.h"

#include <sql.h>
#include <sqlite3.h>
#include <sqlext.h>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>

#include "util/error.h"
#include "util/text.h"

namespace smsup::collect {

std::string_view to_string(Dialect d) {
  switch (d) {
    case Dialect::mssql:
      return "SQL Server";
    case Dialect::sqlite:
      return "SQLite";
    case Dialect::postgresql:
      return "PostgreSQL";
  }
  return "?";
}

bool is_select(std::string_view sql) {
  size_t i = 0;
  while (i < sql.size()) {
    if (std::isspace(static_cast<unsigned char>(sql[i]))) {
      ++i;
    } else if (sql.substr(i, 2) == "--") {
      i = sql.find('\n', i);
      if (i == std::string_view::npos) return false;
    } else {
      break;
    }
  }
  std::string head;
  for (size_t j = i; j < sql.size() && j < i + 6; ++j)
    head += static_cast<char>(std::toupper(static_cast<unsigned char>(sql[j])));
  if (head != "SELECT") return false;
  // One statement: a ';' could start a second one the guard never saw. The
  // statements are ours (queries.cpp), so none has a ';' inside a literal.
  auto semi = sql.find(';', i);
  if (semi == std::string_view::npos) return true;
  return sql.find_first_not_of(" \t\r\n", semi + 1) == std::string_view::npos;
}

std::string redact(std::string text) {
  // Case-insensitive PWD=...; and password=... (up to ';', '&' or the end).
  for (std::string_view key : {"pwd=", "password="}) {
    size_t from = 0;
    while (true) {
      std::string lower = text;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      size_t at = lower.find(key, from);
      if (at == std::string::npos) break;
      size_t start = at + key.size();
      size_t end = start;
      if (end < text.size() && text[end] == '{') {
        end = text.find('}', end);
        end = end == std::string::npos ? text.size() : end + 1;
      } else {
        while (end < text.size() && text[end] != ';' && text[end] != '&' && text[end] != ' ') ++end;
      }
      text.replace(start, end - start, "***");
      from = start + 3;
    }
  }
  // postgresql://user:secret@host: the secret between ':' and '@'.
  if (auto scheme = text.find("://"); scheme != std::string::npos) {
    auto at = text.find('@', scheme);
    auto colon = text.find(':', scheme + 3);
    if (at != std::string::npos && colon != std::string::npos && colon < at) {
      text.replace(colon + 1, at - colon - 1, "***");
    }
  }
  return text;
}

namespace {

// A value for a connection string: as is when it holds nothing the syntax
// gives a meaning to, else in braces; a '}' cannot be quoted (refused).
std::string odbc_value(const std::string& v, const std::string& option) {
  if (v.find_first_of(";{}= ") == std::string::npos) return v;
  if (v.find('}') != std::string::npos) {
    throw InputError({}, option, fmt::format("'{}' cannot be passed to ODBC (it holds a '}}')", redact(v)));
  }
  return "{" + v + "}";
}

std::string percent_encode_path(const std::string& p) {
  std::string out;
  for (unsigned char c : p) {
    if (std::isalnum(c) || c == '/' || c == '.' || c == '_' || c == '-')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() + 0 && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The value of KEY=... in an ODBC connection string (case-insensitive key).
std::string odbc_attr(const std::string& conn, std::string_view key) {
  size_t i = 0;
  while (i < conn.size()) {
    size_t eq = conn.find('=', i);
    if (eq == std::string::npos) break;
    std::string k = conn.substr(i, eq - i);
    k.erase(0, k.find_first_not_of(' '));
    size_t end;
    std::string v;
    if (eq + 1 < conn.size() && conn[eq + 1] == '{') {
      end = conn.find('}', eq + 1);
      if (end == std::string::npos) end = conn.size();
      v = conn.substr(eq + 2, end - eq - 2);
      end = conn.find(';', end);
    } else {
      end = conn.find(';', eq);
      v = conn.substr(eq + 1, (end == std::string::npos ? conn.size() : end) - eq - 1);
    }
    if (util::iequal(k, key)) {
      return v;
    }
    if (end == std::string::npos) break;
    i = end + 1;
  }
  return {};
}

}  // namespace

Connection parse_connection(const std::string& conn, const std::string& option) {
  Connection c;
  if (conn.empty())
    throw InputError({}, option, "empty; expected an ODBC connection string, sqlite:PATH or postgresql://...");
  if (conn.starts_with("sqlite:")) {
    std::string path = conn.substr(7);
    namespace fs = std::filesystem;
    std::error_code ec;
    if (path.empty() || !fs::is_regular_file(path, ec)) {
      throw InputError({path, 0, 0}, option, "no such SQLite database file");
    }
    c.dialect = Dialect::sqlite;
    c.server = "sqlite";
    c.database = path;
    // The driver is named as the system's odbcinst.ini registers it (Debian
    // libsqliteodbc: [SQLite3]), not by the path of its .so. mode=ro in the
    // URI makes SQLite itself refuse any write; NoCreat keeps a wrong path
    // from creating an empty database; StepAPI=1 steps the statement row by
    // row (without it the driver first copies the whole result into memory:
    // a million client rows in malloc'd strings).
    c.odbc = "DRIVER={SQLite3};Database=file:" + percent_encode_path(fs::absolute(path).string()) +
             "?mode=ro;NoCreat=1;StepAPI=1;NoWCHAR=1";
    return c;
  }
  if (conn.starts_with("postgresql://") || conn.starts_with("postgres://")) {
    // postgresql://[user[:password]@]host[:port][/db][?password=...]
    std::string rest = conn.substr(conn.find("://") + 3);
    std::string query;
    if (auto q = rest.find('?'); q != std::string::npos) {
      query = rest.substr(q + 1);
      rest = rest.substr(0, q);
    }
    std::string user, pwd, host = "localhost", port = "5432", db;
    if (auto at = rest.rfind('@'); at != std::string::npos) {
      std::string cred = rest.substr(0, at);
      rest = rest.substr(at + 1);
      auto colon = cred.find(':');
      user = percent_decode(cred.substr(0, colon));
      if (colon != std::string::npos) pwd = percent_decode(cred.substr(colon + 1));
    }
    if (auto slash = rest.find('/'); slash != std::string::npos) {
      db = percent_decode(rest.substr(slash + 1));
      rest = rest.substr(0, slash);
    }
    if (auto colon = rest.rfind(':'); colon != std::string::npos && rest.find(']') == std::string::npos) {
      port = rest.substr(colon + 1);
      rest = rest.substr(0, colon);
    }
    if (!rest.empty()) host = rest;
    for (size_t i = 0; i < query.size();) {
      size_t amp = query.find('&', i);
      std::string kv = query.substr(i, amp == std::string::npos ? std::string::npos : amp - i);
      if (kv.starts_with("password="))
        pwd = percent_decode(kv.substr(9));
      else if (kv.starts_with("user="))
        user = percent_decode(kv.substr(5));
      if (amp == std::string::npos) break;
      i = amp + 1;
    }
    if (pwd.empty()) {
      if (const char* env = std::getenv("SMSUP_ODBC_PWD")) pwd = env;
    }
    c.dialect = Dialect::postgresql;
    c.server = host + ":" + port;
    c.database = db;
    // ReadOnly=1 is the driver's own read-only switch; the session is also
    // made read-only on the server (default_transaction_read_only), so that a
    // write would fail there even if one slipped past both.
    c.odbc = "DRIVER={PostgreSQL Unicode};SERVER=" + odbc_value(host, option) + ";PORT=" + odbc_value(port, option) +
             ";DATABASE=" + odbc_value(db, option) + ";ReadOnly=1;UseDeclareFetch=1;Fetch=10000" +
             ";ConnSettings={SET default_transaction_read_only=on}";
    if (!user.empty()) c.odbc += ";UID=" + odbc_value(user, option);
    if (!pwd.empty()) c.odbc += ";PWD=" + odbc_value(pwd, option);
    return c;
  }
  c.odbc = conn;
  std::string driver = odbc_attr(conn, "DRIVER");
  std::string lower = driver;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
  if (lower.find("sqlite") != std::string::npos)
    c.dialect = Dialect::sqlite;
  else if (lower.find("postgres") != std::string::npos || lower.find("psql") != std::string::npos)
    c.dialect = Dialect::postgresql;
  else
    c.dialect = Dialect::mssql;
  c.server = odbc_attr(conn, "SERVER");
  if (c.server.empty()) c.server = odbc_attr(conn, "SERVERNAME");
  if (c.server.empty()) c.server = odbc_attr(conn, "DSN");
  if (auto port = odbc_attr(conn, "PORT"); !port.empty()) c.server += ":" + port;
  c.database = odbc_attr(conn, "DATABASE");
  if (c.dialect == Dialect::mssql && odbc_attr(conn, "PWD").empty()) {
    // The password from the environment, not the command line (process list).
    if (const char* env = std::getenv("SMSUP_ODBC_PWD")) c.odbc += ";PWD=" + odbc_value(env, option);
  }
  return c;
}

namespace {

// The driver's messages for a handle, one line, without any secret.
std::string diagnostics(SQLSMALLINT type, SQLHANDLE h) {
  std::string out;
  for (SQLSMALLINT i = 1; i <= 5; ++i) {
    SQLCHAR state[8] = {};
    SQLCHAR text[1024] = {};
    SQLINTEGER native = 0;
    SQLSMALLINT len = 0;
    SQLRETURN rc = SQLGetDiagRec(type, h, i, state, &native, text, sizeof text, &len);
    if (!SQL_SUCCEEDED(rc)) break;
    if (!out.empty()) out += "; ";
    out += fmt::format("[{}] {}", reinterpret_cast<const char*>(state), reinterpret_cast<const char*>(text));
  }
  if (out.empty()) out = "no message from the driver";
  std::replace(out.begin(), out.end(), '\n', ' ');
  return redact(out);
}

class OdbcSource : public Source {
 public:
  OdbcSource(const Connection& c, const std::string& option) : c_(c), option_(option) {
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env_))) {
      throw InputError({}, option, "cannot start unixODBC (SQLAllocHandle)");
    }
    SQLSetEnvAttr(env_, SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0);
    SQLAllocHandle(SQL_HANDLE_DBC, env_, &dbc_);
    // Before connecting: read-only is asked of the driver from the start.
    SQLSetConnectAttr(dbc_, SQL_ATTR_ACCESS_MODE, reinterpret_cast<SQLPOINTER>(SQL_MODE_READ_ONLY), 0);
    SQLSetConnectAttr(dbc_, SQL_ATTR_LOGIN_TIMEOUT, reinterpret_cast<SQLPOINTER>(static_cast<SQLULEN>(15)), 0);
    SQLCHAR out[1024];
    SQLSMALLINT outlen = 0;
    std::string conn = c.odbc;
    SQLRETURN rc =
        SQLDriverConnect(dbc_, nullptr, reinterpret_cast<SQLCHAR*>(conn.data()), static_cast<SQLSMALLINT>(conn.size()),
                         out, sizeof out, &outlen, SQL_DRIVER_NOPROMPT);
    if (!SQL_SUCCEEDED(rc)) {
      std::string why = diagnostics(SQL_HANDLE_DBC, dbc_);
      cleanup();
      throw InputError({}, option,
                       fmt::format("cannot connect to {} (database {}): {}", c.server.empty() ? "the server" : c.server,
                                   c.database.empty() ? "default" : c.database, why));
    }
    connected_ = true;
    // Again once connected: some drivers only honour it on a live connection.
    SQLSetConnectAttr(dbc_, SQL_ATTR_ACCESS_MODE, reinterpret_cast<SQLPOINTER>(SQL_MODE_READ_ONLY), 0);
  }
  ~OdbcSource() override { cleanup(); }

  Dialect dialect() const override { return c_.dialect; }
  std::string server() const override { return c_.server; }
  std::string database() const override { return c_.database; }

  void select(std::string_view sql, const RowFn& each) override {
    if (!is_select(sql))
      throw std::logic_error("collect: only SELECT statements may be run: " + std::string(sql.substr(0, 40)));
    SQLHSTMT st = SQL_NULL_HSTMT;
    SQLAllocHandle(SQL_HANDLE_STMT, dbc_, &st);
    struct Guard {
      SQLHSTMT s;
      ~Guard() { SQLFreeHandle(SQL_HANDLE_STMT, s); }
    } guard{st};
    std::string text(sql);
    // Rows come in blocks of kBlock, bound to fixed buffers: one driver call
    // per block instead of one per cell (SQLGetData), which is most of the
    // time on a million clients.
    // 64 rows of ten columns stay in the CPU's cache.
    constexpr SQLULEN kBlock = 64;
    SQLSetStmtAttr(st, SQL_ATTR_ROW_BIND_TYPE, reinterpret_cast<SQLPOINTER>(SQL_BIND_BY_COLUMN), 0);
    bool block = SQL_SUCCEEDED(SQLSetStmtAttr(st, SQL_ATTR_ROW_ARRAY_SIZE, reinterpret_cast<SQLPOINTER>(kBlock), 0));
    SQLULEN fetched = 0;
    SQLSetStmtAttr(st, SQL_ATTR_ROWS_FETCHED_PTR, &fetched, 0);
    SQLRETURN rc = SQLExecDirect(st, reinterpret_cast<SQLCHAR*>(text.data()), static_cast<SQLINTEGER>(text.size()));
    if (!SQL_SUCCEEDED(rc) && rc != SQL_NO_DATA) {
      throw QueryError(diagnostics(SQL_HANDLE_STMT, st));
    }
    SQLSMALLINT ncols = 0;
    SQLNumResultCols(st, &ncols);
    if (ncols <= 0) return;
    SQLULEN rows = block ? kBlock : 1;
    std::vector<SQLLEN> width(static_cast<size_t>(ncols));
    for (SQLSMALLINT i = 0; i < ncols; ++i) {
      SQLULEN size = 0;
      SQLSMALLINT type = 0, digits = 0, nullable = 0, namelen = 0;
      SQLCHAR name[256];
      SQLDescribeCol(st, static_cast<SQLUSMALLINT>(i + 1), name, sizeof name, &namelen, &type, &size, &digits,
                     &nullable);
      // The column's declared size in characters, four bytes each (UTF-8),
      // so that no value the column can hold is cut; an undeclared size (an
      // expression, SQLite's TEXT: 65535) gets 1 KB, more than any name,
      // version or path in the views, and a longer value is reported, not cut
      // silently. Not wider: the SQLite driver zero-fills the whole buffer
      // for every value (strncpy), and 4 KB a column was most of the fetch.
      width[static_cast<size_t>(i)] = static_cast<SQLLEN>(std::clamp<SQLULEN>(4 * size + 1, 33, 1025));
    }
    std::vector<std::vector<char>> buf(static_cast<size_t>(ncols));
    std::vector<std::vector<SQLLEN>> ind(static_cast<size_t>(ncols));
    for (size_t i = 0; i < buf.size(); ++i) {
      buf[i].resize(static_cast<size_t>(width[i]) * rows);
      ind[i].resize(rows);
      SQLBindCol(st, static_cast<SQLUSMALLINT>(i + 1), SQL_C_CHAR, buf[i].data(), width[i], ind[i].data());
    }
    std::vector<std::string_view> values(buf.size());
    std::vector<bool> nulls(buf.size());
    Row row(values, nulls);
    while (true) {
      fetched = 0;
      rc = SQLFetch(st);
      if (rc == SQL_NO_DATA) break;
      if (!SQL_SUCCEEDED(rc)) throw QueryError(diagnostics(SQL_HANDLE_STMT, st));
      SQLULEN n = block ? fetched : 1;
      for (SQLULEN r = 0; r < n; ++r) {
        for (size_t i = 0; i < buf.size(); ++i) {
          SQLLEN len = ind[i][r];
          nulls[i] = len == SQL_NULL_DATA;
          if (nulls[i]) {
            values[i] = {};
            continue;
          }
          if (len == SQL_NO_TOTAL || len >= width[i]) {
            throw QueryError(fmt::format("a value of column {} is longer than {} characters", i + 1, width[i] - 1));
          }
          values[i] = std::string_view(buf[i].data() + static_cast<size_t>(width[i]) * r, static_cast<size_t>(len));
        }
        each(row);
      }
    }
  }

  std::vector<std::string> columns(std::string_view table) override {
    // SQLColumns is the catalog call every driver has, on every engine,
    // whether the object is a table or a view.
    SQLHSTMT st = SQL_NULL_HSTMT;
    SQLAllocHandle(SQL_HANDLE_STMT, dbc_, &st);
    std::string t(table);
    // PostgreSQL folds unquoted names to lower case, and its catalog is
    // searched case-sensitively.
    if (c_.dialect == Dialect::postgresql) {
      std::transform(t.begin(), t.end(), t.begin(), [](unsigned char ch) { return std::tolower(ch); });
    }
    std::vector<std::string> out;
    SQLRETURN rc = SQLColumns(st, nullptr, 0, nullptr, 0, reinterpret_cast<SQLCHAR*>(t.data()),
                              static_cast<SQLSMALLINT>(t.size()), nullptr, 0);
    if (SQL_SUCCEEDED(rc)) {
      SQLCHAR name[256];
      SQLLEN len = 0;
      while (SQL_SUCCEEDED(SQLFetch(st))) {
        if (SQL_SUCCEEDED(SQLGetData(st, 4, SQL_C_CHAR, name, sizeof name, &len)) && len > 0) {
          out.emplace_back(reinterpret_cast<const char*>(name), static_cast<size_t>(std::min<SQLLEN>(len, 255)));
        }
      }
    }
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    return out;
  }

 private:
  void cleanup() {
    if (connected_) SQLDisconnect(dbc_);
    connected_ = false;
    if (dbc_) SQLFreeHandle(SQL_HANDLE_DBC, dbc_);
    if (env_) SQLFreeHandle(SQL_HANDLE_ENV, env_);
    dbc_ = env_ = nullptr;
  }

  Connection c_;
  std::string option_;
  SQLHENV env_ = nullptr;
  SQLHDBC dbc_ = nullptr;
  bool connected_ = false;
};

}  // namespace

std::unique_ptr<Source> open_odbc(const Connection& c, const std::string& option) {
  return std::make_unique<OdbcSource>(c, option);
}

bool sqlite_one_connection_per_thread() {
  // The driver loads the same libsqlite3.so.0 as smsup (ldd): one SQLite in
  // the process, configured here for both.
  if (sqlite3_config(SQLITE_CONFIG_MULTITHREAD) != SQLITE_OK) return false;
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  return true;
}

}  // namespace smsup::collect
