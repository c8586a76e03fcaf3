#include "dbtest/pg_conn.h"

#include <regex>

#include "util/error.h"

namespace smsup::dbtest {

std::string redact_url(const std::string& url) {
  static const std::regex uri_pw(R"(^(postgres(?:ql)?://[^:/@]*):[^@]*@)");
  static const std::regex kv_pw(R"(password\s*=\s*\S+)");
  return std::regex_replace(std::regex_replace(url, uri_pw, "$1:***@"), kv_pw, "password=***");
}

PgConn::PgConn(const std::string& url, const std::string& dbname) : where_(redact_url(url)) {
  // libpq waits for ever by default on a server that takes the TCP
  // connection and never answers (a wrong port on another service, a
  // half-open firewall): 10 s, as the journal's connection. Given before the
  // URL, so a connect_timeout the URL sets wins.
  const char* keys[] = {"connect_timeout", "dbname", dbname.empty() ? nullptr : "dbname", nullptr};
  const char* vals[] = {"10", url.c_str(), dbname.empty() ? nullptr : dbname.c_str(), nullptr};
  conn_ = PQconnectdbParams(keys, vals, 1);
  if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
    std::string msg = conn_ ? PQerrorMessage(conn_) : "out of memory";
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    PQfinish(conn_);
    conn_ = nullptr;
    throw InputError({}, "--db",
                     "cannot connect to " + where_ + (dbname.empty() ? "" : " (database " + dbname + ")") + ": " + msg);
  }
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
}

PgConn::~PgConn() { PQfinish(conn_); }

std::string PgConn::try_exec(const std::string& sql) {
  PGresult* r = PQexec(conn_, sql.c_str());
  auto st = PQresultStatus(r);
  std::string err;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    err = PQresultErrorMessage(r);
    while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
    if (err.empty()) err = "query failed";
  }
  PQclear(r);
  return err;
}

void PgConn::exec(const std::string& sql) {
  std::string err = try_exec(sql);
  if (!err.empty()) throw InputError({}, "--db", where_ + ": " + err + " (in: " + sql.substr(0, 80) + ")");
}

std::vector<std::vector<std::string>> PgConn::query(const std::string& sql, const std::vector<std::string>& params) {
  std::vector<const char*> p;
  for (const auto& s : params) p.push_back(s.c_str());
  PGresult* r = PQexecParams(conn_, sql.c_str(), static_cast<int>(p.size()), nullptr, p.data(), nullptr, nullptr, 0);
  if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK) {
    std::string err = PQresultErrorMessage(r);
    PQclear(r);
    throw InputError({}, "--db", where_ + ": " + err + " (in: " + sql.substr(0, 80) + ")");
  }
  std::vector<std::vector<std::string>> rows(static_cast<size_t>(PQntuples(r)));
  for (int i = 0; i < PQntuples(r); ++i) {
    for (int j = 0; j < PQnfields(r); ++j) rows[static_cast<size_t>(i)].emplace_back(PQgetvalue(r, i, j));
  }
  PQclear(r);
  return rows;
}

std::string PgConn::text(const std::string& sql, const std::vector<std::string>& params) {
  auto rows = query(sql, params);
  return rows.empty() || rows[0].empty() ? std::string() : rows[0][0];
}

int64_t PgConn::scalar(const std::string& sql, const std::vector<std::string>& params) {
  std::string t = text(sql, params);
  return t.empty() ? 0 : std::stoll(t);
}

}  // namespace smsup::dbtest
