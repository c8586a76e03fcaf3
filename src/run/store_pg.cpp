// The journal's PostgreSQL engine (store.h) over libpq: statements prepared
// once per connection, text parameters typed by the server, one schema per
// campaign, writers taking turns by a transaction-scoped advisory lock (the
// same rule as SQLite's BEGIN IMMEDIATE), and LISTEN/NOTIFY to hear of
// another process's commit.
#include <fmt/format.h>
#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <vector>

#include "run/store.h"
#include "util/error.h"

namespace smsup::run::store {

namespace {

bool is_uri(const std::string& s) { return s.starts_with("postgresql://") || s.starts_with("postgres://"); }

// "host=db dbname=ops": a libpq keyword string (a file path has no "=").
bool is_keywords(const std::string& s) {
  static const std::regex kw(R"(^\s*[A-Za-z_]+\s*=)");
  if (!std::regex_search(s, kw)) return false;
  // Without the error_code, a text too long to be a file name (ENAMETOOLONG)
  // threw out of here and ended smsup (found by fuzz/journal_spec.cpp).
  std::error_code ec;
  return !std::filesystem::exists(s, ec);
}

// 64-bit FNV-1a: the same advisory lock key for a schema on every host.
int64_t key_of(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return static_cast<int64_t>(h >> 1);
}

// ?1 -> $1: the journal's SQL is written once for both engines.
std::string to_pg(std::string_view sql, int& params) {
  std::string out;
  out.reserve(sql.size());
  params = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] == '?' && i + 1 < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
      out += '$';
      size_t j = i + 1;
      int n = 0;
      while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) n = n * 10 + (sql[j++] - '0');
      params = std::max(params, n);
      out.append(sql.substr(i + 1, j - i - 1));
      i = j - 1;
    } else {
      out += sql[i];
    }
  }
  return out;
}

void quiet(void*, const char*) {}

class PgConn;

class PgQuery : public Query {
 public:
  PgQuery(PgConn& c, std::string name, int params) : c_(c), name_(std::move(name)), params_(params) {
    values_.resize(static_cast<size_t>(params));
    null_.assign(static_cast<size_t>(params), true);
  }
  ~PgQuery() override { PQclear(res_); }
  void bind(int i, std::string_view v) override { set(i, std::string(v)); }
  void bind(int i, int64_t v) override { set(i, std::to_string(v)); }
  void bind(int i, double v) override { set(i, fmt::format("{:.17g}", v)); }
  void bind_null(int i) override { null_.at(static_cast<size_t>(i - 1)) = true; }
  bool step() override;
  void reset() override {
    PQclear(res_);
    res_ = nullptr;
    row_ = -1;
    null_.assign(static_cast<size_t>(params_), true);
  }
  std::string text(int col) const override {
    if (PQgetisnull(res_, row_, col)) return {};
    return std::string(PQgetvalue(res_, row_, col), static_cast<size_t>(PQgetlength(res_, row_, col)));
  }
  int64_t integer(int col) const override {
    return PQgetisnull(res_, row_, col) ? 0 : std::strtoll(PQgetvalue(res_, row_, col), nullptr, 10);
  }
  double real(int col) const override {
    return PQgetisnull(res_, row_, col) ? 0 : std::strtod(PQgetvalue(res_, row_, col), nullptr);
  }
  bool is_null(int col) const override { return PQgetisnull(res_, row_, col) != 0; }

 private:
  void set(int i, std::string v) {
    values_.at(static_cast<size_t>(i - 1)) = std::move(v);
    null_.at(static_cast<size_t>(i - 1)) = false;
  }
  PgConn& c_;
  std::string name_;
  int params_;
  std::vector<std::string> values_;
  std::vector<bool> null_;
  PGresult* res_ = nullptr;
  int row_ = -1;
};

class PgConn : public Conn {
 public:
  PgConn(const Spec& spec) : spec_(spec) {
    // 10 s for a server that takes the connection and never answers (libpq
    // waits for ever by default); given before the connection string, so a
    // connect_timeout the user sets there wins.
    const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
    const char* vals[] = {"10", "smsup", spec.conninfo.c_str(), nullptr};
    pg_ = PQconnectdbParams(keys, vals, 1);
    if (PQstatus(pg_) != CONNECTION_OK) {
      std::string e = PQerrorMessage(pg_);
      PQfinish(pg_);
      pg_ = nullptr;
      while (!e.empty() && (e.back() == '\n' || e.back() == ' ')) e.pop_back();
      throw Unavailable(fmt::format("{}: cannot connect to the journal's PostgreSQL: {}", spec.shown, e));
    }
    PQsetNoticeProcessor(pg_, quiet, nullptr);
    lock_key_ = key_of(spec.schema);
    // LISTEN waits for the first changed_elsewhere(): a one-shot reader
    // (status, ten operators polling) is then no listener the server must
    // signal at every commit of the run.
    exec(fmt::format("SET search_path TO {}", spec.schema));
  }
  ~PgConn() override { PQfinish(pg_); }

  Engine engine() const override { return Engine::postgresql; }

  std::unique_ptr<Query> prepare(std::string_view sql) override {
    auto it = prepared_.find(std::string(sql));
    if (it == prepared_.end()) {
      int n = 0;
      std::string text = to_pg(sql, n);
      std::string name = fmt::format("s{}", prepared_.size());
      PGresult* r = PQprepare(pg_, name.c_str(), text.c_str(), n, nullptr);
      check(r, "cannot prepare statement");
      PQclear(r);
      it = prepared_.emplace(std::string(sql), std::make_pair(name, n)).first;
    }
    return std::make_unique<PgQuery>(*this, it->second.first, it->second.second);
  }

  PGresult* run_prepared(const std::string& name, const std::vector<std::string>& values,
                         const std::vector<bool>& null) {
    std::vector<const char*> p(values.size());
    for (size_t i = 0; i < values.size(); ++i) p[i] = null[i] ? nullptr : values[i].c_str();
    PGresult* r = PQexecPrepared(pg_, name.c_str(), static_cast<int>(p.size()), p.data(), nullptr, nullptr, 0);
    check(r, "statement failed");
    const char* n = PQcmdTuples(r);
    changes_ = n && *n ? std::strtoll(n, nullptr, 10) : 0;
    return r;
  }

  void exec(std::string_view sql) override {
    PGresult* r = PQexec(pg_, std::string(sql).c_str());
    check(r, "statement failed");
    PQclear(r);
  }
  int64_t changes() const override { return changes_; }

  void begin(bool durable) override {
    exec(fmt::format("BEGIN; SET LOCAL synchronous_commit TO {}; SELECT pg_advisory_xact_lock({})",
                     durable ? "on" : "off", lock_key_));
  }
  void commit() override { exec(fmt::format("NOTIFY {}; COMMIT", spec_.schema)); }
  void rollback() override { exec("ROLLBACK"); }
  void flush() override {
    // A synchronous commit that writes flushes the WAL, and with it every
    // asynchronous commit before it.
    exec("BEGIN; SET LOCAL synchronous_commit TO on; SELECT txid_current(); COMMIT");
  }
  bool changed_elsewhere() override {
    if (!listening_) {
      exec(fmt::format("LISTEN {}", spec_.schema));
      listening_ = true;
      return false;
    }
    bool changed = false;
    if (!PQconsumeInput(pg_)) lost("cannot read from the server");
    while (PGnotify* n = PQnotifies(pg_)) {
      if (n->be_pid != PQbackendPID(pg_)) changed = true;
      PQfreemem(n);
    }
    return changed;
  }
  bool has_table(std::string_view name) override {
    // pg_tables, not information_schema.tables: the same answer without
    // the standard view's privilege checks over every table of the database.
    auto q = prepare("SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname=?1 AND tablename=?2");
    q->bind(1, std::string_view(spec_.schema));
    q->bind(2, name);
    return q->step() && q->integer(0) > 0;
  }
  double now() override {
    auto q = prepare("SELECT extract(epoch FROM clock_timestamp())::float8");
    return q->step() ? q->real(0) : 0;
  }
  std::string boot() override {
    auto q = prepare("SELECT pg_postmaster_start_time()::text");
    return q->step() ? q->text(0) : std::string();
  }

  void check(PGresult* r, std::string_view what) {
    auto st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return;
    std::string e = r ? PQresultErrorMessage(r) : PQerrorMessage(pg_);
    PQclear(r);
    while (!e.empty() && (e.back() == '\n' || e.back() == ' ')) e.pop_back();
    if (PQstatus(pg_) != CONNECTION_OK) lost(e);
    throw std::runtime_error(fmt::format("{}: {}: {}", spec_.shown, what, e));
  }
  [[noreturn]] void lost(const std::string& e) {
    throw Unavailable(fmt::format("{}: lost the connection to the journal's PostgreSQL: {}", spec_.shown, e));
  }

 private:
  Spec spec_;
  PGconn* pg_ = nullptr;
  int64_t lock_key_ = 0;
  int64_t changes_ = 0;
  bool listening_ = false;
  std::map<std::string, std::pair<std::string, int>> prepared_;
};

bool PgQuery::step() {
  if (!res_) {
    res_ = c_.run_prepared(name_, values_, null_);
    row_ = -1;
  }
  if (row_ + 1 < PQntuples(res_)) {
    ++row_;
    return true;
  }
  return false;
}

}  // namespace

Spec parse_spec(const std::string& journal) {
  Spec s;
  if (!is_uri(journal) && !is_keywords(journal)) {
    s.path = journal;
    s.shown = journal;
    std::error_code ec;
    auto abs = std::filesystem::absolute(journal, ec);
    s.retype = ec ? journal : abs.lexically_normal().string();
    return s;
  }
  s.engine = Engine::postgresql;
  s.campaign = "main";
  std::string rest = journal;
  std::smatch m;
  if (is_uri(journal)) {
    static const std::regex camp(R"(([?&])campaign=([^&#]*))");
    if (std::regex_search(rest, m, camp)) {
      s.campaign = m[2];
      std::string before = rest.substr(0, static_cast<size_t>(m.position(0)));
      std::string after = rest.substr(static_cast<size_t>(m.position(0) + m.length(0)));
      if (m[1] == "?" && !after.empty() && after[0] == '&') after[0] = '?';
      rest = before + after;
    }
  } else {
    static const std::regex camp(R"((^|\s)campaign\s*=\s*(\S*))");
    if (std::regex_search(rest, m, camp)) {
      s.campaign = m[2];
      rest = rest.substr(0, static_cast<size_t>(m.position(0))) +
             rest.substr(static_cast<size_t>(m.position(0) + m.length(0)));
    }
  }
  static const std::regex name(R"([A-Za-z0-9_]{1,40})");
  if (!std::regex_match(s.campaign, name)) {
    throw InputError({journal, 0, 0}, "--journal",
                     fmt::format("campaign '{}' is not a name of 1 to 40 letters, digits or _", s.campaign));
  }
  std::transform(s.campaign.begin(), s.campaign.end(), s.campaign.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  s.schema = "smsup_" + s.campaign;
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(rest.c_str(), &err);
  if (!opts) {
    std::string e = err ? err : "cannot parse";
    PQfreemem(err);
    while (!e.empty() && e.back() == '\n') e.pop_back();
    throw InputError({}, "--journal", fmt::format("not a PostgreSQL connection string: {}", e));
  }
  // Shown without the password: host, port, database, user.
  std::string shown = "postgresql://";
  std::map<std::string, std::string> v;
  for (auto* o = opts; o->keyword; ++o) {
    if (o->val) v[o->keyword] = o->val;
  }
  PQconninfoFree(opts);
  // Keywords again, each value quoted as libpq's grammar wants it.
  for (const auto& [k, val] : v) {
    if (k == "password") continue;
    std::string q;
    for (char c : val) {
      if (c == '\\' || c == '\'') q += '\\';
      q += c;
    }
    bool bare = !val.empty() && val.find_first_of(" \t\n'\\") == std::string::npos;
    s.retype += k + "=" + (bare ? val : "'" + q + "'") + " ";
  }
  s.retype += "campaign=" + s.campaign;
  if (v.count("user")) shown += v["user"] + "@";
  shown += v.count("host") ? v["host"] : "";
  if (v.count("port")) shown += ":" + v["port"];
  shown += "/" + (v.count("dbname") ? v["dbname"] : "");
  s.shown = shown + " (campaign " + s.campaign + ")";
  // A password never shows, also where libpq's URI grammar put part of it
  // into another value ("postgresql://u:pw@h:5432:pw@h2/db" gives the port
  // "5432:pw@h2"; found by fuzz/journal_spec.cpp): wherever it occurs.
  if (auto pw = v.find("password"); pw != v.end() && !pw->second.empty()) {
    for (std::string* text : {&s.shown, &s.retype}) {
      for (size_t at = text->find(pw->second); at != std::string::npos; at = text->find(pw->second, at + 3))
        text->replace(at, pw->second.size(), "***");
    }
  }
  s.conninfo = rest;
  return s;
}

std::unique_ptr<Conn> open_postgresql(const Spec& spec, bool create) {
  auto c = std::make_unique<PgConn>(spec);
  if (create) {
    c->begin(true);
    c->exec(fmt::format("CREATE SCHEMA IF NOT EXISTS {}", spec.schema));
    c->commit();
  }
  return c;
}

bool schema_exists(Conn& pg, const Spec& spec) {
  Stmt q(pg, "SELECT count(*) FROM information_schema.schemata WHERE schema_name=?1");
  q.bind(1, spec.schema);
  return q.step() && q.integer(0) > 0;
}

}  // namespace smsup::run::store
